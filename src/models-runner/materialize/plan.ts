/** What every materialization returns: statements to run in order, and where the row count comes from. */
export interface MaterializationPlan {
  statements: string[];
  /**
   * `count`: rows of the target after the statements; a number: rows changed by that
   * statement (the INSERT of an incremental run); undefined: no row count (views).
   */
  rows?: "count" | number;
}

/** The relation a materialization builds, and what the warehouse already holds under its name. */
export interface Target {
  schema: string;
  name: string;
  /** The object currently at `schema.name`, if any. */
  existing?: "table" | "view";
}

/** `DROP VIEW` or `DROP TABLE` for what is there (nothing when absent). */
export function dropExisting(target: Target, relation: string): string[] {
  if (target.existing === "view") return [`DROP VIEW IF EXISTS ${relation}`];
  if (target.existing === "table") return [`DROP TABLE IF EXISTS ${relation}`];
  return [];
}
