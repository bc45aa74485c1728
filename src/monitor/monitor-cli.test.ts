import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { runAlertsDrill } from "../cli/commands/alerts.js";
import { runFreshness } from "../cli/commands/freshness.js";
import { addDump } from "../store/testing/store-fixture.js";
import { useTempDirs } from "../store/testing/temp-dirs.js";
import { snapshotMoment } from "./check-freshness.js";
import { buildFreshnessWarehouse, upstreamStamps } from "./testing/freshness-fixture.js";
import { closedPortUrl, startSmtpReceiver, startWebhookReceiver } from "./testing/local-receivers.js";
import { verifySignature } from "./webhook-channel.js";

const temp = useTempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});
const FAST = { backoffMs: 5, timeoutMs: 5000 };

async function configFile(values: Record<string, unknown>): Promise<string> {
  const file = path.join(await temp.dir(), "tokyobeta.json");
  writeFileSync(file, JSON.stringify(values));
  return file;
}

async function channels() {
  const hook = await startWebhookReceiver();
  const smtp = await startSmtpReceiver();
  closers.push(hook.close, smtp.close);
  return { hook, smtp };
}

describe("tokyobeta alerts drill", () => {
  it("delivers the drill on every configured channel and exits 0", async () => {
    const { hook, smtp } = await channels();
    const config = await configFile({
      alerts: {
        webhook_urls: [hook.url],
        webhook_secret: "hush",
        emails: "ops@example.jp, oncall@example.jp",
        smtp_url: smtp.url,
        email_from: "tokyobeta@example.jp",
      },
    });
    const io = captureIO();
    expect(await runAlertsDrill({ config }, io, FAST)).toBe(0);
    expect(io.stdout()).toMatch(/webhook http:\/\/127\.0\.0\.1:\d+ +yes +1/);
    expect(io.stdout()).toMatch(
      /email smtp:\/\/127\.0\.0\.1:\d+ -> ops@example\.jp, oncall@example\.jp +yes/,
    );
    expect(io.stderr()).toMatch(/^drill drill-\d{8}T\d{6}: delivered on all 2 channels$/);
    const body = JSON.parse(hook.requests[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ kind: "drill", step: "drill" });
    expect(body.reason).toMatch(/intentional failure/);
    expect(
      verifySignature(
        hook.requests[0]!.body,
        "hush",
        hook.requests[0]!.headers["x-tokyobeta-signature"] as string,
      ),
    ).toBe(true);
    expect(smtp.messages[0]!.to).toEqual(["ops@example.jp", "oncall@example.jp"]);
    expect(smtp.messages[0]!.data).toMatch(/alert DRILL/);
  });

  it("exits 1 naming the channel that is down, and still delivers on the others", async () => {
    const { smtp } = await channels();
    const down = await closedPortUrl();
    const config = await configFile({
      alerts: { webhook_urls: [down], emails: ["ops@example.jp"], smtp_url: smtp.url, webhook_attempts: 2 },
    });
    const io = captureIO();
    expect(await runAlertsDrill({ config, json: true }, io, FAST)).toBe(1);
    const results = io
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l) as { channel: string; ok: boolean; attempts: number; error?: string });
    expect(results.map((r) => [r.channel.split(" ")[0], r.ok])).toEqual([
      ["webhook", false],
      ["email", true],
    ]);
    expect(results[0]).toMatchObject({ attempts: 2, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(io.stderr()).toContain(`1 of 2 channels failed: webhook ${new URL(down).origin}`);
    expect(smtp.messages).toHaveLength(1);
  });

  it("exits 1 and says so when no channel is configured", async () => {
    const io = captureIO();
    expect(await runAlertsDrill({ config: await configFile({}) }, io, FAST)).toBe(1);
    expect(io.stderr()).toMatch(/no alert channel configured/);
  });
});

describe("tokyobeta freshness", () => {
  const DATE = "2026-01-10";
  const at = (hours: number) => new Date(snapshotMoment(DATE).getTime() + hours * 3_600_000);

  async function setup(alerts: Record<string, unknown> = {}) {
    const warehouse = await temp.dir();
    await buildFreshnessWarehouse(warehouse, { latest: DATE });
    const store = await temp.localStore();
    await addDump(store, DATE, {
      manifest: { max_updated_at_by_table: upstreamStamps(`${DATE}T05:00:00+09:00`) },
    });
    return configFile({ warehouse, store: store.location, alerts });
  }

  it("exits 0 when fresh, 1 on warn and 2 on critical, alerting only on critical", async () => {
    const { hook } = await channels();
    const config = await setup({ webhook_urls: [hook.url] });
    const ok = captureIO();
    expect(await runFreshness({ config }, ok, { now: at(2), tuning: FAST })).toBe(0);
    expect(ok.stdout()).toMatch(/OK +gold\.occupancy_daily_metrics +2026-01-10 +2/);
    expect(ok.stderr()).toMatch(/^freshness: OK \(0 critical, 0 warn, \d+ ok\)$/);
    expect(await runFreshness({ config }, captureIO(), { now: at(30), tuning: FAST })).toBe(1);
    expect(hook.requests).toHaveLength(0);

    const critical = captureIO();
    expect(await runFreshness({ config, json: true }, critical, { now: at(50), tuning: FAST })).toBe(2);
    const report = JSON.parse(critical.stdout()) as { level: string; alerts: { ok: boolean }[] };
    expect(report.level).toBe("critical");
    expect(report.alerts).toEqual([expect.objectContaining({ ok: true })]);
    expect(hook.requests).toHaveLength(1);
    expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({
      kind: "freshness_critical",
      step: "freshness",
    });
    expect(critical.stderr()).toMatch(/alert sent: webhook/);
  });

  it("exits 2 when the warehouse is missing, and says nobody was alerted when no channel is set", async () => {
    const store = await temp.localStore();
    const config = await configFile({
      warehouse: path.join(await temp.dir(), "none"),
      store: store.location,
    });
    const io = captureIO();
    expect(await runFreshness({ config }, io, { now: at(1) })).toBe(2);
    expect(io.stdout()).toMatch(/CRITICAL .*cannot read the published warehouse state/);
    expect(io.stderr()).toMatch(/no alert channel configured .*nobody was alerted/);
  });
});
