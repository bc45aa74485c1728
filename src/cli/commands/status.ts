/**
 * `tokyobeta status [--json] [--limit N]`: the last runs (id, date, state, duration, failing
 * step) and the published state (id, as-of date, published at). A RUNNING record whose
 * process is gone shows as FAILED (crashed).
 *
 * Functions take their options and an output sink so tests run them in process.
 */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { crashedStep, effectiveState, openRunRecords, type RunRecord } from "../../pipeline/run-records.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface StatusOptions extends CommonOptions {
  json?: boolean;
  limit?: string;
}

/** One run as status and `runs show` present it. */
export function runSummary(r: RunRecord) {
  const { state, crashed } = effectiveState(r);
  return {
    run_id: r.runId,
    target_date: r.targetDate,
    state: crashed ? "FAILED (crashed)" : state,
    started_at: r.startedAt,
    duration_s: r.durationMs === undefined ? null : Number((r.durationMs / 1000).toFixed(1)),
    failing_step: r.failingStep ?? (crashed ? (crashedStep(r) ?? null) : null),
    published_state: r.publishedState ?? null,
    warnings: r.warnings.length,
  };
}

interface PublishedSummary {
  id: string;
  as_of_date: string | null;
  published_at: string;
  current_since: string;
  label: string | null;
}

async function publishedSummary(location: string): Promise<PublishedSummary | null> {
  const warehouse = await openWarehouse(location);
  try {
    const current = (await warehouse.listStates()).find((s) => s.current);
    if (!current) return null;
    let asOf: string | null = null;
    const reader = await warehouse.openPublished();
    try {
      const res = await reader.query(
        "SELECT CAST(MAX(snapshot_date) AS VARCHAR) AS d FROM gold.occupancy_daily_metrics WHERE NOT is_projection",
      );
      asOf = (res.rows[0]?.d as string | null) ?? null;
    } catch {
      asOf = null; // no gold yet
    } finally {
      await reader.close();
    }
    return {
      id: current.id,
      as_of_date: asOf,
      published_at: current.publishedAt,
      current_since: current.currentSince,
      label: current.label ?? null,
    };
  } finally {
    await warehouse.close();
  }
}

export async function statusReport(opts: StatusOptions, io: CommandIO = processIO): Promise<number> {
  const limit = opts.limit === undefined ? 10 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit: expected a positive integer, got ${opts.limit}`);
  const settings = settingsFrom(opts).values;
  const runs = (await openRunRecords(settings.warehouse).list(limit)).map(runSummary);
  const published = await publishedSummary(settings.warehouse);
  if (opts.json) {
    io.out(JSON.stringify({ warehouse: settings.warehouse, published, runs }, jsonReplacer));
    return 0;
  }
  io.out(
    published
      ? `published state ${published.id} (as of ${published.as_of_date ?? "?"}; published ${published.published_at}; current since ${published.current_since})`
      : `no published state in ${settings.warehouse}`,
  );
  io.out(runs.length ? render(runs, "table") : "no runs recorded");
  return 0;
}

export function registerStatusCommand(program: Command): void {
  withCommonOptions(program.command("status").description("the last runs and the published state"))
    .option("--limit <n>", "how many runs (default 10)")
    .option("--json", "one JSON object")
    .action(action((opts: StatusOptions) => statusReport(opts)));
}
