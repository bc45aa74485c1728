import { describe, expect, it } from "vitest";
import { formatAlertMessage } from "./alert.js";
import { alertIfRunFailed, alertOnRunFailure } from "./alert-on-run-failure.js";
import { describeFreshnessCritical, describeRunFailure } from "./describe-run-failure.js";
import { startWebhookReceiver } from "./testing/local-receivers.js";

const FAILURE = {
  runId: "run-20260110-0700",
  targetDate: "2026-01-10",
  step: "load",
  reason: "dump gghouse_20260110.sql.gz: sha256 differs from the manifest",
  state: "FAILED" as const,
  at: "2026-01-09T22:03:00.000Z",
};

describe("describeRunFailure", () => {
  it("names run, step, reason and a next action that fits the step", () => {
    const alert = describeRunFailure(FAILURE);
    expect(alert).toMatchObject({
      kind: "run_failed",
      level: "critical",
      run_id: "run-20260110-0700",
      step: "load",
      reason: FAILURE.reason,
      at: FAILURE.at,
      details: { target_date: "2026-01-10", state: "FAILED" },
    });
    expect(alert.next_action).toContain("tokyobeta dumps verify 2026-01-10");
    const { subject, text } = formatAlertMessage(alert);
    expect(subject).toBe("[tokyobeta CRITICAL] daily run FAILED - run run-20260110-0700 at step load");
    expect(text).toContain("run:         run-20260110-0700");
    expect(text).toContain("step:        load");
    expect(text).toContain(`reason:      ${FAILURE.reason}`);
    expect(text).toContain("next action: 'tokyobeta dumps verify 2026-01-10'");
    expect(text).toContain("target_date: 2026-01-10");
  });

  it("describes a timeout as such and keeps an explicit next action", () => {
    const timeout = describeRunFailure({ ...FAILURE, state: "TIMEOUT", step: "models" });
    expect(timeout.kind).toBe("run_timeout");
    expect(timeout.next_action).toMatch(/time limit/);
    expect(formatAlertMessage(timeout).subject).toContain("daily run TIMEOUT");
    expect(describeRunFailure({ ...FAILURE, nextAction: "call Ken" }).next_action).toBe("call Ken");
    expect(describeRunFailure({ ...FAILURE, step: "something-new" }).next_action).toMatch(/runs show/);
  });

  it("lists every critical freshness row in the freshness alert", () => {
    const alert = describeFreshnessCritical({
      level: "critical",
      checkedAt: "2026-01-10T00:00:00.000Z",
      rows: [
        { kind: "table", target: "gold.x", level: "ok", latest: "2026-01-10", ageHours: 1, message: "fine" },
        { kind: "warehouse", target: "/w", level: "critical", latest: null, ageHours: null, message: "gone" },
        {
          kind: "upstream",
          target: "upstream.rooms",
          level: "critical",
          latest: null,
          ageHours: 30,
          message: "stale",
        },
      ],
    });
    expect(alert).toMatchObject({ kind: "freshness_critical", step: "freshness", run_id: null });
    expect(alert.reason).toBe("/w: gone; upstream.rooms: stale");
  });
});

describe("alertOnRunFailure", () => {
  const base = {
    alertWebhookUrls: [] as string[],
    alertWebhookSecret: undefined,
    alertWebhookAttempts: 1,
    alertEmails: [] as string[],
    alertEmailFrom: "tokyobeta@localhost",
    smtpUrl: undefined,
    smtpRejectUnauthorized: true,
  };

  it("sends the failure to every configured channel and returns one result each", async () => {
    const a = await startWebhookReceiver();
    const b = await startWebhookReceiver([500]);
    try {
      const results = await alertOnRunFailure(FAILURE, { ...base, alertWebhookUrls: [a.url, b.url] });
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(JSON.parse(a.requests[0]!.body)).toMatchObject({ run_id: FAILURE.runId, step: "load" });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("returns no results, without throwing, when no channel is configured", async () => {
    await expect(alertOnRunFailure(FAILURE, base)).resolves.toEqual([]);
  });

  it("alertIfRunFailed: a recorded TIMEOUT alerts with its step; a SUCCEEDED run sends nothing", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const settings = { ...base, alertWebhookUrls: [receiver.url] };
      const ended = { runId: "run-1", targetDate: "2026-01-10", endedAt: "2026-01-09T23:00:00.000Z" };
      expect(await alertIfRunFailed({ ...ended, state: "SUCCEEDED" }, settings)).toEqual([]);
      expect(receiver.requests).toHaveLength(0);
      const sent = await alertIfRunFailed(
        { ...ended, state: "TIMEOUT", failingStep: "models", error: "time limit of 60 min reached" },
        settings,
      );
      expect(sent.map((r) => r.ok)).toEqual([true]);
      expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ run_id: "run-1", step: "models" });
    } finally {
      await receiver.close();
    }
  });
});
