/**
 * `tokyobeta runs show ID [--json]`: one run record with its step table.
 *
 * Functions take their options and an output sink so tests run them in process.
 */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { effectiveState, openRunRecords } from "../../pipeline/run-records.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";
import { runSummary } from "./status.js";

export interface RunsShowOptions extends CommonOptions {
  json?: boolean;
}

export async function showRun(id: string, opts: RunsShowOptions, io: CommandIO = processIO): Promise<number> {
  const settings = settingsFrom(opts).values;
  const record = await openRunRecords(settings.warehouse).read(id);
  if (!record) throw new UsageError(`no run ${id} in ${settings.warehouse} (see tokyobeta status)`);
  const { state, crashed } = effectiveState(record);
  if (opts.json) {
    io.out(JSON.stringify({ ...record, effective_state: state, crashed }, jsonReplacer));
    return 0;
  }
  const s = runSummary(record);
  const lines = [
    `run ${record.runId}: ${s.state}`,
    `target date ${record.targetDate}${record.snapshotDate ? ` (snapshot ${record.snapshotDate})` : ""}; started ${record.startedAt}${record.endedAt ? `; ended ${record.endedAt}` : ""}${s.duration_s === null ? "" : `; ${s.duration_s} s`}`,
    `dump ${record.dump?.key ?? "-"} sha256 ${record.dump?.sha256 ?? "-"}`,
    `code ${record.codeVersion}; kpi ${record.modelVersions.kpiDefinitionVersion}; pid ${record.pid} on ${record.host}`,
    render(
      record.steps.map((st) => ({
        step: st.step,
        started_at: st.startedAt,
        ended_at: st.endedAt ?? "",
        seconds: st.durationMs === undefined ? "" : (st.durationMs / 1000).toFixed(2),
        status: st.status === "running" && crashed ? "crashed" : st.status,
        error: st.error ?? "",
      })),
      "table",
    ),
  ];
  const rows = Object.entries(record.rowsPerTable).map(([table, n]) => ({ table, rows: n }));
  if (rows.length) lines.push(render(rows, "table"));
  if (record.tests) lines.push(`tests ${JSON.stringify(record.tests.counts)}`);
  if (record.tests?.failing.length) lines.push(render(record.tests.failing, "table"));
  for (const w of record.warnings) lines.push(`warning: ${w}`);
  if (s.failing_step) lines.push(`failing step: ${s.failing_step}`);
  if (record.error) lines.push(`error: ${record.error}`);
  if (crashed) lines.push("the process ended without finishing its record (killed or crashed)");
  io.out(lines.join("\n"));
  return 0;
}

export function registerRunsCommand(program: Command): void {
  const runs = program.command("runs").description("run records");
  withCommonOptions(runs.command("show <id>").description("one run with its steps"))
    .option("--json", "the record as JSON")
    .action(action((id: string, opts: RunsShowOptions) => showRun(id, opts)));
}
