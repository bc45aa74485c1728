/**
 * Engine parity: the gold tables of two warehouse states (e.g. DuckDB and PostgreSQL built from
 * the same world) compared table by table, column by column, row by row.
 *
 * Rounding rule (also in README.md, PostgreSQL section): floating point values (result kind
 * `float`, and any non-integer number) are compared after rounding to 9 significant digits
 * (`Number.prototype.toPrecision(9)`); -0 equals 0. Exact values (integers, DECIMAL strings,
 * dates, text, booleans) must be equal as they are; an integer is equal whether it arrives as a
 * number or a bigint, a DECIMAL whether or not it carries trailing zeros. Rows are compared as
 * sorted lists (sorted by every column, in the column order), so row order does not matter.
 * Columns computed from the wall clock (`WALL_CLOCK_COLUMNS`) are left out: two builds never
 * run at the same instant.
 */
import type { QueryResult, SqlValue, WarehouseSession } from "../../warehouse/warehouse.js";
import { qualifiedName } from "../../warehouse/quote-identifier.js";

export const SIGNIFICANT_DIGITS = 9;

/**
 * Columns computed from the clock when gold was built, not from the data: `*.column` in every
 * table, `table.column` in one.
 */
export const WALL_CLOCK_COLUMNS = new Set([
  "*.computed_at",
  "*.gold_built_at",
  "*.trace_generated_at",
  "occupancy_kpi_meta.freshness_hours",
  "occupancy_kpi_meta.last_load_recorded_at_utc",
  "occupancy_kpi_meta.is_stale",
  "kpi_reference_trace.freshness_hours",
]);

function fromWallClock(table: string, column: string): boolean {
  return WALL_CLOCK_COLUMNS.has(`*.${column}`) || WALL_CLOCK_COLUMNS.has(`${table}.${column}`);
}

export interface TableDifference {
  table: string;
  problem: string;
}

/** One value in the form both engines must agree on. */
export function canonicalValue(value: SqlValue, kind: string): string {
  if (value === null) return "∅";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isInteger(value) && kind !== "float") return String(value);
    return value === 0 ? "0" : String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
  }
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") {
    if (kind === "decimal") return canonicalDecimal(value);
    if (kind === "float") return String(Number(Number(value).toPrecision(SIGNIFICANT_DIGITS)));
    return JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** `12.50` -> `12.5`, `3.000` -> `3`, `-0.0` -> `0`. */
function canonicalDecimal(text: string): string {
  if (!text.includes(".")) return text === "-0" ? "0" : text;
  const trimmed = text.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

function canonicalRows(
  table: string,
  result: QueryResult,
): { columns: string[]; kinds: string[]; rows: string[] } {
  const kept = result.columns.filter((c) => !fromWallClock(table, c.name));
  const rows = result.rows.map((row) =>
    kept.map((c) => canonicalValue(row[c.name] ?? null, kindOf(c.kind, row[c.name] ?? null))).join(" | "),
  );
  rows.sort();
  return { columns: kept.map((c) => c.name), kinds: kept.map((c) => c.kind), rows };
}

/** An integer-valued DECIMAL compares as the integer it is. */
function kindOf(kind: string, value: SqlValue): string {
  return kind === "decimal" && typeof value !== "string" ? "integer" : kind;
}

/** Every difference between the `schema` tables of two states (empty when identical). */
export async function compareSchemaTables(
  left: WarehouseSession,
  right: WarehouseSession,
  schema = "gold",
): Promise<{ tables: string[]; rows: number; differences: TableDifference[] }> {
  const names = async (s: WarehouseSession) => (await s.listTables(schema)).map((t) => t.name).sort();
  const [leftNames, rightNames] = [await names(left), await names(right)];
  const differences: TableDifference[] = [];
  for (const name of new Set([...leftNames, ...rightNames])) {
    if (!leftNames.includes(name)) differences.push({ table: name, problem: "missing on the left" });
    if (!rightNames.includes(name)) differences.push({ table: name, problem: "missing on the right" });
  }
  let rows = 0;
  for (const name of leftNames.filter((n) => rightNames.includes(n))) {
    const sql = `SELECT * FROM ${qualifiedName(schema, name)}`;
    const a = canonicalRows(name, await left.query(sql));
    const b = canonicalRows(name, await right.query(sql));
    rows += a.rows.length;
    differences.push(...compareTable(name, a, b));
  }
  return { tables: leftNames, rows, differences };
}

function compareTable(
  table: string,
  a: ReturnType<typeof canonicalRows>,
  b: ReturnType<typeof canonicalRows>,
): TableDifference[] {
  if (a.columns.join(",") !== b.columns.join(","))
    return [{ table, problem: `columns differ: ${a.columns.join(", ")} vs ${b.columns.join(", ")}` }];
  const kinds = a.columns.filter((_c, i) => a.kinds[i] !== b.kinds[i]);
  const out: TableDifference[] = kinds.map((c, _i) => {
    const i = a.columns.indexOf(c);
    return { table, problem: `column ${c} is ${a.kinds[i]} vs ${b.kinds[i]}` };
  });
  if (a.rows.length !== b.rows.length)
    out.push({ table, problem: `${a.rows.length} rows vs ${b.rows.length}` });
  const onlyLeft = a.rows.filter((r, i) => r !== b.rows[i]);
  if (onlyLeft.length > 0) {
    const i = a.rows.findIndex((r, j) => r !== b.rows[j]);
    out.push({
      table,
      problem: `${onlyLeft.length} rows differ; first (sorted) at ${i}: [${a.columns.join(" | ")}]\n  left:  ${a.rows[i]}\n  right: ${b.rows[i]}`,
    });
  }
  return out;
}
