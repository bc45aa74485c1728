/**
 * alerts drill: raises an intentional failure, sends its alert through every configured
 * channel and reports per channel whether delivery succeeded. Exit 1 when any channel failed
 * or none is configured.
 */
import type { Command } from "commander";
import type { Alert, ChannelResult } from "../../monitor/alert.js";
import { describeRunFailure } from "../../monitor/describe-run-failure.js";
import { channelsFromSettings, sendAlert } from "../../monitor/send-alert.js";
import { todayInTokyo } from "../../calendar/business-date.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface DrillOptions extends CommonOptions {
  json?: boolean;
}

class DrillFailure extends Error {}

/** The drill's alert: a real failure, thrown and caught, described like a run failure. */
export function drillAlert(now: Date = new Date()): Alert {
  const runId = `drill-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}`;
  let reason: string;
  try {
    throw new DrillFailure("intentional failure raised by 'tokyobeta alerts drill' to test alert delivery");
  } catch (err) {
    reason = (err as Error).message;
  }
  return {
    ...describeRunFailure({
      runId,
      targetDate: todayInTokyo(now),
      step: "drill",
      reason,
      state: "FAILED",
      at: now.toISOString(),
      nextAction:
        "nothing to fix: confirm this alert arrived on every channel the drill reported as delivered",
    }),
    kind: "drill",
  };
}

export async function runAlertsDrill(
  opts: DrillOptions,
  io: CommandIO = processIO,
  tuning: { backoffMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const settings = settingsFrom(opts).values;
  const channels = channelsFromSettings(settings, tuning);
  if (channels.length === 0) {
    io.err(
      "no alert channel configured: set ALERT_WEBHOOK_URLS and/or ALERT_EMAILS with SMTP_URL (or alerts.* in the config file)",
    );
    return 1;
  }
  const alert = drillAlert();
  const results: ChannelResult[] = await sendAlert(alert, channels);
  if (opts.json) {
    for (const r of results) io.out(JSON.stringify({ run_id: alert.run_id, ...r }, jsonReplacer));
  } else {
    io.out(
      render(
        results.map((r) => ({
          channel: r.channel,
          delivered: r.ok ? "yes" : "NO",
          tries: r.attempts,
          error: r.error ?? "",
        })),
        "table",
      ),
    );
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    io.err(
      `drill ${alert.run_id}: ${failed.length} of ${results.length} channel${results.length === 1 ? "" : "s"} failed: ${failed.map((f) => f.channel).join("; ")}`,
    );
    return 1;
  }
  io.err(
    `drill ${alert.run_id}: delivered on all ${results.length} channel${results.length === 1 ? "" : "s"}`,
  );
  return 0;
}

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command("alerts").description("alert channels (webhook, e-mail)");
  withCommonOptions(
    alerts
      .command("drill")
      .description(
        "send an intentional failure alert through every configured channel; exit 1 if any channel failed or none is configured",
      ),
  )
    .option("--json", "one JSON object per channel")
    .action(action((opts: DrillOptions) => runAlertsDrill(opts)));
}
