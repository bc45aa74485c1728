/**
 * The jobs `tokyobeta serve` schedules: the daily run (pipeline) with its failure alert, and
 * the freshness check (monitor) with its CRITICAL alert. Each logs one line per outcome and
 * never throws for a failed run: the record and the alert carry the failure.
 */
import { todayInTokyo } from "../calendar/business-date.js";
import type { Settings } from "../config/settings.js";
import { checkFreshness, type FreshnessReport } from "../monitor/check-freshness.js";
import { alertIfRunFailed } from "../monitor/alert-on-run-failure.js";
import { describeFreshnessCritical } from "../monitor/describe-run-failure.js";
import { channelsFromSettings, sendAlert } from "../monitor/send-alert.js";
import type { ChannelResult } from "../monitor/alert.js";
import { runDailyRecorded, type RecordedRunOptions } from "../pipeline/daily-run-recorded.js";
import type { RunRecord } from "../pipeline/run-records.js";
import { openStore } from "../store/open-store.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { Warehouse } from "../warehouse/warehouse.js";

export type Log = (line: string) => void;

/** Test hooks of the daily run (a slow step, a tiny time limit, another models project). */
export type DailyJobHooks = Pick<RecordedRunOptions, "projectDir" | "timeoutMs" | "onStep">;

function logAlerts(log: Log, job: string, sent: ChannelResult[]): void {
  if (sent.length === 0) log(`${job}: no alert channel configured: nobody was alerted`);
  for (const c of sent)
    log(`${job}: alert ${c.channel}: ${c.ok ? "sent" : `FAILED (${c.error ?? "unknown"})`}`);
}

/** One daily run for the target date (setting, else today in Asia/Tokyo); alerts when it FAILED or TIMED OUT. */
export async function dailyJob(settings: Settings, log: Log, hooks: DailyJobHooks = {}): Promise<RunRecord> {
  const date = settings.targetDate ?? todayInTokyo();
  const { record } = await runDailyRecorded(settings, date, hooks);
  log(
    `daily: run ${record.runId} for ${date}: ${record.state}` +
      (record.state === "SUCCEEDED"
        ? ` (published ${record.publishedState ?? "-"})`
        : `: ${record.error ?? ""}`),
  );
  logAlerts(log, "daily", await alertIfRunFailed(record, settings));
  return record;
}

/** The freshness check; CRITICAL alerts every configured channel. */
export async function freshnessJob(
  settings: Settings,
  log: Log,
  now: Date = new Date(),
): Promise<FreshnessReport> {
  const report = await checkFreshness({
    warehouse: () => openWarehouse(settings.warehouse, { keep: settings.keepGenerations }),
    store: () => openStore(settings),
    settings,
    now,
  });
  const critical = report.rows.filter((r) => r.level === "critical");
  log(
    `freshness: ${report.level.toUpperCase()}${critical.map((r) => `; ${r.target}: ${r.message}`).join("")}`,
  );
  if (report.level === "critical") {
    logAlerts(
      log,
      "freshness",
      await sendAlert(describeFreshnessCritical(report), channelsFromSettings(settings)),
    );
  }
  return report;
}

/**
 * Why a daily run cannot start now: the warehouse's writer lock is held by a live writer
 * (another `run daily`, a backfill), as the warehouse itself describes it. Undefined when free,
 * or when the warehouse cannot be asked (the run then starts and records why it failed).
 */
export async function writerBusy(location: string): Promise<string | undefined> {
  let warehouse: Warehouse | undefined;
  try {
    warehouse = await openWarehouse(location);
    const holder = await warehouse.writerHolder();
    return holder === null
      ? undefined
      : `the warehouse is locked by another writer (${holder.slice(0, 200)})`;
  } catch {
    return undefined;
  } finally {
    await warehouse?.close().catch(() => undefined);
  }
}
