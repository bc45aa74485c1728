/**
 * PostgreSQL result values -> plain `SqlValue`s, the same as the DuckDB engine gives:
 * integers as number within ±(2^53 - 1) else bigint; numeric as exact text (numeric(20,0),
 * the uint64 column type, as an integer); dates 'YYYY-MM-DD'; timestamps ISO-8601 with `T`
 * (`Z` for timestamptz, read in UTC); intervals '[-]HH:MM:SS[.ffffff]' (PostgreSQL's own text
 * when they have months); bytea as Uint8Array; json/jsonb as text; arrays as arrays.
 *
 * Every value arrives as text: each client is given a type-parser table that returns the text
 * unchanged (postgres-session.ts), so nothing here depends on pg's global parsers.
 */
import { formatDuration } from "../format-duration.js";
import type { SqlValue } from "../warehouse.js";
import { OID, UINT64_TYPMOD } from "./postgres-types.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a number when exactly representable, else unchanged. */
export function safeInteger(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** Element type of the common array types (pg_type.typelem). */
const ARRAY_ELEMENTS: Record<number, number> = {
  1000: OID.bool,
  1001: OID.bytea,
  1005: OID.int2,
  1007: OID.int4,
  1016: OID.int8,
  1009: OID.text,
  1014: OID.bpchar,
  1015: OID.varchar,
  1021: OID.float4,
  1022: OID.float8,
  1231: OID.numeric,
  1182: OID.date,
  1115: OID.timestamp,
  1185: OID.timestamptz,
  1187: OID.interval,
  199: OID.json,
  3807: OID.jsonb,
};

/** One value of a column of type `oid` / `typmod`, from PostgreSQL's text output. */
export function normalizePostgresValue(text: string | null, oid: number, typmod: number): SqlValue {
  if (text === null) return null;
  switch (oid) {
    case OID.bool:
      return text === "t";
    case OID.int2:
    case OID.int4:
    case OID.oid:
      return Number(text);
    case OID.int8:
      return safeInteger(BigInt(text));
    case OID.numeric:
      return typmod === UINT64_TYPMOD && /^-?\d+$/.test(text) ? safeInteger(BigInt(text)) : text;
    case OID.float4:
      // Shortest text that reads back as the same float4; fround gives the exact float4 value,
      // as DuckDB's FLOAT -> JS number does.
      return Math.fround(Number(text));
    case OID.float8:
      return Number(text);
    case OID.timestamp:
      return text.replace(" ", "T");
    case OID.timestamptz:
      // Sessions run with TimeZone=UTC: '2026-01-30 20:30:00.25+00'.
      return /\+00$/.test(text) ? text.replace(" ", "T").replace(/\+00$/, "Z") : text;
    case OID.interval:
      return interval(text);
    case OID.bytea:
      return bytea(text);
    default: {
      const element = ARRAY_ELEMENTS[oid];
      if (element !== undefined) return parseArray(text, (v) => normalizePostgresValue(v, element, -1));
      return text;
    }
  }
}

const INTERVAL =
  /^(?:([+-]?\d+) years? ?)?(?:([+-]?\d+) mons? ?)?(?:([+-]?\d+) days? ?)?(?:([+-])?(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?$/;

/** IntervalStyle 'postgres' text -> '[-]HH:MM:SS[.ffffff]' (days folded into hours, like DuckDB). */
function interval(text: string): string {
  const m = INTERVAL.exec(text);
  if (!m || text === "" || Number(m[1] ?? 0) !== 0 || Number(m[2] ?? 0) !== 0) return text;
  const days = BigInt(m[3] ?? 0);
  const sign = m[4] === "-" ? -1n : 1n;
  const time =
    (BigInt(m[5] ?? 0) * 3600n + BigInt(m[6] ?? 0) * 60n + BigInt(m[7] ?? 0)) * 1_000_000n +
    BigInt((m[8] ?? "").padEnd(6, "0"));
  return formatDuration(days * 86_400_000_000n + sign * time);
}

/** bytea_output 'hex': '\x0a0b...'. */
function bytea(text: string): Uint8Array {
  if (!text.startsWith("\\x")) throw new Error(`unexpected bytea text (bytea_output must be hex)`);
  const b = Buffer.from(text.slice(2), "hex");
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** '{1,2,NULL,"a b"}' (and nested) -> an array, each element through `element`. */
export function parseArray(text: string, element: (v: string | null) => SqlValue): SqlValue[] {
  let i = text.startsWith("[") ? text.indexOf("=") + 1 : 0; // '[0:1]={...}' bounds prefix
  const parseLevel = (): SqlValue[] => {
    const out: SqlValue[] = [];
    i++; // '{'
    while (i < text.length) {
      const c = text[i]!;
      if (c === "}") {
        i++;
        return out;
      }
      if (c === ",") {
        i++;
        continue;
      }
      if (c === "{") {
        out.push(parseLevel());
        continue;
      }
      if (c === '"') {
        let value = "";
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\") i++;
          value += text[i]!;
          i++;
        }
        i++;
        out.push(element(value));
        continue;
      }
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "}") end++;
      const raw = text.slice(i, end);
      i = end;
      out.push(element(raw === "NULL" ? null : raw));
    }
    return out;
  };
  return parseLevel();
}
