/**
 * `tokyobeta serve` as a service: schedules fire and record runs, the time-zone default, bad
 * cron settings refused, overlap skipped, TIMEOUT alerts reach a local receiver, graceful
 * shutdown waits for a running job (in process and as a child process sent SIGTERM), and the
 * dashboard answers while serving. On a small fixture store (three rooms, three days).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import { startService } from "../cli/commands/serve.js";
import { resolveSettings } from "../config/settings.js";
import { ConfigError } from "../errors.js";
import { startWebhookReceiver } from "../monitor/testing/local-receivers.js";
import { runDailyRecorded } from "../pipeline/daily-run-recorded.js";
import { openRunRecords } from "../pipeline/run-records.js";
import { fixtureDay } from "../pipeline/testing/run-fixture.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { startScheduler } from "./scheduler.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "tb-service-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const D = ["2026-03-01", "2026-03-02"] as const;
const store = path.join(root, "store");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
}, 60_000);

/** Environment of a service under test: every second's schedule off unless given. */
function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return fn().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function publishedId(warehouse: string): Promise<string | null> {
  const wh = await openWarehouse(warehouse);
  try {
    return await wh.publishedStateId();
  } finally {
    await wh.close();
  }
}

describe("schedule settings", () => {
  it("defaults to 07:00 daily and 09:00 freshness in Asia/Tokyo", () => {
    const s = resolveSettings({ env: {} }).values;
    expect([s.scheduleDaily, s.scheduleFreshness, s.scheduleTimezone]).toEqual([
      "0 7 * * *",
      "0 9 * * *",
      "Asia/Tokyo",
    ]);
    const scheduler = startScheduler({
      timezone: s.scheduleTimezone,
      log: () => undefined,
      jobs: [{ name: "daily", cron: s.scheduleDaily, run: async () => undefined }],
    });
    const next = scheduler.nextRuns()[0]!.at!;
    void scheduler.stop();
    // 07:00 in Tokyo (UTC+9, no daylight saving) is 22:00 UTC the day before.
    expect(next.toISOString()).toMatch(/T22:00:00\.000Z$/);
  });

  it("refuses a bad cron expression or time zone, naming the setting", () => {
    expect(() => resolveSettings({ env: { TOKYOBETA_SCHEDULE_DAILY: "61 7 * * *" } })).toThrow(ConfigError);
    expect(() => resolveSettings({ env: { TOKYOBETA_SCHEDULE_DAILY: "61 7 * * *" } })).toThrow(
      /TOKYOBETA_SCHEDULE_DAILY.*not a cron expression/,
    );
    expect(() => resolveSettings({ env: { TOKYOBETA_SCHEDULE_FRESHNESS: "at nine" } })).toThrow(
      /TOKYOBETA_SCHEDULE_FRESHNESS/,
    );
    expect(() => resolveSettings({ env: { TOKYOBETA_SCHEDULE_TIMEZONE: "Mars/Olympus" } })).toThrow(
      /TOKYOBETA_SCHEDULE_TIMEZONE.*IANA/,
    );
    expect(resolveSettings({ env: { TOKYOBETA_SCHEDULE_DAILY: "off" } }).values.scheduleDaily).toBe("off");
  });
});

describe("the scheduler", () => {
  it("skips a firing while the same job still runs, and stop() waits for it", async () => {
    const lines: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const scheduler = startScheduler({
      timezone: "Asia/Tokyo",
      log: (l) => lines.push(l),
      jobs: [
        {
          name: "slow",
          cron: "off",
          run: async () => {
            runs++;
            await gate;
          },
        },
      ],
    });
    const first = scheduler.trigger("slow");
    await until("the first run", () => runs === 1);
    await scheduler.trigger("slow");
    expect(lines).toContain("slow: skipped, the previous slow is still running");
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await first;
    expect(runs).toBe(1);
    expect(lines.some((l) => l.startsWith("slow: ended after"))).toBe(true);
  });
});

