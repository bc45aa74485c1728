/**
 * `tokyobeta reconcile` against a real warehouse: a small demo world spanning the end of
 * March 2026 (backfill with the snapshot models per date, then the daily run), an external
 * report whose move-ins include cancelled movings and whose move-outs count the scheduled
 * move-out date; the command must point at exactly those definitions, and our official
 * figures must be the gold marts'.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestWorld } from "../../../test/support/demo-world.js";
import type { Settings } from "../../config/settings.js";
import { UsageError } from "../../errors.js";
import { backfill } from "../../pipeline/backfill.js";
import { runDaily, snapshotModelsStep } from "../../pipeline/daily-run.js";
import { buildMoveinsSql } from "../../reconcile/build-reconcile-sql.js";
import { engineOfLocation, openWarehouse } from "../../warehouse/open-warehouse.js";
import type { StateReader, Warehouse } from "../../warehouse/warehouse.js";
import { markAlternatives, reconcileReport, type ReconcileResult } from "./reconcile.js";

const FROM = "2026-03-25";
const TO = "2026-04-03";
const SCALE = 0.02;
const root = mkdtempSync(path.join(tmpdir(), "tb-reconcile-"));
let settings: Settings;
let configFile: string;
let warehouse: Warehouse;
let reader: StateReader;

beforeAll(async () => {
  const world = await generateTestWorld(path.join(root, "world"), {
    from: FROM,
    to: TO,
    scale: SCALE,
    seed: 5,
  });
  configFile = world.configFile;
  settings = world.settingsFor(path.join(root, "wh"));
  await backfill(settings, {
    from: FROM,
    to: TO,
    checkpointEvery: 100,
    afterDate: snapshotModelsStep(settings, engineOfLocation(settings.warehouse)),
  });
  const daily = await runDaily({ ...settings, referenceScale: SCALE }, TO);
  expect(daily.published).toBe(true);
  warehouse = await openWarehouse(settings.warehouse);
  reader = await warehouse.openPublished();
}, 120_000);

afterAll(async () => {
  await reader?.close();
  await warehouse?.close();
  rmSync(root, { recursive: true, force: true });
});

async function scalar(sql: string): Promise<number> {
  const row = (await reader.query(sql)).rows[0]!;
  return Number(Object.values(row)[0]);
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

async function reconcile(csv: string, json = true): Promise<{ code: number; text: string }> {
  const file = path.join(root, `external-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  const { io, out } = capture();
  const code = await reconcileReport(
    { external: file, json, config: configFile, warehouse: settings.warehouse },
    io,
  );
  return { code, text: out.join("\n") };
}

const MARCH = "BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'";

describe("tokyobeta reconcile on a demo world", () => {
  let results: ReconcileResult[];
  let figures: { cancelledIncluded: number; scheduled: number; officialIn: number; officialOut: number };

  beforeAll(async () => {
    figures = {
      cancelledIncluded: await scalar(`SELECT COUNT(*) FROM silver.stg_movings WHERE move_in_date ${MARCH}`),
      scheduled: await scalar(`SELECT COUNT(*) FROM silver.stg_movings WHERE moveout_date ${MARCH}`),
      // The gold marts: non-cancelled contracts by move-in month, confirmed move-outs.
      officialIn: await scalar(
        "SELECT COUNT(*) FROM gold.new_contracts WHERE move_in_month_start = DATE '2026-03-01'",
      ),
      officialOut: await scalar(`SELECT COUNT(*) FROM gold.moveouts WHERE moveout_plans_date ${MARCH}`),
    };
    // The world must make the definitions differ, or the test proves nothing.
    expect(figures.cancelledIncluded).toBeGreaterThan(figures.officialIn);
    expect(figures.scheduled).not.toBe(figures.officialOut);
    const k = (
      await reader.query("SELECT * FROM gold.kpi_month_end_metrics WHERE month_start = DATE '2026-03-01'")
    ).rows[0]!;
    const csv = [
      "month,metric,value",
      `2026-03,moveins,${figures.cancelledIncluded}`,
      `2026-03,moveouts,${figures.scheduled}`,
      `2026-03,occupancy_rate,${(Number(k.occupancy_rate) * 100).toFixed(2)}%`,
      `2026-03,occupied_rooms,"${Number(k.period_end_rooms).toLocaleString("en-US")}"`,
    ].join("\n");
    const run = await reconcile(csv);
    expect(run.code).toBe(0);
    results = run.text.split("\n").map((l) => JSON.parse(l) as ReconcileResult);
  });

  const matching = (r: ReconcileResult) =>
    r.alternatives.filter((a) => a.mark === "matches").map((a) => a.key);

  it("gives one JSON object per external row with every alternative", () => {
    expect(results.map((r) => [r.line, r.metric])).toEqual([
      [2, "moveins"],
      [3, "moveouts"],
      [4, "occupancy_rate"],
      [5, "occupied_rooms"],
    ]);
    expect(results[0]!.alternatives.map((a) => a.key)).toContain("snapshot_changes");
    expect(results[0]!.alternatives.map((a) => a.letter).slice(0, 3)).toEqual(["(a)", "(b)", "(c)"]);
  });

  it("the official figures are the gold marts'", async () => {
    const [ins, outs, rate, rooms] = results;
    expect(ins!.official).toBe(figures.officialIn);
    expect(outs!.official).toBe(figures.officialOut);
    const k = (
      await reader.query("SELECT * FROM gold.kpi_month_end_metrics WHERE month_start = DATE '2026-03-01'")
    ).rows[0]!;
    expect(rate!.official).toBeCloseTo(Number(k.occupancy_rate), 12);
    expect(rooms!.official).toBe(Number(k.period_end_rooms));
    expect(rate!.as_of_date).toBe("2026-03-31");
  });

  it("move-ins counted with cancelled movings: the cancelled-included definitions match, not the official one", () => {
    const ins = results[0]!;
    expect(ins.external).toBe(figures.cancelledIncluded);
    expect(ins.official_difference).toBe(figures.cancelledIncluded - figures.officialIn);
    const matched = matching(ins);
    expect(matched).toContain("cancelled_included");
    expect(matched).not.toContain("official");
    expect(matched).not.toContain("duplicates_kept");
    // Exactly the definitions whose figure equals the external one (raw rows count cancelled too).
    expect(matched).toEqual(ins.alternatives.filter((a) => a.value === ins.external).map((a) => a.key));
    expect(ins.verdict).toMatch(/^the other side matches \(b\) cancelled included/);
  });

  it("move-outs by scheduled date: only the scheduled-date definition matches", () => {
    const outs = results[1]!;
    expect(matching(outs)).toEqual(["scheduled_date"]);
    expect(outs.alternatives.filter((a) => a.mark === "closest")).toEqual([]);
    expect(outs.verdict).toBe("the other side matches (b) scheduled move-out date");
  });

  it("occupancy at our own definition: the official one matches", () => {
    expect(matching(results[2]!)).toContain("official");
    expect(results[2]!.verdict).toMatch(/^matches our official figure/);
    expect(matching(results[3]!)).toContain("official");
    // The denominator alternative does not apply to a count of rooms.
    expect(results[3]!.alternatives.map((a) => a.key)).not.toContain("all_rooms");
  });

  it("snapshot and fact-day definitions say which days they saw", () => {
    const snap = results[0]!.alternatives.find((a) => a.key === "snapshot_changes")!;
    expect(snap.covered_from).toBe("2026-03-26");
    expect(snap.covered_to).toBe("2026-03-31");
    expect(snap.explanation).toMatch(/saw only 6 of 31 days/);
  });

  it("prints a table per row with the matching definition marked", async () => {
    const run = await reconcile(`month,metric,value\n2026-03,moveouts,${figures.scheduled}\n`, false);
    expect(run.code).toBe(0);
    const lines = run.text.split("\n");
    expect(lines[0]).toMatch(
      /^moveouts 2026-03 \(line 2; 2026-03-01\.\.2026-03-31; as-of snapshot 2026-03-31\)/,
    );
    expect(lines[1]).toBe("=> the other side matches (b) scheduled move-out date");
    expect(lines.slice(2).find((l) => l.includes("(b) scheduled move-out date"))).toMatch(/^matches\s+\(b\)/);
    expect(lines.slice(2).find((l) => l.includes("(a) official"))).toMatch(/^\s+\(a\) official/);
  });

  it("marks the closest definitions when none is equal", async () => {
    const run = await reconcile(`month,metric,value\n2026-03,moveouts,${figures.scheduled + 1000}\n`);
    const r = JSON.parse(run.text) as ReconcileResult;
    expect(matching(r)).toEqual([]);
    expect(r.alternatives.filter((a) => a.mark === "closest").map((a) => a.key)).toContain("scheduled_date");
    expect(r.verdict).toMatch(/^no definition matches exactly; closest:/);
  });

  it("a month in progress counts to the latest snapshot and offers the projected whole month", async () => {
    const run = await reconcile("month,metric,value\n2026-04,moveins,5\n");
    const r = JSON.parse(run.text) as ReconcileResult;
    expect(r.in_progress).toBe(true);
    expect(r.period_to).toBe(TO);
    expect(r.alternatives.map((a) => a.key)).toContain("whole_month_projected");
    const daily = await scalar(
      `SELECT SUM(new_moveins) FROM gold.occupancy_daily_metrics WHERE NOT is_projection AND snapshot_date BETWEEN DATE '2026-04-01' AND DATE '${TO}'`,
    );
    expect(r.official).toBe(daily);
  });

  it("refuses a month the data does not cover, naming the months available", async () => {
    await expect(reconcile("month,metric,value\n2025-01,moveins,3\n")).rejects.toThrow(
      /:2: field 'month': no data for 2025-01\nmonths available: 2026-03, 2026-04/,
    );
    await expect(reconcile("month,metric,value\n2025-01,moveins,3\n")).rejects.toBeInstanceOf(UsageError);
  });

  it("refuses a bad CSV before opening the warehouse, and a missing file", async () => {
    await expect(reconcile("month,metric\n2026-03,moveins\n")).rejects.toThrow(
      /field 'value': missing column 'value'/,
    );
    const { io } = capture();
    await expect(
      reconcileReport({ external: path.join(root, "nope.csv"), warehouse: settings.warehouse }, io),
    ).rejects.toThrow(/cannot read .*nope\.csv/);
  });

  it("the move-ins SQL runs on the warehouse as built", async () => {
    const { sql, params } = buildMoveinsSql({
      monthStart: "2026-03-01",
      monthEnd: "2026-03-31",
      periodEnd: "2026-03-31",
      asOfDate: "2026-03-31",
    });
    const rows = (await reader.query(sql, params)).rows;
    expect(rows.find((r) => r.definition === "official")!.value).toBe(figures.officialIn);
  });
});

describe("markAlternatives", () => {
  it("marks equal values at the external precision, else the nearest ones", () => {
    expect(markAlternatives([{ value: 0.6906 }, { value: 0.7071 }, { value: null }], 0.707, 3)).toEqual([
      null,
      "matches",
      null,
    ]);
    expect(markAlternatives([{ value: 10 }, { value: 14 }, { value: 16 }], 15, 0)).toEqual([
      null,
      "closest",
      "closest",
    ]);
    expect(markAlternatives([{ value: null }], 1, 0)).toEqual([null]);
  });
});
