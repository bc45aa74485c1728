/** What the daily run calls when it ends FAILED or TIMEOUT: alert every configured channel. */
import type { ChannelResult } from "./alert.js";
import { describeRunFailure, type RunFailure } from "./describe-run-failure.js";
import { channelsFromSettings, sendAlert, type AlertSettings } from "./send-alert.js";

/**
 * Sends the run-failure alert to every configured channel; resolves with one result per
 * channel (empty when none is configured) and never rejects, so a broken channel cannot
 * hide the run's own failure.
 */
export async function alertOnRunFailure(run: RunFailure, settings: AlertSettings): Promise<ChannelResult[]> {
  try {
    return await sendAlert(describeRunFailure(run), channelsFromSettings(settings));
  } catch (err) {
    return [{ channel: "alerts", ok: false, attempts: 0, error: (err as Error).message }];
  }
}

/** What alerting needs of a finished run record (the pipeline's RunRecord has these fields). */
export interface EndedRun {
  runId: string;
  targetDate: string;
  state: string;
  failingStep?: string;
  error?: string;
  endedAt?: string;
}

/**
 * Alerts every channel when the run ended FAILED or TIMEOUT; resolves with one result per
 * channel, or an empty list when the run succeeded (nothing to say) or no channel is set.
 */
export async function alertIfRunFailed(run: EndedRun, settings: AlertSettings): Promise<ChannelResult[]> {
  if (run.state !== "FAILED" && run.state !== "TIMEOUT") return [];
  return alertOnRunFailure(
    {
      runId: run.runId,
      targetDate: run.targetDate,
      step: run.failingStep ?? "?",
      reason: run.error ?? run.state,
      state: run.state,
      at: run.endedAt ?? new Date().toISOString(),
    },
    settings,
  );
}
