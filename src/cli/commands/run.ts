import type { Command } from "commander";
import { parseBusinessDate, todayInTokyo } from "../../calendar/business-date.js";
import type { Settings } from "../../config/settings.js";
import { runDaily, type DailyRunResult } from "../../pipeline/daily-run.js";
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

/** Runs the daily job for the settings' target date and prints its report; exit 1 when not published. */
export async function runDailyCommand(settings: Settings, json = false): Promise<number> {
  const date = settings.targetDate ?? todayInTokyo();
  parseBusinessDate(date, "--date");
  const progress = createLoadProgress();
  const result = await runDaily(settings, date, {
    onProgress: progress.onProgress,
    onStep: (step) => json || process.stderr.write(`step: ${step}\n`),
  }).finally(() => progress.stop());
  if (json) console.log(JSON.stringify(summarize(result), jsonReplacer));
  else console.log(renderDailyReport(result));
  return result.published ? 0 : 1;
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
