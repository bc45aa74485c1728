/**
 * The gold marts on a small demo world: backfill, enrichment and the whole models project in
 * one state; every model builds and every test passes; a few figures are recomputed from the
 * simulator's own movings; an incremental second run leaves the incremental marts unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBusinessDate } from "../calendar/business-date.js";
import { generateTestWorld } from "../../test/support/demo-world.js";
import type { Settings } from "../config/settings.js";
import type { GenerateResult } from "../demo/generate.js";
import { MINUTES_PER_DAY, isCopy, type Moving } from "../demo/world-model.js";
import { runEnrichment } from "../enrich/run-enrichment.js";
import { buildModels, loadProject } from "../models-runner/index.js";
import type { RunResult, TestResult } from "../models-runner/types.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateReader, Warehouse } from "../warehouse/warehouse.js";
import { backfill } from "./backfill.js";

const FROM = "2026-01-12";
const TO = "2026-01-25";
const SCALE = 0.01;
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models");
const root = mkdtempSync(path.join(tmpdir(), "tb-gold-marts-"));

let world: GenerateResult;
let settings: Settings;
let warehouse: Warehouse;
let reader: StateReader;
let first: { models: RunResult[]; tests: TestResult[] };
let second: { models: RunResult[]; tests: TestResult[] };
let incrementalBefore: Record<string, unknown[]>;
let incrementalAfter: Record<string, unknown[]>;
let kept: Set<number>;

const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
/** Monday of the week of day number `d` (day 0, 1970-01-01, was a Thursday). */
const mondayOf = (d: number) => d - ((d + 3) % 7);

/** The incremental marts, ordered, for comparing a run with the next one. */
const INCREMENTAL = {
  occupancy_property_daily:
    "SELECT snapshot_date, apartment_id, occupied_rooms, total_rooms FROM gold.occupancy_property_daily ORDER BY 1, 2",
  tenant_status_transitions:
    "SELECT tenant_id, changed_on, change_kind, from_status, to_status, to_room_id FROM gold.tenant_status_transitions ORDER BY 1, 2",
};

async function build(label: string) {
  const writer = await warehouse.beginState({ label, run: label });
  await runEnrichment(writer);
  const project = await loadProject(projectDir);
  const built = await buildModels(writer, project, {
    engine: warehouse.engine,
    runId: label,
    // The reference guardrails hold scale-1 counts: scale them to this world.
    vars: { reference_scale: SCALE },
  });
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(INCREMENTAL)) snapshot[name] = (await writer.query(sql)).rows;
  await writer.publish();
  return { built, snapshot };
}

beforeAll(async () => {
  const generated = await generateTestWorld(path.join(root, "world"), {
    from: FROM,
    to: TO,
    scale: SCALE,
    seed: 17,
  });
  world = generated.generated;
  settings = generated.settingsFor(path.join(root, "wh"));
  await backfill(settings, { from: FROM, to: TO, checkpointEvery: 100, cacheDir: path.join(root, "cache") });
  warehouse = await openWarehouse(settings.warehouse);
  const a = await build("gold-marts-1");
  first = a.built;
  incrementalBefore = a.snapshot;
  // A second daily-like run: the incremental marts recompute only the KPI window.
  const b = await build("gold-marts-2");
  second = b.built;
  incrementalAfter = b.snapshot;
  reader = await warehouse.openPublished();
  kept = new Set(
    (await reader.query("SELECT moving_id FROM silver.stg_movings")).rows.map((r) => Number(r.moving_id)),
  );
}, 120_000);

