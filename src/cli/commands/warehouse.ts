/**
 * Warehouse administration:
 *
 *   warehouse grant-readonly ROLE    PostgreSQL: ROLE may read the published gold and run/test records
 *
 * Functions take their options and an output sink so tests run them in process.
 */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { engineOfLocation } from "../../warehouse/open-warehouse.js";
import { READONLY_SCHEMAS, grantReadonlyRole, redactUrl } from "../../warehouse/postgres/index.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, processIO, type CommandIO } from "../output.js";

export async function grantReadonly(
  role: string,
  opts: CommonOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const location = settingsFrom(opts).values.warehouse;
  if (engineOfLocation(location) !== "postgres") {
    throw new UsageError(
      `grant-readonly applies to PostgreSQL warehouses only; ${location} is a DuckDB warehouse folder, ` +
        `which has no roles: give the dashboard's user read access to the folder instead`,
    );
  }
  await grantReadonlyRole(location, role);
  io.out(
    `role ${role} may now read ${READONLY_SCHEMAS.join(" and ")} of the published state in ${redactUrl(location)} ` +
      `(granted again at every publish and rollback)`,
  );
  return 0;
}

export function registerWarehouseCommand(program: Command): void {
  const warehouse = program.command("warehouse").description("warehouse administration");
  withCommonOptions(
    warehouse
      .command("grant-readonly <role>")
      .description(
        "PostgreSQL: let ROLE read the published gold marts and run/test records (tokyobeta_meta), nothing else",
      ),
  ).action(action((role: string, opts: CommonOptions) => grantReadonly(role, opts)));
}
