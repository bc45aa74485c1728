/**
 * KPI rules around gaps and awkward moves, on a hand-built PMS with known answers.
 *
 * Rooms 1-4 of one building. T1 lives in room 1 throughout. T5 transfers from room 2 to room 4
 * on D2 (moving 51 ends, 52 starts). T6 leaves room 3 on D2 and T7 moves into room 3 the same
 * day. T8 applied for room 4 on D1 and cancelled on D2. The dump of D3 is missing (a gap), so
 * D4 is a bridge day. A configured override then forces D5 to a gap.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSettings, type Settings } from "../config/settings.js";
import {
  fixtureMoving,
  writeFixtureDay,
  type FixtureRow,
  type FixtureTables,
} from "../../test/support/fixture-dump.js";
import { queryPublished } from "../../test/support/query-published.js";
import { DEFAULT_PROJECT_DIR, runDaily } from "./daily-run.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-gaps-"));
const store = path.join(root, "store");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const D1 = "2026-04-01";
const D2 = "2026-04-02";
const D3 = "2026-04-03";
const D4 = "2026-04-04";
const D5 = "2026-04-05";

const apartments: FixtureRow[] = [
  {
    id: 1,
    asset_id_hj: "HJ000002",
    apartment_name: "ギャップ荘",
    apartment_name_en: "Gap House",
    zip_code: "1640001",
    prefecture: "東京都",
    address: "東京都中野区中野2-3-4",
    latitude: null,
    longitude: null,
    opened_on: "2019-04-01",
    closed_on: null,
  },
];
const rooms: FixtureRow[] = [1, 2, 3, 4].map((id) => ({
  id,
  apartment_id: 1,
  room_number: `20${id}`,
  room_type_code: 1,
  rent: 60000,
  management_fee: 10000,
  is_active: 1,
}));

function tenant(id: number, status: number, room: number | null, moving: number): FixtureRow {
  return {
    id,
    tenant_code: `G${id}`,
    last_name: "x",
    first_name: "y",
    email: null,
    phone: null,
    birth_date: "1990-01-01",
    gender_code: 2,
    nationality: "Korea",
    personal_identity_code: 2,
    affiliation_type_code: 14,
    affiliation_name: null,
    status,
    apartment_id: room === null ? null : 1,
    room_id: room,
    moving_id: moving,
  };
}

/** Student contracts (agreement type 3) at 60,000 yen unless a row says otherwise. */
function moving(id: number, tenantId: number, room: number, fields: FixtureRow): FixtureRow {
  return fixtureMoving(id, tenantId, room, { moving_agreement_type: 3, rent: 60000, ...fields });
}

/** The PMS as dumped at 05:30 of `date` (`after` = the day's events of D2 are visible). */
function pms(after: boolean, firstDay: boolean): FixtureTables {
  const processed = !firstDay && after;
  return {
    apartments,
    rooms,
    tenants: [
      tenant(1, 7, 1, 11),
      processed ? tenant(5, 7, 4, 52) : tenant(5, 12, 2, 51),
      processed ? tenant(6, 16, 3, 61) : tenant(6, firstDay ? 11 : 15, 3, 61),
      tenant(7, firstDay ? 5 : 7, 3, 71),
      firstDay ? tenant(8, 4, 4, 81) : tenant(8, 8, null, 81),
    ],
    movings: [
      moving(11, 1, 1, { move_in_date: "2025-06-01" }),
      moving(51, 5, 2, {
        moveout_date: D2,
        moveout_notice_date: "2026-03-20",
        moveout_plans_date: processed ? D2 : null,
        moveout_reason_code: 8,
      }),
      moving(52, 5, 4, { application_date: D1, move_in_date: D2 }),
      moving(61, 6, 3, {
        move_in_date: "2024-01-01",
        moveout_date: D2,
        moveout_notice_date: "2026-03-01",
        moveout_plans_date: processed ? D2 : null,
        moveout_reason_code: 2,
      }),
      moving(71, 7, 3, { application_date: "2026-03-22", move_in_date: D2 }),
      moving(81, 8, 4, {
        application_date: D1,
        move_in_date: D5,
        is_cancelled: firstDay ? 0 : 1,
        cancelled_at: firstDay ? null : "2026-04-01 15:00:00",
      }),
    ],
  };
}

