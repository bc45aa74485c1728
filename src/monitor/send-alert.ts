/**
 * Sends one alert to every channel at once. A channel failure is a result, never an
 * exception: the caller reports which channels delivered.
 */
import type { Settings } from "../config/settings.js";
import type { Alert, ChannelResult } from "./alert.js";
import { deliverEmail, type EmailChannel } from "./email-channel.js";
import { deliverWebhook, type WebhookChannel } from "./webhook-channel.js";

export type AlertChannel = WebhookChannel | EmailChannel;

export type AlertSettings = Pick<
  Settings,
  | "alertWebhookUrls"
  | "alertWebhookSecret"
  | "alertWebhookAttempts"
  | "alertEmails"
  | "alertEmailFrom"
  | "smtpUrl"
  | "smtpRejectUnauthorized"
>;

/**
 * The configured channels: one per webhook URL, and one e-mail channel for all recipients
 * when ALERT_EMAILS or SMTP_URL is set (when only one of them is, the channel is kept so
 * that delivery fails loudly instead of being skipped).
 */
export function channelsFromSettings(
  settings: AlertSettings,
  tuning: { backoffMs?: number; timeoutMs?: number } = {},
): AlertChannel[] {
  const channels: AlertChannel[] = settings.alertWebhookUrls.map((url) => ({
    type: "webhook" as const,
    url,
    secret: settings.alertWebhookSecret,
    attempts: settings.alertWebhookAttempts,
    ...tuning,
  }));
  if (settings.alertEmails.length > 0 || settings.smtpUrl) {
    channels.push({
      type: "email",
      smtpUrl: settings.smtpUrl,
      from: settings.alertEmailFrom,
      to: settings.alertEmails,
      rejectUnauthorized: settings.smtpRejectUnauthorized,
      ...(tuning.timeoutMs ? { timeoutMs: tuning.timeoutMs } : {}),
    });
  }
  return channels;
}

export async function sendAlert(alert: Alert, channels: readonly AlertChannel[]): Promise<ChannelResult[]> {
  return Promise.all(
    channels.map(async (channel) => {
      try {
        return channel.type === "webhook"
          ? await deliverWebhook(alert, channel)
          : await deliverEmail(alert, channel);
      } catch (err) {
        return { channel: channel.type, ok: false, attempts: 0, error: (err as Error).message };
      }
    }),
  );
}
