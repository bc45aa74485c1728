/**
 * SMTP e-mail channel (nodemailer): one message to several recipients. SMTP_URL is
 * `smtp://[user:pass@]host[:port]` (plain, upgraded with STARTTLS when the server offers it)
 * or `smtps://...` (TLS from the start); `rejectUnauthorized: false` accepts self-signed
 * certificates.
 */
import nodemailer from "nodemailer";
import { formatAlertMessage, type Alert, type ChannelResult } from "./alert.js";

export interface EmailChannel {
  type: "email";
  smtpUrl: string | undefined;
  from: string;
  to: string[];
  rejectUnauthorized?: boolean;
  /** Connection, greeting and socket timeout; default 15 s. */
  timeoutMs?: number;
}

/** The channel's name as printed: server and recipients, never the credentials. */
export function emailName(channel: EmailChannel): string {
  let server = "(no SMTP_URL)";
  if (channel.smtpUrl) {
    try {
      const u = new URL(channel.smtpUrl);
      server = `${u.protocol}//${u.host}`;
    } catch {
      server = "(invalid SMTP_URL)";
    }
  }
  return `email ${server} -> ${channel.to.length > 0 ? channel.to.join(", ") : "(no recipients)"}`;
}

export async function deliverEmail(alert: Alert, channel: EmailChannel): Promise<ChannelResult> {
  const name = emailName(channel);
  if (!channel.smtpUrl)
    return { channel: name, ok: false, attempts: 0, error: "ALERT_EMAILS is set but SMTP_URL is not" };
  if (channel.to.length === 0)
    return { channel: name, ok: false, attempts: 0, error: "SMTP_URL is set but ALERT_EMAILS is empty" };
  let url: URL;
  try {
    url = new URL(channel.smtpUrl);
  } catch {
    return { channel: name, ok: false, attempts: 0, error: "SMTP_URL is not a URL" };
  }
  const timeout = channel.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    secure: url.protocol === "smtps:",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    tls: { rejectUnauthorized: channel.rejectUnauthorized ?? true },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const { subject, text } = formatAlertMessage(alert);
  try {
    const info = await transport.sendMail({ from: channel.from, to: channel.to, subject, text });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0) {
      return { channel: name, ok: false, attempts: 1, error: `server refused ${rejected.join(", ")}` };
    }
    return { channel: name, ok: true, attempts: 1 };
  } catch (err) {
    return { channel: name, ok: false, attempts: 1, error: (err as Error).message };
  } finally {
    transport.close();
  }
}