afterAll(async () => {
  await reader?.close();
  await warehouse?.close();
  rmSync(root, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await reader.query(sql)).rows;
}

/**
 * M as the simulator knows it: the moving rows of the as-of dump (a stale duplicate is frozen at
 * its application), one per (tenant, apartment, room, move-in date). Which physical row of a
 * duplicate pair survives is silver's rule (latest updated_at, then highest id; the PMS's own
 * timestamps decide): `kept` are the ids stg_movings kept.
 */
interface AsOfMoving {
  id: number;
  moving: Moving;
  cancelled: boolean;
  confirmedMoveout: number | null;
}
function asOfMovings(kept: ReadonlySet<number>): AsOfMoving[] {
  const at = parseBusinessDate(TO) * MINUTES_PER_DAY + 330;
  const byKey = new Map<string, AsOfMoving[]>();
  for (const r of world.world.movingRows) {
    const mv = isCopy(r) ? r.copyOf : r;
    if (mv.applicationAt >= at) continue;
    const asOf = isCopy(r) ? mv.applicationAt + 1 : at;
    const processed = mv.processedAt !== null && mv.processedAt < asOf;
    const key = `${mv.tenant.id}/${mv.room.building.id}/${mv.room.id}/${mv.moveIn}`;
    const rows = byKey.get(key) ?? [];
    rows.push({
      id: r.id,
      moving: mv,
      cancelled: mv.cancelledAt !== null && mv.cancelledAt < asOf,
      confirmedMoveout: processed && mv.leaveDay !== null && mv.leaveDay >= mv.moveIn ? mv.leaveDay : null,
    });
    byKey.set(key, rows);
  }
  return [...byKey.values()].map((rows) => {
    const survivors = rows.filter((r) => kept.has(r.id));
    expect(survivors).toHaveLength(1);
    return survivors[0]!;
  });
}

function countBy(values: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(iso(v), (out.get(iso(v)) ?? 0) + 1);
  return out;
}

describe("gold marts on a demo world", () => {
  const MARTS = [
    "dim_property",
    "occupancy_property_daily",
    "occupancy_property_map_latest",
    "occupancy_kpi_meta",
    "new_contracts",
    "moveouts",
    "moveout_notices",
    "moveout_summary",
    "movein_analysis",
    "moveout_analysis",
    "tenant_status_transitions",
    "move_events_weekly",
    "municipality_churn_weekly",
    "property_churn_weekly",
    "moveouts_reason_weekly",
    "movein_profile_monthly",
    "moveout_profile_monthly",
    "funnel_application_to_movein_daily",
    "funnel_application_to_movein_periodized",
    "funnel_application_to_movein_segment_share",
  ];

  it("builds every model and passes every test, on a first and on an incremental run", () => {
    for (const run of [first, second]) {
      expect(run.models.filter((m) => m.status !== "success").map((m) => `${m.node}: ${m.message}`)).toEqual(
        [],
      );
      expect(run.tests.filter((t) => t.status !== "pass").map((t) => `${t.test}: ${t.status}`)).toEqual([]);
    }
    const built = new Set(first.models.map((m) => m.node));
    for (const mart of MARTS) expect(built, mart).toContain(`gold.${mart}`);
    const martTests = first.tests.filter((t) => t.node !== null && MARTS.some((m) => t.node === `gold.${m}`));
    expect(martTests.length).toBeGreaterThan(60);
    expect(first.tests.map((t) => t.test)).toEqual(
      expect.arrayContaining([
        "marts_shares_sum_to_one",
        "marts_flows_match_daily_kpis",
        "marts_property_occupancy_matches_portfolio",
        "marts_no_personal_data",
        "occupied_le_total_occupancy_property_daily",
      ]),
    );
  });

  it("an incremental run leaves the incremental marts as a full build made them", () => {
    const incremental = second.models.filter((m) =>
      ["gold.occupancy_property_daily", "gold.tenant_status_transitions"].includes(m.node),
    );
    expect(incremental).toHaveLength(2);
    for (const m of incremental) expect(m.message).toMatch(/^incremental: \d+ rows? inserted$/);
    expect(incrementalAfter).toEqual(incrementalBefore);
    expect(incrementalBefore.occupancy_property_daily!.length).toBeGreaterThan(0);
    expect(incrementalBefore.tenant_status_transitions!.length).toBeGreaterThan(0);
  });

  it("weekly move-ins and move-outs equal the simulator's movings by Monday week", async () => {
    const movings = asOfMovings(kept);
    const moveins = countBy(movings.filter((m) => !m.cancelled).map((m) => mondayOf(m.moving.moveIn)));
    const moveouts = countBy(
      movings.flatMap((m) => (m.confirmedMoveout === null ? [] : [mondayOf(m.confirmedMoveout)])),
    );
    const weekly = await rows(
      "SELECT CAST(week_start AS VARCHAR) AS week, SUM(moveins) AS i, SUM(moveouts) AS o FROM gold.move_events_weekly GROUP BY 1",
    );
    const gotIn = new Map(weekly.filter((r) => Number(r.i) > 0).map((r) => [String(r.week), Number(r.i)]));
    const gotOut = new Map(weekly.filter((r) => Number(r.o) > 0).map((r) => [String(r.week), Number(r.o)]));
    expect(gotIn).toEqual(moveins);
    expect(gotOut).toEqual(moveouts);
    for (const week of gotIn.keys()) expect(new Date(`${week}T00:00:00Z`).getUTCDay()).toBe(1);

    const reasons = await rows(
      "SELECT CAST(week_start AS VARCHAR) AS week, SUM(moveout_count) AS o FROM gold.moveouts_reason_weekly GROUP BY 1 HAVING SUM(moveout_count) > 0",
    );
    expect(new Map(reasons.map((r) => [String(r.week), Number(r.o)]))).toEqual(moveouts);
  });

  it("new_contracts and moveouts hold one row per simulator moving, without personal data", async () => {
    const movings = asOfMovings(kept);
    const contracts = await rows("SELECT moving_id FROM gold.new_contracts");
    expect(new Set(contracts.map((r) => Number(r.moving_id)))).toEqual(
      new Set(movings.filter((m) => !m.cancelled).map((m) => m.id)),
    );
    const moveouts = await rows("SELECT moving_id, tenure_days FROM gold.moveouts");
    const expected = new Map(
      movings.flatMap((m) =>
        m.confirmedMoveout === null ? [] : [[m.id, m.confirmedMoveout - m.moving.moveIn] as const],
      ),
    );
    expect(new Map(moveouts.map((r) => [Number(r.moving_id), Number(r.tenure_days)]))).toEqual(expected);
    const columns = await rows(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'gold'",
    );
    const names = columns.map((c) => `${String(c.table_name)}.${String(c.column_name)}`);
    expect(names.filter((n) => /tenant_code|birth|email|phone|first_name|last_name/.test(n))).toEqual([]);
    expect(names.filter((n) => n.endsWith(".tenant_id"))).toEqual(["tenant_status_transitions.tenant_id"]);
  });

  it("shares sum to 1 per period and dimension, conversions lie in [0, 1]", async () => {
    const sums = await rows(`
      SELECT 'in' AS k, month_start, dimension, SUM(share) AS s FROM gold.movein_profile_monthly GROUP BY 1, 2, 3
      UNION ALL SELECT 'out', month_start, dimension, SUM(share) FROM gold.moveout_profile_monthly GROUP BY 1, 2, 3
      UNION ALL SELECT 'apps', month_start, segment_type, SUM(share_of_applications)
        FROM gold.funnel_application_to_movein_segment_share GROUP BY 1, 2, 3 HAVING SUM(applications) > 0`);
    expect(sums.length).toBeGreaterThan(10);
    for (const r of sums)
      expect(Number(r.s), `${String(r.k)} ${String(r.month_start)} ${String(r.dimension)}`).toBeCloseTo(1, 9);
    const dims = await rows("SELECT DISTINCT dimension FROM gold.moveout_profile_monthly");
    expect(dims.map((r) => r.dimension)).toEqual(
      expect.arrayContaining(["tenure_band", "reason", "rent_band"]),
    );
    const conv = await rows(
      "SELECT MIN(conversion) AS lo, MAX(conversion) AS hi, COUNT(DISTINCT period_type) AS types FROM gold.funnel_application_to_movein_periodized",
    );
    expect(Number(conv[0]!.lo)).toBeGreaterThanOrEqual(0);
    expect(Number(conv[0]!.hi)).toBeLessThanOrEqual(1);
    expect(Number(conv[0]!.types)).toBe(3);
  });

  it("the funnel's applications per day equal the simulator's applications", async () => {
    const movings = asOfMovings(kept);
    const apps = countBy(movings.map((m) => Math.floor(m.moving.applicationAt / MINUTES_PER_DAY)));
    const got = await rows(
      "SELECT CAST(day AS VARCHAR) AS day, SUM(applications) AS n FROM gold.funnel_application_to_movein_daily GROUP BY 1 HAVING SUM(applications) > 0",
    );
    expect(new Map(got.map((r) => [String(r.day), Number(r.n)]))).toEqual(apps);
  });

  it("meta: the as-of date is the last backfilled day and projections start the day after", async () => {
    const [meta] = await rows(
      "SELECT CAST(as_of_date AS VARCHAR) AS a, CAST(first_projection_date AS VARCHAR) AS p, fact_days, freshness_hours FROM gold.occupancy_kpi_meta",
    );
    expect(meta).toMatchObject({ a: TO, p: "2026-01-26" });
    expect(Number(meta!.fact_days)).toBe(14);
    expect(Number(meta!.freshness_hours)).toBeGreaterThan(0);
    const [latest] = await rows(
      "SELECT COUNT(*) AS n, CAST(MIN(snapshot_date) AS VARCHAR) AS d FROM gold.occupancy_property_map_latest",
    );
    expect(latest).toMatchObject({ d: TO });
    expect(Number(latest!.n)).toBeGreaterThan(0);
  });
});
