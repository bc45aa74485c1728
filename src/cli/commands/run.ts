import type { Command } from "commander";
import { parseBusinessDate, todayInTokyo } from "../../calendar/business-date.js";
import type { Settings } from "../../config/settings.js";
import type { DailyRunResult } from "../../pipeline/daily-run.js";
import { runDailyRecorded, type RecordedRunOptions } from "../../pipeline/daily-run-recorded.js";
import { alertIfRunFailed } from "../../monitor/alert-on-run-failure.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { createLoadProgress } from "../load-progress.js";
import { action, jsonReplacer, render } from "../output.js";

interface RunDailyFlags extends CommonOptions {
  date?: string;
  maxStaleDays?: string;
  forceRebuildSnapshotDate?: string;
  occupancyRebuildStartDate?: string;
  lookbackDays?: string;
  forwardDays?: string;
  json?: boolean;
}

/**
 * Runs the daily job for the settings' target date with its run record and prints its report.
 * Exit 0 SUCCEEDED, 1 FAILED (not published, a step failed, strict archive), 3 TIMEOUT.
 */
export async function runDailyCommand(
  settings: Settings,
  json = false,
  options: Pick<RecordedRunOptions, "projectDir" | "timeoutMs" | "onStep"> = {},
): Promise<number> {
  const date = settings.targetDate ?? todayInTokyo();
  parseBusinessDate(date, "--date");
  const progress = createLoadProgress();
  const { record, result, exitCode } = await runDailyRecorded(settings, date, {
    ...options,
    onProgress: progress.onProgress,
    onStep: async (step) => {
      if (!json) process.stderr.write(`step: ${step}\n`);
      await options.onStep?.(step);
    },
  }).finally(() => progress.stop());
  for (const c of await alertIfRunFailed(record, settings))
    process.stderr.write(`alert ${c.channel}: ${c.ok ? "sent" : `FAILED (${c.error ?? "unknown"})`}\n`);
  if (json) {
    console.log(
      JSON.stringify(
        {
          run_id: record.runId,
          state: record.state,
          failing_step: record.failingStep ?? null,
          error: record.error ?? null,
          warnings: record.warnings,
          ...(result ? summarize(result) : {}),
        },
        jsonReplacer,
      ),
    );
  } else {
    if (result) console.log(renderDailyReport(result));
    for (const w of record.warnings) process.stderr.write(`warning: ${w}\n`);
    if (record.state !== "SUCCEEDED")
      process.stderr.write(
        `error: run ${record.runId} ${record.state} at step ${record.failingStep ?? "?"}: ${record.error ?? ""}\n`,
      );
    console.log(`run ${record.runId}: ${record.state} (tokyobeta runs show ${record.runId})`);
  }
  return exitCode;
}

function summarize(r: DailyRunResult) {
  return {
    target_date: r.targetDate,
    snapshot_date: r.snapshotDate,
    published: r.published,
    state: r.state?.id ?? null,
    steps: r.steps,
    rows: r.load.tables.reduce((s, t) => s + t.rows, 0),
    tests: countBy(r.tests.map((t) => t.status)),
    failing_tests: r.tests.filter((t) => t.status === "fail" || t.status === "error" || t.status === "warn"),
  };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export function renderDailyReport(r: DailyRunResult): string {
  const steps = r.steps.map((s) => ({ step: s.step, seconds: (s.durationMs / 1000).toFixed(2) }));
  const total = r.steps.reduce((s, x) => s + x.durationMs, 0) / 1000;
  const problems = r.tests
    .filter((t) => t.status !== "pass" && t.status !== "skipped")
    .map((t) => ({ test: t.test, severity: t.severity, status: t.status, failures: t.failures }));
  const lines = [
    `daily run for ${r.targetDate} (snapshot ${r.snapshotDate})`,
    render(steps, "table"),
    `total ${total.toFixed(1)} s; models ${JSON.stringify(countBy(r.models.map((m) => m.status)))}; tests ${JSON.stringify(countBy(r.tests.map((t) => t.status)))}`,
  ];
  if (problems.length) lines.push(render(problems, "table"));
  lines.push(
    r.published
      ? `published state ${r.state!.id}`
      : "NOT published: an error-severity test or model failed; the previous state stays current",
  );
  return lines.join("\n");
}

export function registerRunCommand(program: Command): void {
  const run = program.command("run").description("run a pipeline job");
  withCommonOptions(
    run.command("daily").description("the daily run: select, load, enrich, models, tests, publish"),
  )
    .option("--date <date>", "business date (DAILY_TARGET_DATE; default today in Asia/Tokyo)")
    .option("--max-stale-days <n>", "DAILY_MAX_DUMP_STALE_DAYS")
    .option("--force-rebuild-snapshot-date <date>", "DAILY_FORCE_REBUILD_SNAPSHOT_DATE")
    .option("--occupancy-rebuild-start-date <date>", "DAILY_OCCUPANCY_REBUILD_START_DATE")
    .option("--lookback-days <n>", "LOOKBACK_DAYS")
    .option("--forward-days <n>", "FORWARD_DAYS")
    .option("--json", "the run report as JSON")
    .action(
      action(async (flags: RunDailyFlags) => {
        const settings = settingsFrom(flags, {
          targetDate: flags.date,
          maxDumpStaleDays: flags.maxStaleDays,
          forceRebuildSnapshotDate: flags.forceRebuildSnapshotDate,
          occupancyRebuildStartDate: flags.occupancyRebuildStartDate,
          lookbackDays: flags.lookbackDays,
          forwardDays: flags.forwardDays,
        }).values;
        return runDailyCommand(settings, flags.json);
      }),
    );
}
