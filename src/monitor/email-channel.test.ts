import { afterEach, describe, expect, it } from "vitest";
import type { Alert } from "./alert.js";
import { deliverEmail } from "./email-channel.js";
import { startSmtpReceiver, startTlsSmtpReceiver } from "./testing/local-receivers.js";

const ALERT: Alert = {
  kind: "run_timeout",
  level: "critical",
  run_id: "run-20260110-0700",
  step: "models",
  reason: "the run exceeded its time limit of 60 minutes",
  next_action: "re-run 'tokyobeta run daily --date 2026-01-10'",
  at: "2026-01-10T08:00:00.000Z",
  details: { target_date: "2026-01-10" },
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe("e-mail channel", () => {
  it("sends one message to several recipients naming run, step, reason and next action", async () => {
    const smtp = await startSmtpReceiver();
    closers.push(smtp.close);
    const result = await deliverEmail(ALERT, {
      type: "email",
      smtpUrl: smtp.url,
      from: "tokyobeta@example.jp",
      to: ["ops@example.jp", "oncall@example.jp"],
    });
    expect(result).toEqual({
      channel: `email smtp://127.0.0.1:${smtp.port} -> ops@example.jp, oncall@example.jp`,
      ok: true,
      attempts: 1,
    });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.user).toBe("alerts");
    expect(mail.from).toBe("tokyobeta@example.jp");
    expect(mail.to).toEqual(["ops@example.jp", "oncall@example.jp"]);
    const unfolded = mail.data.replace(/\r\n[ \t]/g, " ");
    expect(unfolded).toMatch(
      /^Subject: \[tokyobeta CRITICAL\] daily run TIMEOUT - run run-20260110-0700 at step models$/m,
    );
    expect(mail.data).toContain("run:         run-20260110-0700");
    expect(mail.data).toContain("step:        models");
    expect(mail.data).toContain("reason:      the run exceeded its time limit of 60 minutes");
    expect(mail.data).toContain("next action: re-run 'tokyobeta run daily --date 2026-01-10'");
    // The channel name never shows the SMTP password.
    expect(result.channel).not.toContain("s3cret");
  });

  it("reports refused credentials as a failed channel, without throwing", async () => {
    const smtp = await startSmtpReceiver();
    closers.push(smtp.close);
    const result = await deliverEmail(ALERT, {
      type: "email",
      smtpUrl: smtp.url.replace("s3cret", "wrong"),
      from: "tokyobeta@example.jp",
      to: ["ops@example.jp"],
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/auth|credentials/i);
    expect(smtp.messages).toHaveLength(0);
  });

  it("fails clearly when recipients are set without SMTP_URL", async () => {
    const result = await deliverEmail(ALERT, {
      type: "email",
      smtpUrl: undefined,
      from: "tokyobeta@example.jp",
      to: ["ops@example.jp"],
    });
    expect(result).toMatchObject({
      ok: false,
      attempts: 0,
      error: "ALERT_EMAILS is set but SMTP_URL is not",
    });
  });

  for (const secure of [false, true]) {
    it(`${secure ? "smtps:// (TLS from the start)" : "smtp:// with STARTTLS"}: refuses a self-signed certificate unless rejectUnauthorized is false`, async () => {
      const smtp = await startTlsSmtpReceiver({ secure });
      closers.push(smtp.close);
      const channel = {
        type: "email" as const,
        smtpUrl: smtp.url,
        from: "tokyobeta@example.jp",
        to: ["ops@example.jp"],
        timeoutMs: 5000,
      };
      const strict = await deliverEmail(ALERT, channel);
      expect(strict.ok).toBe(false);
      expect(strict.error).toMatch(/certificate/i);
      const lenient = await deliverEmail(ALERT, { ...channel, rejectUnauthorized: false });
      expect(lenient).toMatchObject({ ok: true });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toContain("step:        models");
    });
  }
});
