/**
 * Crash safety: `tokyobeta run daily` as a child process, SIGKILLed as it starts a step
 * (the CLI prints `step: <name>` on stderr). Readers stay on the previous published state, the
 * run record shows FAILED (crashed) with the step, and the next run cleans up and succeeds.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import { showRun } from "../cli/commands/runs.js";
import { statusReport } from "../cli/commands/status.js";
import { resolveSettings } from "../config/settings.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { runDailyRecorded } from "./daily-run-recorded.js";
import { fixtureDay } from "./testing/run-fixture.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "tb-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = path.join(root, "store");
const wh = path.join(root, "wh");
const D = ["2026-03-01", "2026-03-02"] as const;
const settings = () => resolveSettings({ env: {}, flags: { store, warehouse: wh } }).values;

async function snapshotOfPublished(): Promise<{ id: string | null; rows: unknown }> {
  const w = await openWarehouse(wh);
  try {
    const id = await w.publishedStateId();
    const reader = await w.openPublished();
    try {
      const rows = (
        await reader.query(
          "SELECT snapshot_date, COUNT(*) AS n, SUM(rent) AS rent FROM silver.tenant_room_snapshot_daily GROUP BY 1 ORDER BY 1",
        )
      ).rows;
      return { id, rows };
    } finally {
      await reader.close();
    }
  } finally {
    await w.close();
  }
}

/** Starts `run daily` for `date` and SIGKILLs it as soon as it announces `step`. */
async function killAtStep(date: string, step: string): Promise<{ killed: boolean; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO, "src/cli/main.ts"),
      "run",
      "daily",
      "--store",
      store,
      "--warehouse",
      wh,
      "--date",
      date,
    ],
    { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  let killed = false;
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!killed && stderr.includes(`step: ${step}\n`)) {
      killed = child.kill("SIGKILL");
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("close", (_c, s) => resolve(s)),
  );
  return { killed: killed && signal === "SIGKILL", stderr };
}

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
  const first = await runDailyRecorded(settings(), D[0]);
  expect(first.record.state).toBe("SUCCEEDED");
}, 120_000);

describe("a daily run killed with SIGKILL", () => {
  for (const step of ["load", "models", "publish"]) {
    it(`at step ${step} leaves readers on the previous state and shows as FAILED (crashed)`, async () => {
      const before = await snapshotOfPublished();
      const { killed, stderr } = await killAtStep(D[1], step);
      expect(killed, stderr).toBe(true);
      expect(await snapshotOfPublished()).toEqual(before);

      const io = captureIO();
      await statusReport({ warehouse: wh, json: true }, io);
      const latest = JSON.parse(io.stdout()).runs[0];
      expect(latest).toMatchObject({ target_date: D[1], state: "FAILED (crashed)", failing_step: step });
      const show = captureIO();
      await showRun(latest.run_id, { warehouse: wh }, show);
      expect(show.stdout()).toMatch(/FAILED \(crashed\)/);
      expect(show.stdout()).toMatch(/killed or crashed/);
    });
  }

  it("is followed by a run that cleans up and succeeds, recording the crashed runs in the state", async () => {
    const before = await snapshotOfPublished();
    const { record } = await runDailyRecorded(settings(), D[1]);
    expect(record.state).toBe("SUCCEEDED");
    const after = await snapshotOfPublished();
    expect(after.id).not.toBe(before.id);
    expect((after.rows as { snapshot_date: string }[]).map((r) => r.snapshot_date)).toEqual([...D]);
    const w = await openWarehouse(wh);
    const reader = await w.openPublished();
    const runs = (
      await reader.query("SELECT state, COUNT(*) AS n FROM tokyobeta_meta.daily_runs GROUP BY 1 ORDER BY 1")
    ).rows;
    await reader.close();
    const events = await w.history();
    await w.close();
    expect(runs).toEqual([
      { state: "FAILED", n: 3 },
      { state: "SUCCEEDED", n: 2 },
    ]);
    expect(events.filter((e) => e.event === "lock-takeover").length).toBeGreaterThanOrEqual(1);
  });
});
