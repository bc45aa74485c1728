/**
 * freshness [--json]: per monitored table and upstream table, the latest date and its level;
 * exit 0 ok, 1 warn, 2 critical. On CRITICAL every configured alert channel is alerted.
 *
 * The function takes its options, an output sink and (for tests) the clock and channel
 * tuning, so tests run it in process.
 */
import type { Command } from "commander";
import { checkFreshness, type FreshnessReport } from "../../monitor/check-freshness.js";
import { describeFreshnessCritical } from "../../monitor/describe-run-failure.js";
import { exitCodeOf } from "../../monitor/freshness-status.js";
import { channelsFromSettings, sendAlert } from "../../monitor/send-alert.js";
import type { ChannelResult } from "../../monitor/alert.js";
import { openStore } from "../../store/open-store.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface FreshnessOptions extends CommonOptions {
  json?: boolean;
}

export interface FreshnessRunOptions {
  now?: Date;
  /** Webhook backoff and timeouts (tests use short ones). */
  tuning?: { backoffMs?: number; timeoutMs?: number };
}

export async function runFreshness(
  opts: FreshnessOptions,
  io: CommandIO = processIO,
  run: FreshnessRunOptions = {},
): Promise<number> {
  const settings = settingsFrom(opts).values;
  const report: FreshnessReport = await checkFreshness({
    warehouse: () => openWarehouse(settings.warehouse, { keep: settings.keepGenerations }),
    store: () => openStore(settings),
    settings,
    now: run.now ?? new Date(),
  });
  let alerts: ChannelResult[] | undefined;
  let alertNote: string | undefined;
  if (report.level === "critical") {
    const channels = channelsFromSettings(settings, run.tuning);
    if (channels.length === 0) {
      alertNote =
        "no alert channel configured (ALERT_WEBHOOK_URLS, ALERT_EMAILS + SMTP_URL): nobody was alerted";
    } else {
      alerts = await sendAlert(describeFreshnessCritical(report), channels);
    }
  }
  if (opts.json) {
    io.out(JSON.stringify({ ...report, alerts: alerts ?? [] }, jsonReplacer));
  } else {
    io.out(
      render(
        report.rows.map((r) => ({
          level: r.level.toUpperCase(),
          check: r.target,
          latest: r.latest ?? "",
          "age h": r.ageHours ?? "",
          message: r.message,
        })),
        "table",
      ),
    );
  }
  const counts = (level: string) => report.rows.filter((r) => r.level === level).length;
  io.err(
    `freshness: ${report.level.toUpperCase()} (${counts("critical")} critical, ${counts("warn")} warn, ${counts("ok")} ok)`,
  );
  for (const a of alerts ?? []) {
    io.err(
      a.ok
        ? `alert sent: ${a.channel}`
        : `alert NOT delivered: ${a.channel}: ${a.error ?? "failed"} (${a.attempts} tries)`,
    );
  }
  if (alertNote) io.err(alertNote);
  return exitCodeOf(report.level);
}

export function registerFreshnessCommand(program: Command): void {
  withCommonOptions(
    program
      .command("freshness")
      .description(
        "latest date of each monitored table and upstream staleness; exit 0 ok, 1 warn, 2 critical (alerts on critical)",
      ),
  )
    .option("--json", "the report as one JSON object")
    .action(action((opts: FreshnessOptions) => runFreshness(opts)));
}
