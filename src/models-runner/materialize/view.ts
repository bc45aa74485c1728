/** View: CREATE OR REPLACE VIEW (a table of the same name is dropped first). Pure. */
import { qualifiedName } from "../../warehouse/quote-identifier.js";
import { dropExisting, type MaterializationPlan, type Target } from "./plan.js";

export function materializeView(target: Target, sql: string): MaterializationPlan {
  const relation = qualifiedName(target.schema, target.name);
  return {
    statements: [
      ...(target.existing === "table" ? dropExisting(target, relation) : []),
      `CREATE OR REPLACE VIEW ${relation} AS\n${sql}\n`,
    ],
  };
}
