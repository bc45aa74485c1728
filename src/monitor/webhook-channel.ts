/**
 * HTTP webhook channel: POSTs the alert as JSON, signed with HMAC-SHA256 of the exact body
 * when a shared secret is set (`X-Tokyobeta-Signature: sha256=<hex>`), retried with
 * exponential backoff on network errors, timeouts, 408, 429 and 5xx.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Alert, ChannelResult } from "./alert.js";

export const SIGNATURE_HEADER = "X-Tokyobeta-Signature";

export interface WebhookChannel {
  type: "webhook";
  url: string;
  secret?: string;
  /** Tries in all (first try plus retries); default 3. */
  attempts?: number;
  /** Delay before the first retry, doubled for each further one; default 500 ms. */
  backoffMs?: number;
  /** Timeout of one request; default 10 s. */
  timeoutMs?: number;
}

/** `sha256=<hex>` of the body with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Constant-time check of a signature header, for receivers (and tests). */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The channel's name as printed: scheme, host and port only (paths often hold tokens). */
export function webhookName(url: string): string {
  try {
    return `webhook ${new URL(url).origin}`;
  } catch {
    return "webhook (invalid URL)";
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function deliverWebhook(alert: Alert, channel: WebhookChannel): Promise<ChannelResult> {
  const name = webhookName(channel.url);
  const attempts = Math.max(1, channel.attempts ?? 3);
  const backoffMs = channel.backoffMs ?? 500;
  const body = JSON.stringify(alert);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "tokyobeta-alerts",
  };
  if (channel.secret) headers[SIGNATURE_HEADER] = signBody(body, channel.secret);
  let lastError = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryable = true;
    try {
      const response = await fetch(channel.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(channel.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { channel: name, ok: true, attempts: attempt };
      lastError = `HTTP ${response.status} ${response.statusText}`.trim();
      retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      lastError = e.cause?.code ?? e.cause?.message ?? e.message;
    }
    if (!retryable) return { channel: name, ok: false, attempts: attempt, error: lastError };
    if (attempt < attempts) await sleep(backoffMs * 2 ** (attempt - 1));
  }
  return { channel: name, ok: false, attempts, error: `${lastError} (gave up after ${attempts} tries)` };
}