let settings: Settings;

const FACTS = `SELECT snapshot_date, applications, new_moveins, new_moveouts, period_start_rooms, period_end_rooms,
  occupancy_delta, total_rooms, occupancy_room_count_0000, occupancy_room_count_eod
  FROM gold.occupancy_daily_metrics WHERE NOT is_projection ORDER BY 1`;

beforeAll(async () => {
  await writeFixtureDay(store, D1, pms(false, true));
  await writeFixtureDay(store, D2, pms(false, false));
  // No dump for D3: the upstream job failed that day.
  await writeFixtureDay(store, D4, pms(true, false));
  await writeFixtureDay(store, D5, pms(true, false));
  settings = resolveSettings({ env: {}, flags: { store, warehouse: path.join(root, "wh") } }).values;
  for (const date of [D1, D2, D4, D5]) expect((await runDaily(settings, date)).published, date).toBe(true);
}, 240_000);

describe("KPI rules around gaps, transfers and same-day moves", () => {
  it("counts physical rooms once, moves of a transfer both ways, and skips cancelled move-ins", async () => {
    expect(await query(FACTS)).toEqual([
      {
        snapshot_date: D1,
        applications: 2,
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: null,
        period_end_rooms: 3,
        occupancy_delta: null,
        total_rooms: 4,
        occupancy_room_count_0000: 3,
        occupancy_room_count_eod: 3,
      },
      {
        snapshot_date: D2,
        applications: 0,
        new_moveins: 2,
        new_moveouts: 2,
        period_start_rooms: 3,
        period_end_rooms: 3,
        occupancy_delta: 0,
        total_rooms: 4,
        occupancy_room_count_0000: 3,
        occupancy_room_count_eod: 3,
      },
      // D3 is a gap: no row; D4 is the bridge day: no start, no delta.
      {
        snapshot_date: D4,
        applications: 0,
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: null,
        period_end_rooms: 3,
        occupancy_delta: null,
        total_rooms: 4,
        occupancy_room_count_0000: 3,
        occupancy_room_count_eod: 3,
      },
      {
        snapshot_date: D5,
        applications: 0,
        new_moveins: 0,
        new_moveouts: 0,
        period_start_rooms: 3,
        period_end_rooms: 3,
        occupancy_delta: 0,
        total_rooms: 4,
        occupancy_room_count_0000: 3,
        occupancy_room_count_eod: 3,
      },
    ]);
  });

  it("marks the missing dump as a gap in the data-quality calendar", async () => {
    expect(
      await query("SELECT calendar_date, status, reason, source FROM gold.data_quality_calendar ORDER BY 1"),
    ).toEqual([
      { calendar_date: D1, status: "valid", reason: null, source: "automatic" },
      { calendar_date: D2, status: "valid", reason: null, source: "automatic" },
      { calendar_date: D3, status: "gap", reason: "missing_dump", source: "automatic" },
      { calendar_date: D4, status: "valid", reason: null, source: "automatic" },
      { calendar_date: D5, status: "valid", reason: null, source: "automatic" },
    ]);
  });

  it("applies a configured override on the next run: a forced gap produces no fact row", async () => {
    const project = path.join(root, "models");
    cpSync(DEFAULT_PROJECT_DIR, project, { recursive: true });
    writeFileSync(
      path.join(project, "seeds/data_quality_overrides.csv"),
      `start_date,end_date,status,reason,note\n${D5},${D5},gap,forced_gap,PMS migration test\n`,
    );
    const rerun = await runDaily({ ...settings, occupancyRebuildStartDate: D1 }, D5, { projectDir: project });
    expect(rerun.published).toBe(true);
    expect(
      await query(
        `SELECT status, reason, source FROM gold.data_quality_calendar WHERE calendar_date = DATE '${D5}'`,
      ),
    ).toEqual([{ status: "gap", reason: "forced_gap", source: "override" }]);
    const facts = await query(FACTS);
    expect(facts.map((f) => f.snapshot_date)).toEqual([D1, D2, D4]);
  });
});

function query(sql: string) {
  return queryPublished(settings.warehouse, sql);
}
