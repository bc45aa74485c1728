/**
 * silver.tenant_status_history is incremental: a daily run replays only the snapshots newer than
 * the last one the table saw, from each tenant's latest stretch. Built day by day it must equal
 * a rebuild from the whole history; anything that changes an older snapshot (a re-run of the
 * same date, a forced rebuild, a backfill of older dates, a build outside the daily run) must
 * rebuild from the whole history. An old snapshot changed behind the pipeline's back shows
 * which of the two happened. On DuckDB and on a real PostgreSQL 15.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../test/support/postgres.js";
import { generateTestWorld, type TestWorld } from "../../test/support/demo-world.js";
import { buildModels, loadProject } from "../models-runner/index.js";
import type { Vars } from "../models-runner/types.js";
import { engineOfLocation, openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateWriter, Warehouse } from "../warehouse/warehouse.js";
import { backfill } from "./backfill.js";
import { DEFAULT_PROJECT_DIR, snapshotModelsStep } from "./daily-run.js";
import { recordInLedger } from "./snapshot-ledger.js";

const FROM = "2026-01-12";
const TO = "2026-01-25";
/** The day each scenario adds after the backfilled history. */
const NEXT = "2026-01-26";
const root = mkdtempSync(path.join(tmpdir(), "tb-status-history-"));
const HISTORY = `SELECT tenant_id, status, apartment_id, room_id, valid_from, valid_to, last_seen, is_current
  FROM silver.tenant_status_history ORDER BY tenant_id, valid_from`;

let warehouse: Warehouse;
let project: Awaited<ReturnType<typeof loadProject>>;

async function buildHistory(writer: StateWriter, vars: Vars, fullRefresh = false) {
  const built = await buildModels(writer, project, {
    select: ["tenant_status_history"],
    vars,
    engine: warehouse.engine,
    fullRefresh,
  });
  expect(built.models.map((m) => [m.node, m.status, m.status === "success" ? "" : m.message])).toEqual([
    ["silver.tenant_status_history", "success", ""],
  ]);
  expect(built.tests.every((t) => t.status === "pass")).toBe(true);
  return (await writer.query(HISTORY)).rows;
}

/** The same rows rebuilt from the whole snapshot history (in the same state, then put back). */
async function rebuiltFromWholeHistory(writer: StateWriter): Promise<Record<string, unknown>[]> {
  await writer.exec("CREATE TABLE silver.status_history_kept AS SELECT * FROM silver.tenant_status_history");
  const rebuilt = await buildHistory(writer, {}, true);
  await writer.exec("DROP TABLE silver.tenant_status_history");
  await writer.exec("ALTER TABLE silver.status_history_kept RENAME TO tenant_status_history");
  return rebuilt;
}

/**
 * Adds snapshot NEXT after the last one: yesterday's pairs, except a tenant who leaves, one who
 * changes status, one who comes back as they were and one who comes back in another status.
 */
async function addNextDay(writer: StateWriter): Promise<void> {
  await writer.exec(
    `INSERT INTO silver.tenant_room_snapshot_daily
     SELECT CAST('${NEXT}' AS DATE), tenant_id, apartment_id, room_id, status, moving_id, move_in_date, moveout_date, moveout_plans_date, rent
     FROM silver.tenant_room_snapshot_daily WHERE snapshot_date = CAST('${TO}' AS DATE)`,
  );
  const current = (
    await writer.query(
      "SELECT tenant_id FROM silver.tenant_status_history WHERE is_current ORDER BY tenant_id LIMIT 2",
    )
  ).rows.map((r) => Number(r.tenant_id));
  const gone = (
    await writer.query(
      `SELECT tenant_id FROM silver.tenant_status_history h
       WHERE NOT is_current AND valid_from = (SELECT MAX(valid_from) FROM silver.tenant_status_history x WHERE x.tenant_id = h.tenant_id)
       ORDER BY tenant_id LIMIT 2`,
    )
  ).rows.map((r) => Number(r.tenant_id));
  expect(current).toHaveLength(2);
  expect(gone).toHaveLength(2);
  await writer.exec(
    `DELETE FROM silver.tenant_room_snapshot_daily WHERE snapshot_date = CAST('${NEXT}' AS DATE) AND tenant_id = ${current[0]}`,
  );
  await writer.exec(
    `UPDATE silver.tenant_room_snapshot_daily SET status = 98 WHERE snapshot_date = CAST('${NEXT}' AS DATE) AND tenant_id = ${current[1]}`,
  );
  for (const [i, tenant] of gone.entries()) {
    await writer.exec(
      `INSERT INTO silver.tenant_room_snapshot_daily
       SELECT CAST('${NEXT}' AS DATE), tenant_id, apartment_id, room_id, ${i === 0 ? "status" : "97"}, moving_id, move_in_date, moveout_date, moveout_plans_date, rent
       FROM silver.tenant_room_snapshot_daily
       WHERE tenant_id = ${tenant} AND snapshot_date = (SELECT MAX(snapshot_date) FROM silver.tenant_room_snapshot_daily WHERE tenant_id = ${tenant})`,
    );
  }
  await recordInLedger(writer, NEXT, "loaded");
}

