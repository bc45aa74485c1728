import { afterEach, describe, expect, it } from "vitest";
import type { Alert } from "./alert.js";
import { closedPortUrl, startWebhookReceiver } from "./testing/local-receivers.js";
import { deliverWebhook, signBody, verifySignature } from "./webhook-channel.js";

const ALERT: Alert = {
  kind: "run_failed",
  level: "critical",
  run_id: "run-20260110-0700",
  step: "load",
  reason: "sha256 mismatch",
  next_action: "tokyobeta dumps verify 2026-01-10",
  at: "2026-01-10T07:03:00.000Z",
  details: { target_date: "2026-01-10" },
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function receiver(statuses?: number[]) {
  const r = await startWebhookReceiver(statuses);
  closers.push(r.close);
  return r;
}

describe("webhook channel", () => {
  it("POSTs the alert as JSON with every field", async () => {
    const r = await receiver();
    const result = await deliverWebhook(ALERT, { type: "webhook", url: r.url });
    expect(result).toEqual({ channel: `webhook ${new URL(r.url).origin}`, ok: true, attempts: 1 });
    expect(r.requests).toHaveLength(1);
    const req = r.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/hooks/tokyobeta");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual(ALERT);
    expect(Object.keys(JSON.parse(req.body) as object)).toEqual([
      "kind",
      "level",
      "run_id",
      "step",
      "reason",
      "next_action",
      "at",
      "details",
    ]);
    expect(req.headers["x-tokyobeta-signature"]).toBeUndefined();
  });

  it("signs the exact body with HMAC-SHA256 of the shared secret", async () => {
    const r = await receiver();
    await deliverWebhook(ALERT, { type: "webhook", url: r.url, secret: "hush" });
    const req = r.requests[0]!;
    const header = req.headers["x-tokyobeta-signature"] as string;
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(header).toBe(signBody(req.body, "hush"));
    expect(verifySignature(req.body, "hush", header)).toBe(true);
    expect(verifySignature(req.body, "other", header)).toBe(false);
    expect(verifySignature(`${req.body} `, "hush", header)).toBe(false);
  });

  it("retries after a 500 and succeeds on the next try", async () => {
    const r = await receiver([500, 200]);
    const result = await deliverWebhook(ALERT, { type: "webhook", url: r.url, backoffMs: 5 });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.body).toBe(r.requests[0]!.body);
  });

  it("gives up after the configured number of tries, backing off exponentially", async () => {
    const r = await receiver([503]);
    const started = Date.now();
    const result = await deliverWebhook(ALERT, { type: "webhook", url: r.url, attempts: 4, backoffMs: 20 });
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(4);
    expect(result.error).toMatch(/HTTP 503.*gave up after 4 tries/);
    expect(r.requests).toHaveLength(4);
    // 20 + 40 + 80 ms of backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(130);
  });

  it("does not retry a 4xx answer other than 408 and 429", async () => {
    const r = await receiver([404]);
    const result = await deliverWebhook(ALERT, { type: "webhook", url: r.url, backoffMs: 5 });
    expect(result).toMatchObject({ ok: false, attempts: 1, error: "HTTP 404 Not Found" });
  });

  it("reports a receiver that is down instead of throwing", async () => {
    const url = await closedPortUrl();
    const result = await deliverWebhook(ALERT, { type: "webhook", url, attempts: 2, backoffMs: 5 });
    expect(result).toMatchObject({ ok: false, attempts: 2 });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
