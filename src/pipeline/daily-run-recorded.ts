/**
 * The daily run with its run record, time limit and archive step (operations.md steps 1-8):
 * `runDailyRecorded` writes a RUNNING record before anything else, updates it at every step
 * end, copies it into the new state (`tokyobeta_meta.daily_runs`) just before publish, archives
 * the processed dump after publish and writes the final state: SUCCEEDED, FAILED or TIMEOUT.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import type { Settings } from "../config/settings.js";
import { TokyobetaError } from "../errors.js";
import { archiveProcessedDump, openStore } from "../store/index.js";
import type { SqlParam, StateWriter } from "../warehouse/warehouse.js";
import { runDaily, type DailyRunOptions, type DailyRunResult } from "./daily-run.js";
import {
  effectiveState,
  newRunId,
  openRunRecords,
  type RunRecord,
  type RunRecords,
  type RunState,
} from "./run-records.js";

export const KPI_DEFINITION_VERSION = "occupancy-v1";

/** The run ended past its time limit; its state was abandoned. */
export class RunTimeoutError extends TokyobetaError {
  override readonly exitCode = 3;
}

export type RecordedDailySettings = Settings;

export interface RecordedRunOptions extends Pick<DailyRunOptions, "projectDir" | "onProgress" | "onStep"> {
  runId?: string;
  /** Time limit in milliseconds; default from `dailyRunTimeoutMinutes`. */
  timeoutMs?: number;
}

export interface RecordedRunOutcome {
  record: RunRecord;
  /** The daily run's result, when it returned (not for errors, timeouts). */
  result?: DailyRunResult;
  /** Exit code for the CLI: 0 SUCCEEDED, 1 FAILED, 3 TIMEOUT. */
  exitCode: number;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let cachedVersion: string | undefined;

/** `git describe --always --dirty` of the code when it is a git checkout, else the package version. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    cachedVersion = execFileSync("git", ["describe", "--always", "--dirty"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    }).trim();
  } catch {
    // Not a checkout, or git is missing.
  }
  if (!cachedVersion) {
    try {
      const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version?: string };
      cachedVersion = `v${pkg.version ?? "unknown"}`;
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 2000);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function fillFromResult(record: RunRecord, r: Omit<DailyRunResult, "state" | "published">): void {
  record.snapshotDate = r.snapshotDate;
  record.rowsPerTable = Object.fromEntries(r.load.tables.map((t) => [t.table, t.rows]));
  record.dump = { ...record.dump, key: record.dump?.key ?? r.load.file, sha256: r.load.sha256 };
  const failing = r.tests.filter((t) => t.status === "fail" || t.status === "error" || t.status === "warn");
  record.tests = {
    counts: countBy(r.tests.map((t) => t.status)),
    failing: failing.map((t) => ({
      test: t.test,
      severity: t.severity,
      status: t.status,
      failures: t.failures,
    })),
  };
  for (const t of failing)
    if (t.status === "warn" || t.severity === "warn")
      record.warnings.push(`test ${t.test} (warn): ${t.failures} failing rows`);
}

function finish(record: RunRecord, state: RunState): void {
  record.state = state;
  record.endedAt = new Date().toISOString();
  record.durationMs = Date.parse(record.endedAt) - Date.parse(record.startedAt);
}

/** Runs the daily job for `targetDate` with its record; never throws for a failed run. */
export async function runDailyRecorded(
  settings: RecordedDailySettings,
  targetDate: string,
  options: RecordedRunOptions = {},
): Promise<RecordedRunOutcome> {
  const records = openRunRecords(settings.warehouse);
  const runId = options.runId ?? newRunId("daily");
  const record: RunRecord = {
    format: 1,
    runId,
    kind: "daily",
    targetDate,
    state: "RUNNING",
    startedAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
    command: process.argv.join(" ").slice(0, 1000),
    codeVersion: codeVersion(),
    modelVersions: { kpiDefinitionVersion: KPI_DEFINITION_VERSION },
    steps: [],
    rowsPerTable: {},
    warnings: [],
  };
  await records.write(record);

  const timeoutMs = options.timeoutMs ?? settings.dailyRunTimeoutMinutes * 60_000;
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new RunTimeoutError(
          `run ${runId} exceeded its time limit of ${formatLimit(timeoutMs)} (DAILY_RUN_TIMEOUT_MINUTES); its state was abandoned`,
        ),
      ),
    timeoutMs,
  );
  timer.unref();

  let result: DailyRunResult | undefined;
  try {
    result = await runDaily(settings, targetDate, {
      projectDir: options.projectDir,
      runId,
      onProgress: options.onProgress,
      signal: controller.signal,
      onCandidate: (c) => {
        record.snapshotDate = c.date;
        record.dump = { key: c.dumpKey, sha256: c.sha256, bytes: c.bytes };
      },
      onStep: async (step) => {
        record.steps.push({ step, startedAt: new Date().toISOString(), status: "running" });
        await records.write(record);
        await options.onStep?.(step);
      },
      onStepEnd: async (timing, error) => {
        const s = [...record.steps].reverse().find((x) => x.step === timing.step && x.status === "running");
        if (s) {
          s.endedAt = new Date(Date.parse(timing.startedAt) + timing.durationMs).toISOString();
          s.durationMs = timing.durationMs;
          s.status = error === undefined ? "ok" : "failed";
          if (error !== undefined) s.error = message(error);
        }
        await records.write(record);
      },
      beforePublish: async (writer, built) => {
        fillFromResult(record, built);
        await writeDailyRuns(writer, records, {
          ...record,
          state: "SUCCEEDED",
          publishedState: writer.stateId,
          // Readers see this copy only once the publish step, still running now, has succeeded;
          // how long it took is known only to the run record outside the state.
          steps: record.steps.map((s) => (s.status === "running" ? { ...s, status: "ok" } : s)),
        });
      },
    });
  } catch (err) {
    clearTimeout(timer);
    const timedOut = err instanceof RunTimeoutError;
    record.error = message(err);
    const last = lastStep(record);
    record.failingStep =
      record.steps.find((s) => s.status === "failed")?.step ?? (last ? `after ${last}` : "start");
    finish(record, timedOut ? "TIMEOUT" : "FAILED");
    await records.write(record);
    return { record, exitCode: timedOut ? 3 : 1 };
  }
  clearTimeout(timer);
  fillFromResult(record, result);

  if (!result.published) {
    const failed = result.tests.filter(
      (t) => t.severity === "error" && (t.status === "fail" || t.status === "error"),
    );
    const failedModels = result.models.filter((m) => m.status === "error");
    record.failingStep = failedModels.length > 0 ? "models" : "tests";
    record.error =
      `not published: ${[...failedModels.map((m) => `model ${m.node}`), ...failed.map((t) => `test ${t.test}`)].join(", ") || "error-severity failure"}; ` +
      "the previous state stays current";
    finish(record, "FAILED");
    await records.write(record);
    return { record, result, exitCode: 1 };
  }
  record.publishedState = result.state?.id;
  record.dataPublished = true;

  // Step 8: archive the processed dump (non-critical unless strict).
  const started = new Date();
  record.steps.push({ step: "archive", startedAt: started.toISOString(), status: "running" });
  await records.write(record);
  await options.onStep?.("archive");
  const archiveStep = record.steps[record.steps.length - 1]!;
  let archiveError: unknown;
  try {
    await archiveProcessedDump(openStore(settings), result.snapshotDate, {
      prefix: settings.dumpPrefix,
      runId,
      sha256: result.load.sha256,
    });
  } catch (err) {
    archiveError = err ?? new Error("archive failed");
  }
  archiveStep.endedAt = new Date().toISOString();
  archiveStep.durationMs = Date.now() - started.getTime();
  archiveStep.status = archiveError === undefined ? "ok" : "failed";
  if (archiveError !== undefined) {
    archiveStep.error = message(archiveError);
    if (settings.failOnArchiveError) {
      record.failingStep = "archive";
      record.error =
        `archive of the processed dump failed (DAILY_FAIL_ON_ARCHIVE_ERROR=true): ${message(archiveError)}; ` +
        `the data IS published (state ${record.publishedState})`;
      finish(record, "FAILED");
      await records.write(record);
      return { record, result, exitCode: 1 };
    }
    record.warnings.push(`archive of the processed dump failed (non-critical): ${message(archiveError)}`);
  }
  finish(record, "SUCCEEDED");
  await records.write(record);
  return { record, result, exitCode: 0 };
}

