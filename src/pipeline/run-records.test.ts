/**
 * Run records, the time limit, the archive step, the lock and stale-lock takeover of the
 * daily run, on a small fixture store (three rooms, three days).
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import { showRun } from "../cli/commands/runs.js";
import { statusReport } from "../cli/commands/status.js";
import { resolveSettings, type Settings } from "../config/settings.js";
import { ConfigError } from "../errors.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { DEFAULT_PROJECT_DIR } from "./daily-run.js";
import { runDailyRecorded } from "./daily-run-recorded.js";
import { effectiveState, openRunRecords } from "./run-records.js";
import { fixtureDay } from "./testing/run-fixture.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "tb-runrec-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const D = ["2026-03-01", "2026-03-02", "2026-03-03"] as const;

const store = path.join(root, "store");
const settingsFor = (warehouse: string, extra: Partial<Settings> = {}, storePath = store): Settings => ({
  ...resolveSettings({ env: {}, flags: { store: storePath, warehouse } }).values,
  ...extra,
});

async function published(warehouse: string): Promise<string | null> {
  const wh = await openWarehouse(warehouse);
  try {
    return await wh.publishedStateId();
  } finally {
    await wh.close();
  }
}

async function queryPublished(warehouse: string, sql: string) {
  const wh = await openWarehouse(warehouse);
  const reader = await wh.openPublished();
  try {
    return (await reader.query(sql)).rows;
  } finally {
    await reader.close();
    await wh.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
}, 60_000);

describe("run records", () => {
  const wh = path.join(root, "wh-main");

  it("records a successful run: steps, dump, rows, tests, versions; copies history into the state", async () => {
    const { record, exitCode } = await runDailyRecorded(settingsFor(wh), D[0]);
    expect(record.error, record.error).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(record.state).toBe("SUCCEEDED");
    expect(record.runId).toMatch(/^daily-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(record.steps.map((s) => s.step)).toEqual([
      "select",
      "load",
      "snapshot",
      "enrich",
      "models",
      "publish",
      "archive",
    ]);
    expect(record.steps.every((s) => s.status === "ok" && typeof s.durationMs === "number")).toBe(true);
    const manifest = JSON.parse(
      readFileSync(path.join(store, "dumps-manifest", "gghouse_20260301.json"), "utf8"),
    );
    expect(record.dump).toMatchObject({ key: "dumps/gghouse_20260301.sql", sha256: manifest.dump_sha256 });
    expect(record.rowsPerTable).toMatchObject({ tenants: 2, rooms: 3, movings: 2 });
    expect(record.tests?.counts.pass).toBeGreaterThan(0);
    expect(record.codeVersion).not.toBe("");
    expect(record.modelVersions.kpiDefinitionVersion).toBe("occupancy-v1");
    expect(record.publishedState).toBe(await published(wh));
    // The record is a file beside the generations, and it is in the published state.
    const onDisk = JSON.parse(readFileSync(path.join(wh, "runs", `${record.runId}.json`), "utf8"));
    expect(onDisk.state).toBe("SUCCEEDED");
    const rows = await queryPublished(
      wh,
      "SELECT run_id, state, published_state FROM tokyobeta_meta.daily_runs",
    );
    expect(rows).toEqual([
      { run_id: record.runId, state: "SUCCEEDED", published_state: record.publishedState },
    ]);
    // Archive step: the dump was copied to processed/ with its tag.
    expect(existsSync(path.join(store, "processed", "gghouse_20260301.sql"))).toBe(true);
    const tag = JSON.parse(
      readFileSync(path.join(store, "processed", "gghouse_20260301.sql.processed.json"), "utf8"),
    );
    expect(tag.run_id).toBe(record.runId);
  });

  it("records a failing error-severity test with the failing step, and publishes nothing", async () => {
    const before = await published(wh);
    const project = path.join(root, "project-failing");
    cpSync(DEFAULT_PROJECT_DIR, project, { recursive: true });
    writeFileSync(
      path.join(project, "tests", "always_fails.sql"),
      "-- deliberately failing\nSELECT 1 AS x\n",
    );
    const { record, exitCode } = await runDailyRecorded(settingsFor(wh), D[1], { projectDir: project });
    expect(exitCode).toBe(1);
    expect(record.state).toBe("FAILED");
    expect(record.failingStep).toBe("tests");
    expect(record.error).toMatch(/always_fails/);
    expect(record.tests?.failing.map((t) => t.test)).toContain("always_fails");
    expect(await published(wh)).toBe(before);

    const io = captureIO();
    expect(await showRun(record.runId, { warehouse: wh }, io)).toBe(0);
    expect(io.stdout()).toMatch(/: FAILED/);
    expect(io.stdout()).toMatch(/failing step: tests/);
    expect(io.stdout()).toMatch(/always_fails/);
    expect(io.stdout()).toMatch(/step\s+started_at/);
  });

  it("status lists the last runs and the published state; the next publish carries the failed run too", async () => {
    const { record, exitCode } = await runDailyRecorded(settingsFor(wh), D[1]);
    expect(exitCode).toBe(0);
    const io = captureIO();
    expect(await statusReport({ warehouse: wh, json: true }, io)).toBe(0);
    const status = JSON.parse(io.stdout());
    expect(status.published).toMatchObject({ id: record.publishedState, as_of_date: D[1] });
    expect(status.runs.map((r: { state: string }) => r.state)).toEqual(["SUCCEEDED", "FAILED", "SUCCEEDED"]);
    expect(status.runs[1].failing_step).toBe("tests");
    const text = captureIO();
    await statusReport({ warehouse: wh, limit: "2" }, text);
    expect(text.stdout()).toMatch(new RegExp(`published state ${record.publishedState} \\(as of ${D[1]}`));
    expect(text.stdout()).toContain(record.runId);
    expect(
      text
        .stdout()
        .split("\n")
        .filter((l) => l.startsWith("daily-")),
    ).toHaveLength(2);
    const history = await queryPublished(
      wh,
      "SELECT state FROM tokyobeta_meta.daily_runs ORDER BY started_at",
    );
    expect(history.map((r) => r.state)).toEqual(["SUCCEEDED", "FAILED", "SUCCEEDED"]);
  });

  it("ends a run past DAILY_RUN_TIMEOUT_MINUTES as TIMEOUT at the next step boundary, abandoning its state", async () => {
    const before = await published(wh);
    const { record, exitCode } = await runDailyRecorded(
      settingsFor(wh, { dailyRunTimeoutMinutes: 0.02 }),
      D[2],
      {
        onStep: async (step) => {
          if (step === "enrich") await sleep(1500);
        },
      },
    );
    expect(exitCode).toBe(3);
    expect(record.state).toBe("TIMEOUT");
    expect(record.error).toMatch(/time limit of 1200 ms/);
    // Detected at the first step boundary past the limit (after enrich at the latest).
    expect(record.failingStep).toMatch(/^after (select|load|snapshot|enrich)$/);
    expect(record.steps.map((s) => s.step)).not.toContain("models");
    expect(await published(wh)).toBe(before);
    const wh2 = await openWarehouse(wh);
    const events = await wh2.history();
    await wh2.close();
    expect(events.at(-1)).toMatchObject({ event: "abandoned" });
  });

  it("resolves DAILY_RUN_TIMEOUT_MINUTES (fractions allowed) and refuses nonsense", () => {
    expect(resolveSettings({ env: {} }).values.dailyRunTimeoutMinutes).toBe(60);
    expect(resolveSettings({ env: { DAILY_RUN_TIMEOUT_MINUTES: "0.5" } }).values.dailyRunTimeoutMinutes).toBe(
      0.5,
    );
    expect(() => resolveSettings({ env: { DAILY_RUN_TIMEOUT_MINUTES: "0" } })).toThrow(ConfigError);
    expect(() => resolveSettings({ env: { DAILY_RUN_TIMEOUT_MINUTES: "soon" } })).toThrow(
      /DAILY_RUN_TIMEOUT_MINUTES/,
    );
  });
});

describe("archive step", () => {
  const blocked = path.join(root, "store-blocked");
  beforeAll(async () => {
    await writeFixtureDay(blocked, D[0], fixtureDay(0));
    await writeFixtureDay(blocked, D[1], fixtureDay(1));
    writeFileSync(path.join(blocked, "processed"), "a file where the processed/ folder should be\n");
  });

  it("is non-critical by default: a failed archive is a warning and the run SUCCEEDED", async () => {
    const wh = path.join(root, "wh-archive");
    const { record, exitCode } = await runDailyRecorded(settingsFor(wh, {}, blocked), D[0]);
    expect(exitCode).toBe(0);
    expect(record.state).toBe("SUCCEEDED");
    expect(record.steps.at(-1)).toMatchObject({ step: "archive", status: "failed" });
    expect(record.warnings.join("\n")).toMatch(/archive of the processed dump failed \(non-critical\)/);
    expect(await published(wh)).toBe(record.publishedState);
  });

  it("fails the run with DAILY_FAIL_ON_ARCHIVE_ERROR=true, saying the data is published", async () => {
    const wh = path.join(root, "wh-archive");
    const strict = resolveSettings({
      env: { DAILY_FAIL_ON_ARCHIVE_ERROR: "true" },
      flags: { store: blocked, warehouse: wh },
    }).values;
    expect(strict.failOnArchiveError).toBe(true);
    const { record, exitCode } = await runDailyRecorded(strict, D[1]);
    expect(exitCode).toBe(1);
    expect(record.state).toBe("FAILED");
    expect(record.failingStep).toBe("archive");
    expect(record.dataPublished).toBe(true);
    expect(record.error).toMatch(/the data IS published \(state /);
    expect(await published(wh)).toBe(record.publishedState);
  });
});

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe("one run at a time per warehouse", () => {
  it("refuses a second `run daily` naming the holder while a slow run holds the lock", async () => {
    const wh = path.join(root, "wh-lock");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inLoad!: () => void;
    const loading = new Promise<void>((r) => (inLoad = r));
    const first = runDailyRecorded(settingsFor(wh), D[0], {
      onStep: async (step) => {
        if (step === "load") {
          inLoad();
          await gate;
        }
      },
    });
    await loading;
    const second = await runCli(["run", "daily", "--store", store, "--warehouse", wh, "--date", D[0]]).done;
    release();
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/warehouse is locked by another writer/);
    expect(second.stderr).toContain(`pid ${process.pid}`);
    const done = await first;
    expect(done.record.state).toBe("SUCCEEDED");
    const failed = (await openRunRecords(wh).list()).find((r) => r.runId !== done.record.runId)!;
    expect(failed.state).toBe("FAILED");
    expect(failed.error).toMatch(/locked/);
  });

  it("takes over the stale lock of a SIGKILLed writer and succeeds", async () => {
    const wh = path.join(root, "wh-stale");
    const crash = spawn(
      process.execPath,
      ["--import", "tsx", path.join(REPO, "src/warehouse/testing/crash-writer.ts"), wh],
      { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let buf = "";
      crash.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
      });
      crash.on("exit", () => reject(new Error(`crash-writer exited early: ${buf}`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    crash.kill("SIGKILL");
    await new Promise((r) => crash.once("close", r));
    expect(existsSync(path.join(wh, "writer.lock"))).toBe(true);
    const { record } = await runDailyRecorded(settingsFor(wh), D[0]);
    expect(record.state).toBe("SUCCEEDED");
    const w = await openWarehouse(wh);
    const events = await w.history();
    await w.close();
    expect(events.some((e) => e.event === "lock-takeover" && e.stale.includes(String(pid)))).toBe(true);
    expect(effectiveState(record)).toEqual({ state: "SUCCEEDED", crashed: false });
  });
});
