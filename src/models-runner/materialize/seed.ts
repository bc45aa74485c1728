/** Seed: CREATE TABLE with the seed's columns under `<name>__tmp`, INSERT the rows as typed literals, swap in. Pure. */
import { quoteIdentifier } from "../../warehouse/quote-identifier.js";
import type { SeedNode } from "../types.js";
import type { MaterializationPlan, Target } from "./plan.js";
import { swapIn } from "./table.js";

const BATCH = 500;

export function materializeSeed(
  target: Target,
  seed: Pick<SeedNode, "seedColumns" | "rows">,
): MaterializationPlan {
  const columns = seed.seedColumns.map((c) => `${quoteIdentifier(c.name)} ${c.sqlType}`).join(", ");
  const build = [`CREATE TABLE {tmp} (${columns})`];
  for (let i = 0; i < seed.rows.length; i += BATCH) {
    const values = seed.rows
      .slice(i, i + BATCH)
      .map(
        (row) =>
          `(${seed.seedColumns
            .map((c, j) => {
              const cell = row[j] ?? "";
              return cell === ""
                ? `CAST(NULL AS ${c.sqlType})`
                : `CAST('${cell.replace(/'/g, "''")}' AS ${c.sqlType})`;
            })
            .join(", ")})`,
      )
      .join(",\n");
    build.push(`INSERT INTO {tmp} VALUES\n${values}`);
  }
  return { statements: swapIn(target, ...build), rows: "count" };
}
