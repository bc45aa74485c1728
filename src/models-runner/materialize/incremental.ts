/**
 * Incremental: when the target exists and this is not a full refresh, the new slice goes into
 * `<name>__incr`, target rows with the same unique key (or matching `delete_where`, which then
 * replaces the key match) are deleted, the slice is inserted.
 * Otherwise the model is built as a table. Standard SQL (EXISTS for composite keys). Pure.
 */
import { qualifiedName, quoteIdentifier } from "../../warehouse/quote-identifier.js";
import type { MaterializationPlan, Target } from "./plan.js";
import { materializeTable } from "./table.js";

export const INCR_SUFFIX = "__incr";

export function materializeIncremental(
  target: Target,
  sql: string,
  opts: { incremental: boolean; uniqueKey: readonly string[]; deleteWhere?: string },
): MaterializationPlan {
  if (!opts.incremental || target.existing !== "table") return materializeTable(target, sql);
  const relation = qualifiedName(target.schema, target.name);
  const slice = qualifiedName(target.schema, `${target.name}${INCR_SUFFIX}`);
  const statements = [`DROP TABLE IF EXISTS ${slice}`, `CREATE TABLE ${slice} AS\n${sql}\n`];
  // delete_where, when given, must cover every row the slice re-inserts; it replaces the key
  // match, whose EXISTS join would scan the whole target and grow with its history.
  if (opts.deleteWhere) statements.push(`DELETE FROM ${relation} WHERE ${opts.deleteWhere}`);
  else if (opts.uniqueKey.length > 0) {
    const match = opts.uniqueKey
      .map((k) => `slice.${quoteIdentifier(k)} = ${relation}.${quoteIdentifier(k)}`)
      .join(" AND ");
    statements.push(`DELETE FROM ${relation} WHERE EXISTS (SELECT 1 FROM ${slice} AS slice WHERE ${match})`);
  }
  statements.push(`INSERT INTO ${relation} SELECT * FROM ${slice}`);
  const insertAt = statements.length - 1;
  statements.push(`DROP TABLE ${slice}`);
  return { statements, rows: insertAt };
}

/** Whether this run renders `is_incremental()` true and appends, for a model of this config. */
export function runsIncrementally(
  existing: Target["existing"],
  config: { fullRefresh: boolean },
  flags: { fullRefresh?: boolean; fullRefreshProtected?: boolean },
): boolean {
  if (existing !== "table") return false;
  if (flags.fullRefreshProtected) return false;
  if (flags.fullRefresh) return config.fullRefresh === false;
  return true;
}
