/** The command tree. Each command lives in commands/<name>.ts and registers itself here. */
import { Command } from "commander";
import { registerAlertsCommand } from "./commands/alerts.js";
import { registerArchiveCommand } from "./commands/archive.js";
import { registerBackfillCommand } from "./commands/backfill.js";
import { registerConfigCommand } from "./commands/config.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDumpsCommand } from "./commands/dumps.js";
import { registerEnrichCommand } from "./commands/enrich.js";
import { registerExportCommand } from "./commands/export.js";
import { registerFreshnessCommand } from "./commands/freshness.js";
import { registerIngestCommands } from "./commands/ingest.js";
import { registerModelsCommand } from "./commands/models.js";
import { registerKpiCommand } from "./commands/kpi.js";
import { registerQueryCommand } from "./commands/query.js";
import { registerReconcileCommand } from "./commands/reconcile.js";
import { registerRunCommand } from "./commands/run.js";
import { registerRunsCommand } from "./commands/runs.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerStatesCommand } from "./commands/states.js";
import { registerUsersCommand } from "./commands/users.js";
import { registerWarehouseCommand } from "./commands/warehouse.js";

export function buildProgram(): Command {
  const program = new Command("tokyobeta")
    .description("Daily PMS dump -> occupancy KPIs, marts and a dashboard")
    .version(process.env.npm_package_version ?? "0.1.0");
  registerDemoCommand(program);
  registerConfigCommand(program);
  registerDumpsCommand(program);
  registerEnrichCommand(program);
  registerIngestCommands(program);
  registerBackfillCommand(program);
  registerRunCommand(program);
  registerStatusCommand(program);
  registerRunsCommand(program);
  registerKpiCommand(program);
  registerReconcileCommand(program);
  registerModelsCommand(program);
  registerQueryCommand(program);
  registerStatesCommand(program);
  registerFreshnessCommand(program);
  registerAlertsCommand(program);
  registerUsersCommand(program);
  registerServeCommand(program);
  registerExportCommand(program);
  registerArchiveCommand(program);
  registerWarehouseCommand(program);
  return program;
}
