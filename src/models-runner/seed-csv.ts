/**
 * Seed CSV files: RFC 4180 parsing (quoted fields, doubled quotes, CRLF) and column type
 * inference. Pure: text in, header + rows + SQL types out.
 */
import type { SeedColumn } from "./types.js";

/** Parses CSV text into rows of cells. Throws with a line number on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let line = 1;
  let quoted = false;
  let cellStarted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === "" && !cellStarted)) rows.push(row);
    row = [];
    cell = "";
    cellStarted = false;
  };
  let quoteLine = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === "") {
      quoted = true;
      cellStarted = true;
      quoteLine = line;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
      cellStarted = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRow();
      line++;
    } else {
      cell += ch;
      cellStarted = true;
    }
    i++;
  }
  if (quoted) throw new Error(`unterminated quoted field starting on line ${quoteLine}`);
  if (cell !== "" || row.length > 0 || cellStarted) endRow();
  return rows;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+\.\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BOOLEAN = /^(true|false)$/i;

/** The SQL type for a column's values ('' is NULL and fits every type). */
export function inferSqlType(values: readonly string[]): string {
  const present = values.filter((v) => v !== "");
  if (present.length === 0) return "VARCHAR";
  if (present.every((v) => INTEGER.test(v))) {
    const big = present.some((v) => {
      const n = Number(v);
      return n > 2147483647 || n < -2147483648;
    });
    if (!big) return "INTEGER";
    return present.every((v) => v.replace("-", "").length <= 18) ? "BIGINT" : "DECIMAL(38,0)";
  }
  if (present.every((v) => INTEGER.test(v) || DECIMAL.test(v))) {
    let intDigits = 1;
    let scale = 0;
    for (const v of present) {
      const [whole, frac = ""] = v.replace("-", "").split(".");
      intDigits = Math.max(intDigits, whole!.replace(/^0+(?=\d)/, "").length);
      scale = Math.max(scale, frac.length);
    }
    const precision = Math.min(38, intDigits + scale);
    return `DECIMAL(${precision},${Math.min(scale, precision)})`;
  }
  if (present.every((v) => DATE.test(v) && !Number.isNaN(Date.parse(v)))) return "DATE";
  if (present.every((v) => BOOLEAN.test(v))) return "BOOLEAN";
  return "VARCHAR";
}

/**
 * Header, rows and column types of a seed. `declared` maps column names to SQL types that
 * replace inference. Problems (ragged rows, unknown declared columns) are returned, not thrown.
 */
export function readSeed(
  text: string,
  declared: Record<string, string>,
): { columns: SeedColumn[]; rows: string[][]; problems: string[] } {
  const problems: string[] = [];
  let all: string[][];
  try {
    all = parseCsv(text);
  } catch (err) {
    return { columns: [], rows: [], problems: [(err as Error).message] };
  }
  const header = all[0];
  if (!header || header.every((h) => h.trim() === "")) {
    return { columns: [], rows: [], problems: ["no header row"] };
  }
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (n === "") problems.push("a header cell is empty");
    else if (seen.has(n)) problems.push(`column ${JSON.stringify(n)} appears twice in the header`);
    seen.add(n);
  }
  const rows = all.slice(1);
  rows.forEach((r, i) => {
    if (r.length !== names.length)
      problems.push(`row ${i + 2} has ${r.length} fields, the header has ${names.length}`);
  });
  for (const name of Object.keys(declared)) {
    if (!seen.has(name))
      problems.push(`column_types names ${JSON.stringify(name)}, which is not in the header`);
  }
  const columns = names.map((name, c) => {
    const type = declared[name];
    return type !== undefined
      ? { name, sqlType: type, declared: true }
      : { name, sqlType: inferSqlType(rows.map((r) => r[c] ?? "")), declared: false };
  });
  return { columns, rows, problems };
}
