/**
 * A hand-built four-day PMS with known answers, run through the daily run (load, snapshot
 * slices, enrichment, seeds, silver, gold, tests, publish).
 *
 * Building 1 has rooms 1-3. Tenants: T1 in room 1 gives notice on D2, leaves on D3 (status 15
 * in the D3 snapshot), processed by D4; T2 applied for room 2 and moves in on D2 (its moving
 * is stored twice: the stale copy 20 and the live 21, one application on D1); T3 lives in room 3 throughout (moving
 * stored twice with the same updated_at: 30 and 31) and has a scheduled move-out on 03-14;
 * T4 applied for room 1 and moves in on 03-10.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { kpiReport } from "../cli/commands/kpi.js";
import { resolveSettings, type Settings } from "../config/settings.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { FixtureRow, FixtureTables } from "../../test/support/fixture-dump.js";
import { fixtureMoving, writeFixtureDay } from "../../test/support/fixture-dump.js";
import { queryPublished } from "../../test/support/query-published.js";
import { fixtureApartment } from "./testing/run-fixture.js";
import { runDaily, type DailyRunResult } from "./daily-run.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-fixture-"));
const store = path.join(root, "store");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const D = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"] as const;
const PII = {
  last: "Fixturesurname",
  first: "Uniquegiven",
  email: "pii-check@example.invalid",
  phone: "090-0000-1111",
};

const apartments: FixtureRow[] = [fixtureApartment()];
const rooms: FixtureRow[] = [1, 2, 3].map((id) => ({
  id,
  apartment_id: 1,
  room_number: `10${id}`,
  room_type_code: 1,
  rent: 60000,
  management_fee: 10000,
  is_active: 1,
}));

function tenant(
  id: number,
  status: number,
  room: number | null,
  moving: number,
  extra: FixtureRow = {},
): FixtureRow {
  return {
    id,
    tenant_code: `T${id}`,
    last_name: PII.last,
    first_name: PII.first,
    email: PII.email,
    phone: PII.phone,
    birth_date: "1994-05-06",
    gender_code: 1,
    nationality: id === 3 ? "Viet Nam" : "日本",
    personal_identity_code: 1,
    affiliation_type_code: 1,
    affiliation_name: "Example KK",
    status,
    apartment_id: room === null ? null : 1,
    room_id: room,
    moving_id: moving,
    ...extra,
  };
}

/** Movings of this world were last touched on 2026-01-01 unless a day says otherwise. */
function moving(id: number, tenantId: number, room: number, fields: FixtureRow): FixtureRow {
  return fixtureMoving(id, tenantId, room, { updated_at: "2026-01-01 10:00:00", ...fields });
}

function day(i: number): FixtureTables {
  const t1Status = [7, 10, 15, 16][i]!;
  const m11: FixtureRow = {
    moveout_notice_date: i >= 1 ? D[1] : null,
    moveout_date: i >= 1 ? D[2] : null,
    moveout_reason_code: i >= 1 ? 3 : null,
    moveout_plans_date: i >= 3 ? D[2] : null,
    updated_at: i >= 1 ? "2026-03-01 18:00:00" : "2026-01-01 10:00:00",
  };
  const t2Moving = { application_date: D[0], move_in_date: D[1], rent: 52000 };
  return {
    apartments,
    rooms,
    tenants: [
      tenant(1, t1Status, 1, 11),
      tenant(2, i === 0 ? 4 : 7, 2, 21),
      tenant(3, 9, 3, 31, { birth_date: "0000-00-00" }),
      tenant(4, 4, 1, 41),
    ],
    movings: [
      moving(11, 1, 1, m11),
      moving(20, 2, 2, { ...t2Moving, rent: 50000, updated_at: "2026-02-20 10:00:00" }),
      moving(21, 2, 2, { ...t2Moving, updated_at: "2026-02-25 12:00:00" }),
      moving(30, 3, 3, { application_date: "2024-12-20", moveout_date: "2026-03-14", rent: 61000 }),
      moving(31, 3, 3, { application_date: "2024-12-20", moveout_date: "2026-03-14", rent: 61000 }),
      moving(41, 4, 1, { application_date: "2026-02-27", move_in_date: "2026-03-10", rent: 58000 }),
    ],
    rent_payments: [
      {
        id: 1,
        moving_id: 11,
        tenant_id: 1,
        billing_month: "2026-03-01",
        amount_due: 55000,
        amount_paid: 55000,
        paid_on: "2026-02-27",
        method: "bank",
      },
      {
        id: 2,
        moving_id: 31,
        tenant_id: 3,
        billing_month: "2026-03-01",
        amount_due: 61000,
        amount_paid: 0,
        paid_on: null,
        method: "cash",
      },
    ],
  };
}

