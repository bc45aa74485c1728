/**
 * The January 2026 reference figures at the CI scale: a scale-0.1 demo world around the month
 * end goes through backfill and the daily run, and gold's month-end KPIs must sit within the
 * guardrail tolerances (the run publishes only when the reference_guardrails test passes).
 * The scale-1 check is bench/validate-guardrails.sh.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestWorld } from "../../test/support/demo-world.js";
import type { Settings } from "../config/settings.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { backfill } from "./backfill.js";
import { runDaily, snapshotModelsStep, type DailyRunResult } from "./daily-run.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-guardrails-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let settings: Settings;
let run: DailyRunResult;

beforeAll(async () => {
  const world = await generateTestWorld(path.join(root, "world"), {
    from: "2026-01-29",
    to: "2026-02-01",
    scale: 0.1,
    seed: 1,
    auxMb: 0.05,
  });
  settings = world.settingsFor(path.join(root, "wh"));
  await backfill(settings, {
    from: "2026-01-29",
    to: "2026-01-31",
    afterDate: snapshotModelsStep(settings, "duckdb"),
    cacheDir: path.join(root, "cache"),
  });
  run = await runDaily(settings, "2026-02-01");
}, 240_000);

describe("the January 2026 reference figures at the CI scale", () => {
  it("publishes with the reference guardrails passing", () => {
    expect(settings.referenceScale).toBe(0.1);
    expect(run.tests.find((t) => t.test === "reference_guardrails")?.status).toBe("pass");
    expect(run.published).toBe(true);
  });

  it("computes January's month-end rates within the tolerances", async () => {
    const wh = await openWarehouse(settings.warehouse);
    const reader = await wh.openPublished();
    const [jan] = (
      await reader.query("SELECT * FROM gold.kpi_month_end_metrics WHERE month_start = DATE '2026-01-01'")
    ).rows;
    await reader.close();
    await wh.close();
    expect(jan!.as_of_date).toBe("2026-01-31");
    expect(Math.abs(Number(jan!.occupancy_rate) - 0.707)).toBeLessThan(0.01);
    expect(Math.abs(Number(jan!.rent) / 56_195 - 1)).toBeLessThan(0.02);
    expect(Math.abs(Number(jan!.revpar) / 39_757 - 1)).toBeLessThan(0.02);
    expect(Math.abs(Number(jan!.recpar_cash) / 37_826 - 1)).toBeLessThan(0.03);
    expect(Math.abs(Number(jan!.occupied_rooms_0000_next_day) / 0.1 / 11_271 - 1)).toBeLessThan(0.02);
  });
});
