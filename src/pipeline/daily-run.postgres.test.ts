/**
 * The daily run on a real PostgreSQL 15 warehouse (postgres:// URL), on the tiny fixture store:
 * runs succeed and publish, data tests pass, run records live in the database (status, runs
 * show), KPIs equal the same run's on DuckDB, freshness reads the published state, states list
 * and rollback work through the CLI commands, and a full refresh rebuilds tables that views read.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../test/support/postgres.js";
import { queryPublished } from "../../test/support/query-published.js";
import { kpiReport } from "../cli/commands/kpi.js";
import { showRun } from "../cli/commands/runs.js";
import { listStates, rollbackState } from "../cli/commands/states.js";
import { statusReport } from "../cli/commands/status.js";
import { resolveSettings, type Settings } from "../config/settings.js";
import { buildModels, loadProject } from "../models-runner/index.js";
import { checkFreshness, snapshotMoment } from "../monitor/check-freshness.js";
import { openStore } from "../store/open-store.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { DEFAULT_PROJECT_DIR } from "./daily-run.js";
import { runDailyRecorded } from "./daily-run-recorded.js";
import { openRunRecords, type RunRecord } from "./run-records.js";
import { fixtureDay } from "./testing/run-fixture.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());
const D = ["2026-03-01", "2026-03-02"] as const;

describe.skipIf(!available)("daily run on PostgreSQL", () => {
  const root = mkdtempSync(path.join(tmpdir(), "tb-pg-daily-"));
  const store = path.join(root, "store");
  const duckdb = path.join(root, "wh-duckdb");
  let server: PostgresServer;
  let url: string;
  const runs: RunRecord[] = [];
  const settingsFor = (warehouse: string): Settings =>
    resolveSettings({ env: {}, flags: { store, warehouse } }).values;

  /** `tokyobeta kpi --json` of a warehouse. */
  async function kpiJson(warehouse: string): Promise<Record<string, unknown>> {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await kpiReport({ store, warehouse, json: true, days: "7" })).toBe(0);
      return JSON.parse(String(log.mock.calls.at(-1)![0])) as Record<string, unknown>;
    } finally {
      log.mockRestore();
    }
  }

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
    for (const date of D) {
      runs.push((await runDailyRecorded(settingsFor(url), date)).record);
      await runDailyRecorded(settingsFor(duckdb), date);
    }
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("succeeds and publishes each day; every data test passes", async () => {
    for (const record of runs) {
      expect(record.error, record.error).toBeUndefined();
      expect(record.state).toBe("SUCCEEDED");
      expect(record.steps.map((s) => s.step)).toEqual([
        "select",
        "load",
        "snapshot",
        "enrich",
        "models",
        "publish",
        "archive",
      ]);
      expect(record.tests?.counts.fail ?? 0).toBe(0);
      expect(record.tests?.counts.error ?? 0).toBe(0);
      expect(record.tests?.counts.pass).toBeGreaterThan(100);
      // Enrichment saw the state's own staging tables (not the published state's, or none).
      expect(record.warnings.filter((w) => /staging has no/.test(w))).toEqual([]);
    }
    const wh = await openWarehouse(url);
    try {
      expect(wh.engine).toBe("postgres");
      expect(await wh.publishedStateId()).toBe(runs[1]!.publishedState);
    } finally {
      await wh.close();
    }
    const asOf = await queryPublished(url, "SELECT CAST(as_of_date AS VARCHAR) AS d FROM silver.load_as_of");
    expect(asOf).toEqual([{ d: D[1] }]);
  });

  it("keeps run records in the database: status and runs show read them", async () => {
    const records = await openRunRecords(url).list();
    expect(records.map((r) => r.runId)).toEqual([runs[1]!.runId, runs[0]!.runId]);
    const status = captureIO();
    expect(await statusReport({ store, warehouse: url, json: true }, status)).toBe(0);
    const report = JSON.parse(status.stdout()) as {
      published: { id: string; as_of_date: string };
      runs: { runId: string }[];
    };
    expect(report.published).toMatchObject({ id: runs[1]!.publishedState, as_of_date: D[1] });
    const show = captureIO();
    expect(await showRun(runs[0]!.runId, { store, warehouse: url, json: true }, show)).toBe(0);
    expect(JSON.parse(show.stdout())).toMatchObject({ runId: runs[0]!.runId, state: "SUCCEEDED" });
    // The run history is copied into the published state for the data-quality page.
    const copied = await queryPublished(
      url,
      "SELECT run_id, state FROM tokyobeta_meta.daily_runs ORDER BY run_id",
    );
    expect(copied.map((r) => r.run_id).sort()).toEqual(runs.map((r) => r.runId).sort());
  });

  it("KPIs equal the same runs' on DuckDB: 2 of 3 rooms occupied", async () => {
    const onPostgres = await kpiJson(url);
    expect(onPostgres).toEqual(await kpiJson(duckdb));
    expect(onPostgres.as_of_date).toBe(D[1]);
    const day = await queryPublished(
      url,
      `SELECT period_end_rooms, total_rooms, occupancy_rate FROM gold.occupancy_daily_metrics WHERE snapshot_date = DATE '${D[1]}'`,
    );
    expect(day).toEqual([{ period_end_rooms: 2, total_rooms: 3, occupancy_rate: 2 / 3 }]);
  });

  it("freshness reads the published state's tables", async () => {
    const settings = settingsFor(url);
    const report = await checkFreshness({
      warehouse: () => openWarehouse(url),
      store: openStore(settings),
      settings,
      now: new Date(snapshotMoment(D[1]).getTime() + 3 * 3_600_000),
    });
    const tables = report.rows.filter((r) => r.kind === "table");
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.map((r) => [r.target, r.level, r.latest])).toEqual(
      tables.map((r) => [r.target, "ok", D[1]]),
    );
  });

  it("a full refresh rebuilds tables that views read (PostgreSQL checks view dependencies)", async () => {
    const wh = await openWarehouse(url);
    const writer = await wh.beginState({ label: "full refresh" });
    try {
      const built = await buildModels(writer, await loadProject(DEFAULT_PROJECT_DIR), {
        engine: wh.engine,
        fullRefresh: true,
      });
      expect(
        built.models.filter((m) => m.status !== "success").map((m) => `${m.node}: ${m.message}`),
      ).toEqual([]);
      const alignment = await writer.query("SELECT status FROM gold.kpi_version_alignment");
      expect(alignment.rows).toHaveLength(1);
    } finally {
      await writer.abandon("test");
      await wh.close();
    }
  });

  it("lists states and rolls back through the CLI; readers see the older state", async () => {
    const list = captureIO();
    expect(await listStates({ store, warehouse: url, json: true }, list)).toBe(0);
    const states = list
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; current: boolean });
    expect(states.map((s) => s.id)).toEqual(
      expect.arrayContaining([runs[0]!.publishedState, runs[1]!.publishedState]),
    );
    expect(states.find((s) => s.current)?.id).toBe(runs[1]!.publishedState);

    const rollback = captureIO();
    expect(
      await rollbackState(
        runs[0]!.publishedState!,
        { store, warehouse: url, reason: "test", by: "tester", json: true },
        rollback,
      ),
    ).toBe(0);
    expect(JSON.parse(rollback.stdout())).toMatchObject({
      current: runs[0]!.publishedState,
      previous: runs[1]!.publishedState,
    });
    expect(
      await queryPublished(url, "SELECT CAST(as_of_date AS VARCHAR) AS d FROM silver.load_as_of"),
    ).toEqual([{ d: D[0] }]);
    const history = captureIO();
    expect(await listStates({ store, warehouse: url, json: true, history: true }, history)).toBe(0);
    expect(history.stdout()).toContain('"event":"rollback"');
  });
});