function lastStep(record: RunRecord): string | undefined {
  return record.steps[record.steps.length - 1]?.step;
}

function formatLimit(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(ms % 60_000 ? 2 : 0)} min` : `${ms} ms`;
}

const DAILY_RUNS_DDL = `CREATE SCHEMA IF NOT EXISTS tokyobeta_meta;
CREATE TABLE IF NOT EXISTS tokyobeta_meta.daily_runs (
  run_id VARCHAR PRIMARY KEY, target_date DATE, snapshot_date DATE, state VARCHAR NOT NULL,
  started_at TIMESTAMP, ended_at TIMESTAMP, duration_ms BIGINT, failing_step VARCHAR, error VARCHAR,
  dump_key VARCHAR, dump_sha256 VARCHAR, code_version VARCHAR, kpi_definition_version VARCHAR,
  published_state VARCHAR, warnings INTEGER, record_json VARCHAR NOT NULL
)`;

/**
 * Copies run history into the state about to be published: this run (as it will be recorded)
 * and every other record, so failed and crashed runs appear on the data-quality page too.
 */
async function writeDailyRuns(writer: StateWriter, records: RunRecords, current: RunRecord): Promise<void> {
  await writer.exec(DAILY_RUNS_DDL);
  const others = (await records.list(500)).filter((r) => r.runId !== current.runId);
  for (const r of [current, ...others]) {
    const { state, crashed } = effectiveState(r);
    const p: SqlParam[] = [
      r.runId,
      r.targetDate,
      r.snapshotDate ?? null,
      crashed ? "FAILED" : state,
      r.startedAt.replace("Z", ""),
      r.endedAt?.replace("Z", "") ?? null,
      r.durationMs ?? null,
      r.failingStep ?? null,
      r.error ?? (crashed ? "crashed: the process ended without finishing its record" : null),
      r.dump?.key ?? null,
      r.dump?.sha256 ?? null,
      r.codeVersion,
      r.modelVersions.kpiDefinitionVersion,
      r.publishedState ?? null,
      r.warnings.length,
      JSON.stringify(r),
    ];
    await writer.exec("DELETE FROM tokyobeta_meta.daily_runs WHERE run_id = ?", [r.runId]);
    await writer.exec(
      `INSERT INTO tokyobeta_meta.daily_runs VALUES (?, CAST(? AS DATE), CAST(? AS DATE), ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      p,
    );
  }
}