let settings: Settings;
const results: DailyRunResult[] = [];

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, day(i));
  settings = resolveSettings({
    env: {},
    flags: { store, warehouse: path.join(root, "wh") },
  }).values;
  for (const date of D) results.push(await runDaily(settings, date));
}, 240_000);

describe("the fixture world through the daily run", () => {
  it("publishes every day with every test passing", () => {
    for (const r of results) {
      expect(r.published, r.targetDate).toBe(true);
      expect(r.tests.filter((t) => t.status !== "pass")).toEqual([]);
    }
  });

  it("de-duplicates movings: latest updated_at, then the highest id", async () => {
    const rows = await query("SELECT moving_id, rent, duplicate_count FROM silver.stg_movings ORDER BY 1");
    expect(rows).toEqual([
      { moving_id: 11, rent: 55000, duplicate_count: 1 },
      { moving_id: 21, rent: 52000, duplicate_count: 2 },
      { moving_id: 31, rent: 61000, duplicate_count: 2 },
      { moving_id: 41, rent: 58000, duplicate_count: 1 },
    ]);
  });

  it("builds SCD2 intervals of status and room from consecutive snapshots", async () => {
    const rows = await query(
      "SELECT status, valid_from, valid_to, is_current FROM silver.tenant_status_history WHERE tenant_id = 1 ORDER BY valid_from",
    );
    expect(rows).toEqual([
      { status: 7, valid_from: D[0], valid_to: D[1], is_current: false },
      { status: 10, valid_from: D[1], valid_to: D[2], is_current: false },
      { status: 15, valid_from: D[2], valid_to: D[3], is_current: false },
      { status: 16, valid_from: D[3], valid_to: null, is_current: true },
    ]);
  });

  it("appends one snapshot slice per day incrementally", async () => {
    const rows = await query(
      "SELECT snapshot_date, COUNT(*) AS pairs FROM silver.tenant_room_snapshot_daily GROUP BY 1 ORDER BY 1",
    );
    expect(rows).toEqual(D.map((d) => ({ snapshot_date: d, pairs: 4 })));
    expect(results[3]!.models.find((m) => m.node === "silver.tenant_room_snapshot_daily")?.message).toMatch(
      /incremental: 4 rows/,
    );
  });

  it("computes fact days: bridge-day rule, flows, same-day policy and its identity", async () => {
    const rows = await query(
      `SELECT snapshot_date, applications, new_moveins, new_moveouts, period_start_rooms, period_end_rooms,
              occupancy_delta, total_rooms, occupancy_room_count_0000, occupancy_room_count_eod
       FROM gold.occupancy_daily_metrics WHERE NOT is_projection ORDER BY 1`,
    );
    expect(rows).toEqual([
      {
        snapshot_date: D[0],
        applications: 1,
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: null,
        period_end_rooms: 2,
        occupancy_delta: null,
        total_rooms: 3,
        occupancy_room_count_0000: 2,
        occupancy_room_count_eod: 2,
      },
      {
        snapshot_date: D[1],
        applications: 0,
        new_moveins: 1,
        new_moveouts: 0,
        period_start_rooms: 2,
        period_end_rooms: 3,
        occupancy_delta: 1,
        total_rooms: 3,
        occupancy_room_count_0000: 2,
        occupancy_room_count_eod: 3,
      },
      {
        snapshot_date: D[2],
        applications: 0,
        new_moveins: 0,
        new_moveouts: 1,
        period_start_rooms: 3,
        period_end_rooms: 3,
        occupancy_delta: 0,
        total_rooms: 3,
        occupancy_room_count_0000: 3,
        occupancy_room_count_eod: 2,
      },
      {
        snapshot_date: D[3],
        applications: 0,
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: 3,
        period_end_rooms: 2,
        occupancy_delta: -1,
        total_rooms: 3,
        occupancy_room_count_0000: 2,
        occupancy_room_count_eod: 2,
      },
    ]);
  });

  it("projects 90 days from the as-of snapshot: scheduled move-ins of applied tenants, scheduled move-outs", async () => {
    const rows = await query(
      `SELECT snapshot_date, new_moveins, new_moveouts, period_start_rooms, period_end_rooms, as_of_date
       FROM gold.occupancy_daily_metrics WHERE is_projection AND (new_moveins > 0 OR new_moveouts > 0 OR snapshot_date IN (DATE '2026-03-05', DATE '2026-06-02')) ORDER BY 1`,
    );
    expect(rows).toEqual([
      {
        snapshot_date: "2026-03-05",
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: 2,
        period_end_rooms: 2,
        as_of_date: D[3],
      },
      {
        snapshot_date: "2026-03-10",
        new_moveins: 1,
        new_moveouts: 0,
        period_start_rooms: 2,
        period_end_rooms: 3,
        as_of_date: D[3],
      },
      {
        snapshot_date: "2026-03-14",
        new_moveins: 0,
        new_moveouts: 1,
        period_start_rooms: 3,
        period_end_rooms: 2,
        as_of_date: D[3],
      },
      {
        snapshot_date: "2026-06-02",
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: 2,
        period_end_rooms: 2,
        as_of_date: D[3],
      },
    ]);
    const count = await query(
      "SELECT COUNT(*) AS n, MAX(snapshot_date) AS last FROM gold.occupancy_daily_metrics WHERE is_projection",
    );
    expect(count).toEqual([{ n: 90, last: "2026-06-02" }]);
  });

  it("computes month-end RENT, RevPAR and RecPAR (cash) from the as-of snapshot", async () => {
    const rows = await query(
      "SELECT month_start, as_of_date, rent, revpar, recpar_cash, occupancy_rate FROM gold.kpi_month_end_metrics",
    );
    // Occupied rooms on 03-04: room 2 (52,000) and room 3 (61,000); 3 rooms; 55,000 paid for March.
    expect(rows).toEqual([
      {
        month_start: "2026-03-01",
        as_of_date: D[3],
        rent: 56500,
        revpar: 113000 / 3,
        recpar_cash: 55000 / 3,
        occupancy_rate: 2 / 3,
      },
    ]);
  });

  it("keeps personal data out of silver and gold", async () => {
    const pii = [PII.last, PII.first, PII.email, PII.phone, "1994-05-06"];
    const columns = await query(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns
       WHERE table_schema IN ('silver', 'gold') AND data_type IN ('VARCHAR', 'DATE')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const list = pii.map((v) => `'${v}'`).join(", ");
    const probes = columns.map(
      (c) =>
        `SELECT '${c.table_schema}.${c.table_name}.${c.column_name}' AS found FROM "${c.table_schema}"."${c.table_name}" ` +
        `WHERE CAST("${c.column_name}" AS VARCHAR) IN (${list})`,
    );
    const hits = await query(`SELECT DISTINCT found FROM (${probes.join(" UNION ALL ")}) x`);
    expect(hits).toEqual([]);
    // The scan can fail: the same probe finds the values in staging.
    const staging = await query(`SELECT COUNT(*) AS n FROM staging.tenants WHERE last_name IN (${list})`);
    expect(staging).toEqual([{ n: 4 }]);
    expect(await query("SELECT age_band FROM silver.stg_tenants WHERE tenant_id = 3")).toEqual([
      { age_band: "unknown" },
    ]);
    expect(await query("SELECT nationality_code FROM silver.stg_tenants WHERE tenant_id = 3")).toEqual([
      { nationality_code: "VN" },
    ]);
  });

  it("re-inserts a forced snapshot date from the staging history", async () => {
    const wh = await openWarehouse(settings.warehouse);
    const writer = await wh.beginState({ label: "corrupt a slice" });
    await writer.exec(
      `UPDATE silver.tenant_room_snapshot_daily SET status = 99 WHERE snapshot_date = DATE '${D[0]}'`,
    );
    await writer.publish();
    await wh.close();
    expect(
      await query(`SELECT COUNT(*) AS n FROM silver.tenant_room_snapshot_daily WHERE status = 99`),
    ).toEqual([{ n: 4 }]);
    const rerun = await runDaily({ ...settings, forceRebuildSnapshotDate: D[0] }, D[3]);
    expect(rerun.published).toBe(true);
    expect(
      await query(`SELECT COUNT(*) AS n FROM silver.tenant_room_snapshot_daily WHERE status = 99`),
    ).toEqual([{ n: 0 }]);
    expect(
      await query(
        `SELECT status FROM silver.tenant_room_snapshot_daily WHERE snapshot_date = DATE '${D[0]}' ORDER BY tenant_id`,
      ),
    ).toEqual([{ status: 7 }, { status: 4 }, { status: 9 }, { status: 4 }]);
  });

  it("reports the month-end cards and the daily series with the boundary through `tokyobeta kpi`", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await kpiReport({ warehouse: settings.warehouse, days: "2", json: true })).toBe(0);
      const report = JSON.parse(String(log.mock.calls[0]![0]));
      expect(report.month).toBe("2026-03");
      expect(report.version_alignment).toBe("aligned");
      expect(report.cards.find((c: { metric: string }) => c.metric === "rent").value).toBe(56500);
      expect(
        report.daily.map((d: { snapshot_date: string; is_projection: boolean }) => [
          d.snapshot_date,
          d.is_projection,
        ]),
      ).toEqual([
        ["2026-03-02", false],
        ["2026-03-03", false],
        ["2026-03-04", false],
        ["2026-03-05", true],
        ["2026-03-06", true],
      ]);
    } finally {
      log.mockRestore();
    }
    await expect(kpiReport({ warehouse: settings.warehouse, days: "2", month: "2025-13" })).rejects.toThrow(
      /--month/,
    );
  });
});

function query(sql: string) {
  return queryPublished(settings.warehouse, sql);
}
