/**
 * Generic tests -> a query returning the failing rows (dbt's habit). Standard SQL only, so
 * DuckDB and PostgreSQL run the same text. Pure.
 */
import { quoteIdentifier as q } from "../warehouse/quote-identifier.js";
import { sqlLiteral } from "./template.js";
import type { GenericTestType } from "./types.js";

export interface GenericTestInput {
  type: GenericTestType;
  /** The tested relation, quoted (`"silver"."stg_tenants"`). */
  relation: string;
  column?: string;
  /** Rendered arguments: `to` as a quoted relation, `where` and `expression` as SQL. */
  args: Record<string, unknown>;
  where?: string;
}

export function genericTestSql(t: GenericTestInput): string {
  const from = t.where
    ? `(SELECT * FROM ${t.relation} WHERE ${t.where}) AS tested`
    : `${t.relation} AS tested`;
  const col = t.column === undefined ? "" : q(t.column);
  switch (t.type) {
    case "not_null":
      return `SELECT * FROM ${from} WHERE ${col} IS NULL`;
    case "unique":
      return `SELECT ${col} AS value, count(*) AS n_records FROM ${from} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1`;
    case "accepted_values": {
      const values = (t.args.values as unknown[]).map((v) =>
        typeof v === "string" ? `'${v.replace(/'/g, "''")}'` : sqlLiteral(v),
      );
      return `SELECT ${col} AS value, count(*) AS n_records FROM ${from} WHERE ${col} IS NOT NULL AND ${col} NOT IN (${values.join(", ")}) GROUP BY ${col}`;
    }
    case "relationships":
      return (
        `SELECT ${col} AS value FROM ${from} WHERE ${col} IS NOT NULL AND NOT EXISTS ` +
        `(SELECT 1 FROM ${t.args.to as string} AS parent WHERE parent.${q(t.args.field as string)} = tested.${col})`
      );
    case "expression_is_true": {
      const expression =
        t.column === undefined ? (t.args.expression as string) : `${col} ${t.args.expression as string}`;
      return `SELECT * FROM ${from} WHERE NOT (${expression})`;
    }
    case "row_count": {
      const bounds: string[] = [];
      if (typeof t.args.min === "number") bounds.push(`n < ${t.args.min}`);
      if (typeof t.args.max === "number") bounds.push(`n > ${t.args.max}`);
      return `SELECT n AS row_count FROM (SELECT count(*) AS n FROM ${from}) AS counted WHERE ${bounds.join(" OR ")}`;
    }
    case "unique_combination": {
      const cols = (t.args.columns as string[]).map(q).join(", ");
      return `SELECT ${cols}, count(*) AS n_records FROM ${from} GROUP BY ${cols} HAVING count(*) > 1`;
    }
  }
}
