/**
 * Reader column kinds -> PostgreSQL column types, and result type OIDs -> neutral kinds.
 * Faithful in range and precision:
 *
 * - unsigned integers take the next wider signed type (uint8 -> smallint, uint16 -> integer,
 *   uint32 -> bigint); uint64 and BIT(n) -> numeric(20,0). A result column of exactly
 *   numeric(20,0) comes back as an integer (number or bigint), like DuckDB's UBIGINT; every
 *   other numeric as exact decimal text.
 * - DECIMAL(p,s) -> numeric(p,s) for every p (PostgreSQL allows 1000 digits).
 * - TIME -> interval (MySQL TIME is a duration, -838:59:59 .. 838:59:59), printed back as
 *   '[-]HH:MM:SS[.ffffff]'.
 * - JSON -> json, not jsonb: json keeps the text exactly as loaded (key order, spacing),
 *   as DuckDB does; cast to jsonb in a model when operators or indexes are needed.
 * - text -> text. PostgreSQL text cannot hold NUL (U+0000): the appender replaces it with
 *   U+FFFD, the same character that replaces invalid UTF-8 (README.md, "PostgreSQL").
 *
 * The appender range-checks integers against the MySQL kind (not the wider column), so a value
 * that DuckDB refuses is refused here too. Tables carry no NOT NULL constraints (zero dates load
 * as NULL even in NOT NULL columns).
 */
import type { ColumnDef, ColumnKind } from "../../reader/types.js";
import type { ResultKind } from "../warehouse.js";

/** numeric(20,0): the column type of uint64 and bit, read back as integers. */
export const UINT64_TYPE = "numeric(20,0)";
/** The type modifier PostgreSQL reports for numeric(20,0): ((20 << 16) | 0) + 4. */
export const UINT64_TYPMOD = ((20 << 16) | 0) + 4;

/** The PostgreSQL column type for a reader column. */
export function postgresColumnType(column: ColumnDef): string {
  switch (column.kind) {
    case "int8":
    case "uint8":
    case "int16":
      return "smallint";
    case "uint16":
    case "int32":
      return "integer";
    case "uint32":
    case "int64":
      return "bigint";
    case "uint64":
    case "bit":
      return UINT64_TYPE;
    case "decimal": {
      // MySQL's DECIMAL without arguments is DECIMAL(10,0).
      const precision = column.precision ?? 10;
      const scale = column.scale ?? 0;
      return `numeric(${precision},${scale})`;
    }
    case "float32":
      return "real";
    case "float64":
      return "double precision";
    case "date":
      return "date";
    case "datetime":
      // Microseconds: MySQL's fsp is at most 6, PostgreSQL's timestamp keeps 6.
      return "timestamp";
    case "time":
      return "interval";
    case "text":
      return "text";
    case "json":
      return "json";
    case "binary":
      return "bytea";
    default:
      return assertNever(column.kind);
  }
}

/** Integer range of a MySQL kind, checked by the appender before the value leaves. */
export function integerRange(kind: ColumnKind): { min: bigint; max: bigint } | undefined {
  switch (kind) {
    case "int8":
      return { min: -128n, max: 127n };
    case "uint8":
      return { min: 0n, max: 255n };
    case "int16":
      return { min: -32768n, max: 32767n };
    case "uint16":
      return { min: 0n, max: 65535n };
    case "int32":
      return { min: -(2n ** 31n), max: 2n ** 31n - 1n };
    case "uint32":
      return { min: 0n, max: 2n ** 32n - 1n };
    case "int64":
      return { min: -(2n ** 63n), max: 2n ** 63n - 1n };
    case "uint64":
    case "bit":
      return { min: 0n, max: 2n ** 64n - 1n };
    default:
      return undefined;
  }
}

/** Built-in type OIDs (pg_type.oid; stable across PostgreSQL versions). */
export const OID = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** The neutral result kind of a column of type `oid` (with its type modifier). */
export function resultKindOf(oid: number, typmod: number): ResultKind {
  switch (oid) {
    case OID.bool:
      return "boolean";
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return "integer";
    case OID.numeric:
      return typmod === UINT64_TYPMOD ? "integer" : "decimal";
    case OID.float4:
    case OID.float8:
      return "float";
    case OID.date:
      return "date";
    case OID.timestamp:
    case OID.timestamptz:
      return "datetime";
    case OID.time:
    case OID.timetz:
      return "time";
    case OID.interval:
      return "interval";
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.name:
    case OID.char:
    case OID.uuid:
    case OID.bit:
    case OID.varbit:
    case OID.unknown:
    case OID.xml:
      return "text";
    case OID.json:
    case OID.jsonb:
      return "json";
    case OID.bytea:
      return "binary";
    default:
      return "other";
  }
}

function assertNever(kind: never): never {
  throw new Error(`unknown column kind ${String(kind)}`);
}