describe("tokyobeta serve", () => {
  it("fires the daily schedule: the job runs, the run is recorded and published; the dashboard answers", async () => {
    const wh = path.join(root, "wh-fires");
    const io = captureIO();
    const service = await withEnv(
      {
        TOKYOBETA_SCHEDULE_DAILY: "* * * * * *",
        TOKYOBETA_SCHEDULE_FRESHNESS: "off",
        DAILY_TARGET_DATE: D[0],
      },
      () => startService({ store, warehouse: wh, port: "0" }, io),
    );
    try {
      const login = await fetch(new URL("__auth/login", service.url));
      expect(login.status).toBe(200);
      expect(await login.text()).toContain("<form");
      await until("a recorded run", async () =>
        (await openRunRecords(wh).list()).some((r) => r.state !== "RUNNING"),
      );
      // The dashboard keeps answering while (and after) the job runs.
      expect((await fetch(new URL("__auth/login", service.url))).status).toBe(200);
    } finally {
      // The schedule fires every second, so a second run may have started by now; stopping
      // waits for it, which leaves every record finished and the published state settled.
      await service.stop();
    }
    const records = await openRunRecords(wh).list();
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record).toMatchObject({ targetDate: D[0], state: "SUCCEEDED" });
      expect(io.stderr()).toContain(`daily: run ${record.runId} for ${D[0]}: SUCCEEDED`);
    }
    expect(await publishedId(wh)).toBe(records[0]!.publishedState);
    expect(io.stderr()).toMatch(/daily: scheduled '\* \* \* \* \* \*' \(Asia\/Tokyo\)/);
    expect(io.stderr()).toContain("stopped");
  });

  it("skips the daily run while another writer holds the warehouse lock", async () => {
    const wh = path.join(root, "wh-locked");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inLoad!: () => void;
    const loading = new Promise<void>((r) => (inLoad = r));
    const settings = resolveSettings({ env: {}, flags: { store, warehouse: wh } }).values;
    const holder = runDailyRecorded(settings, D[0], {
      onStep: async (step) => {
        if (step === "load") {
          inLoad();
          await gate;
        }
      },
    });
    await loading;
    const io = captureIO();
    const service = await withEnv(
      { TOKYOBETA_SCHEDULE_DAILY: "off", TOKYOBETA_SCHEDULE_FRESHNESS: "off" },
      () => startService({ store, warehouse: wh, port: "0" }, io),
    );
    try {
      await service.scheduler!.trigger("daily");
      expect(io.stderr()).toMatch(/daily: skipped, the warehouse is locked by another writer \(pid \d+/);
      expect(await openRunRecords(wh).list()).toHaveLength(1);
    } finally {
      release();
      await holder;
      await service.stop();
    }
  });

  it("a run past its time limit ends as TIMEOUT, keeps the published state and alerts the webhook", async () => {
    const wh = path.join(root, "wh-timeout");
    const receiver = await startWebhookReceiver();
    const io = captureIO();
    const env = {
      TOKYOBETA_SCHEDULE_DAILY: "off",
      TOKYOBETA_SCHEDULE_FRESHNESS: "off",
      ALERT_WEBHOOK_URLS: receiver.url,
    };
    try {
      // A first run publishes a state the timed-out run must leave current.
      const first = await withEnv({ ...env, DAILY_TARGET_DATE: D[0] }, async () => {
        const s = await startService({ store, warehouse: wh, port: "0" }, io);
        await s.scheduler!.trigger("daily");
        await s.stop();
        return publishedId(wh);
      });
      expect(first).not.toBeNull();
      const service = await withEnv({ ...env, DAILY_TARGET_DATE: D[1] }, () =>
        startService({ store, warehouse: wh, port: "0" }, io, {
          timeoutMs: 300,
          onStep: async (step) => {
            if (step === "load") await sleep(800);
          },
        }),
      );
      await service.scheduler!.trigger("daily");
      await service.stop();
      const timedOut = (await openRunRecords(wh).list()).find((r) => r.targetDate === D[1])!;
      expect(timedOut.state).toBe("TIMEOUT");
      expect(await publishedId(wh)).toBe(first);
      expect(receiver.requests).toHaveLength(1);
      const body = JSON.parse(receiver.requests[0]!.body) as Record<string, unknown>;
      expect(JSON.stringify(body)).toContain(timedOut.runId);
      expect(JSON.stringify(body)).toMatch(/TIMEOUT/);
      expect(io.stderr()).toMatch(/daily: alert webhook \S+: sent/);
    } finally {
      await receiver.close();
    }
  });

  it("the scheduled freshness check alerts the webhook on CRITICAL (nothing published yet)", async () => {
    const wh = path.join(root, "wh-fresh");
    const receiver = await startWebhookReceiver();
    const io = captureIO();
    try {
      const service = await withEnv(
        {
          TOKYOBETA_SCHEDULE_DAILY: "off",
          TOKYOBETA_SCHEDULE_FRESHNESS: "* * * * * *",
          ALERT_WEBHOOK_URLS: receiver.url,
        },
        () => startService({ store, warehouse: wh, port: "0" }, io),
      );
      try {
        await until("the freshness alert", () => receiver.requests.length > 0);
      } finally {
        await service.stop();
      }
      expect(io.stderr()).toMatch(/freshness: CRITICAL/);
      expect(io.stderr()).toMatch(/freshness: alert webhook \S+: sent/);
      expect(receiver.requests[0]!.body).toMatch(/CRITICAL|critical/);
    } finally {
      await receiver.close();
    }
  });

  it("stop() waits for a running daily run to finish; no new run starts", async () => {
    const wh = path.join(root, "wh-graceful");
    const io = captureIO();
    let inModels!: () => void;
    const modelling = new Promise<void>((r) => (inModels = r));
    const service = await withEnv(
      {
        TOKYOBETA_SCHEDULE_DAILY: "* * * * * *",
        TOKYOBETA_SCHEDULE_FRESHNESS: "off",
        DAILY_TARGET_DATE: D[0],
      },
      () =>
        startService({ store, warehouse: wh, port: "0" }, io, {
          onStep: async (step) => {
            if (step === "models") {
              inModels();
              await sleep(1500);
            }
          },
        }),
    );
    await modelling;
    await service.stop();
    const records = await openRunRecords(wh).list();
    expect(records).toHaveLength(1);
    expect(records[0]!.state).toBe("SUCCEEDED");
    expect(await publishedId(wh)).toBe(records[0]!.publishedState);
    expect(io.stderr()).toContain("waiting for daily to end before stopping");
    await sleep(1500);
    expect(await openRunRecords(wh).list()).toHaveLength(1);
  });

  it("as a process: SIGTERM during a scheduled run waits for it, then exits 0", async () => {
    const wh = path.join(root, "wh-sigterm");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(REPO, "src/cli/main.ts"),
        "serve",
        "--store",
        store,
        "--warehouse",
        wh,
        "--port",
        "0",
      ],
      {
        cwd: REPO,
        env: {
          ...process.env,
          TOKYOBETA_SCHEDULE_DAILY: "* * * * * *",
          TOKYOBETA_SCHEDULE_FRESHNESS: "off",
          DAILY_TARGET_DATE: D[0],
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await until("the dashboard", () => /listening on (http:\S+)/.test(stdout), 60_000);
      const url = /listening on (http:\S+)/.exec(stdout)![1]!;
      expect((await fetch(new URL("__auth/login", url))).status).toBe(200);
      await until("the scheduled run to start", () => stderr.includes("daily: started"), 60_000);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(stderr).toContain("SIGTERM received");
    expect(stderr).toMatch(/daily: run \S+ for 2026-03-01: SUCCEEDED/);
    const records = await openRunRecords(wh).list();
    expect(records).toHaveLength(1);
    expect(records[0]!.state).toBe("SUCCEEDED");
    expect(await publishedId(wh)).toBe(records[0]!.publishedState);
  });
});
