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