/** Changes one tenant's status on the first snapshot, behind the pipeline's back. */
async function changeOldSnapshot(writer: StateWriter): Promise<void> {
  await writer.exec(
    `UPDATE silver.tenant_room_snapshot_daily SET status = 99
     WHERE snapshot_date = CAST('${FROM}' AS DATE)
       AND tenant_id = (SELECT MIN(tenant_id) FROM silver.tenant_room_snapshot_daily WHERE snapshot_date = CAST('${FROM}' AS DATE))`,
  );
}

const sawOldChange = (rows: Record<string, unknown>[]) => rows.some((r) => r.status === 99);

/** Runs `work` in a state that is thrown away afterwards. */
async function inScratchState(work: (writer: StateWriter) => Promise<void>): Promise<void> {
  const writer = await warehouse.beginState({ label: "scratch" });
  try {
    await work(writer);
  } finally {
    await writer.abandon("test scenario");
  }
}

let world: TestWorld;
let server: PostgresServer | undefined;
const postgres = requireServer("PostgreSQL 15", postgresAvailable());

beforeAll(async () => {
  world = await generateTestWorld(path.join(root, "world"), { from: FROM, to: TO, scale: 0.01, seed: 5 });
  project = await loadProject(DEFAULT_PROJECT_DIR);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Backfills the world into `location` day by day, as daily runs would: each date's snapshot slice, then the history incrementally. */
async function backfillWithHistory(location: string): Promise<void> {
  const at = world.settingsFor(location);
  const snapshotModels = snapshotModelsStep(at, engineOfLocation(location));
  warehouse = await openWarehouse(location);
  await backfill(at, {
    from: FROM,
    to: TO,
    checkpointEvery: 100,
    cacheDir: path.join(root, "cache"),
    afterDate: async (writer, date) => {
      await snapshotModels(writer, date);
      await buildHistory(writer, { snapshot_date: date });
    },
  });
}

const engines = [
  { engine: "duckdb", skip: false, location: async () => path.join(root, "wh-duckdb") },
  {
    engine: "postgres",
    skip: !postgres,
    location: async () => {
      server = await startPostgres();
      return server.createDatabase();
    },
  },
];

for (const { engine, skip, location } of engines)
  describe.skipIf(skip)(`tenant_status_history, incremental, on ${engine}`, () => {
    beforeAll(async () => {
      await backfillWithHistory(await location());
    }, 180_000);
    afterAll(async () => {
      await warehouse?.close();
    });

    it("built day by day equals the rebuild from the whole history", async () => {
      await inScratchState(async (writer) => {
        const daily = (await writer.query(HISTORY)).rows;
        expect(daily.length).toBeGreaterThan(20);
        expect(daily.some((r) => r.is_current === false)).toBe(true);
        expect(await rebuiltFromWholeHistory(writer)).toEqual(daily);
      });
    });

    it("a daily run replays only the new snapshot: leavers closed, changes opened, returners merged as a rebuild would", async () => {
      await inScratchState(async (writer) => {
        await addNextDay(writer);
        const incremental = await buildHistory(writer, { snapshot_date: NEXT });
        expect(incremental.some((r) => r.status === 98 && r.valid_from === NEXT && r.is_current)).toBe(true);
        expect(incremental.some((r) => r.status === 97 && r.valid_from === NEXT)).toBe(true);
        expect(incremental.some((r) => r.last_seen === NEXT && String(r.valid_from) < TO)).toBe(true);
        expect(await rebuiltFromWholeHistory(writer)).toEqual(incremental);
      });
    });

    it("does not read older snapshots on a daily run (a change behind its back stays unseen)", async () => {
      await inScratchState(async (writer) => {
        await changeOldSnapshot(writer);
        await addNextDay(writer);
        expect(sawOldChange(await buildHistory(writer, { snapshot_date: NEXT }))).toBe(false);
      });
    });

    it("rebuilds from the whole history on a re-run of the same date", async () => {
      await inScratchState(async (writer) => {
        await addNextDay(writer);
        await buildHistory(writer, { snapshot_date: NEXT });
        await changeOldSnapshot(writer);
        expect(sawOldChange(await buildHistory(writer, { snapshot_date: NEXT }))).toBe(true);
      });
    });

    it("rebuilds from the whole history when an older date is forced", async () => {
      await inScratchState(async (writer) => {
        await changeOldSnapshot(writer);
        await addNextDay(writer);
        const vars = { snapshot_date: NEXT, forced_snapshot_date: FROM };
        expect(sawOldChange(await buildHistory(writer, vars))).toBe(true);
      });
    });

    it("rebuilds from the whole history after an older date was recorded again (a backfill)", async () => {
      await inScratchState(async (writer) => {
        await changeOldSnapshot(writer);
        await recordInLedger(writer, FROM, "loaded");
        await addNextDay(writer);
        expect(sawOldChange(await buildHistory(writer, { snapshot_date: NEXT }))).toBe(true);
      });
    });

    it("rebuilds from the whole history outside a daily run (no snapshot_date)", async () => {
      await inScratchState(async (writer) => {
        await changeOldSnapshot(writer);
        expect(sawOldChange(await buildHistory(writer, {}))).toBe(true);
      });
    });
  });
