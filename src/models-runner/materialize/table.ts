/**
 * Table: built under `<name>__tmp`, then swapped in (drop the old, rename the new). A failing
 * SELECT leaves the old table untouched. Pure.
 */
import { qualifiedName, quoteIdentifier } from "../../warehouse/quote-identifier.js";
import { dropExisting, type MaterializationPlan, type Target } from "./plan.js";

export const TMP_SUFFIX = "__tmp";

export function materializeTable(target: Target, sql: string): MaterializationPlan {
  return { statements: swapIn(target, `CREATE TABLE {tmp} AS\n${sql}\n`), rows: "count" };
}

/**
 * Statements that build a new table with `build` (its `{tmp}` replaced by the temporary
 * relation) and swap it in for the target.
 */
export function swapIn(target: Target, ...build: string[]): string[] {
  const relation = qualifiedName(target.schema, target.name);
  const tmpName = `${target.name}${TMP_SUFFIX}`;
  const tmp = qualifiedName(target.schema, tmpName);
  return [
    `DROP TABLE IF EXISTS ${tmp}`,
    ...build.map((s) => s.replaceAll("{tmp}", tmp)),
    ...dropExisting(target, relation),
    `ALTER TABLE ${tmp} RENAME TO ${quoteIdentifier(target.name)}`,
  ];
}
