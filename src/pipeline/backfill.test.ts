import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestWorld, type TestWorld } from "../../test/support/demo-world.js";
import type { Settings } from "../config/settings.js";
import type { GenerateResult } from "../demo/generate.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { backfill } from "./backfill.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-backfill-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let testWorld: TestWorld;
let world: GenerateResult;
const worldDir = path.join(root, "world");

beforeAll(async () => {
  testWorld = await generateTestWorld(worldDir, {
    from: "2026-01-01",
    to: "2026-01-16",
    scale: 0.01,
    seed: 21,
    incidents: true,
  });
  world = testWorld.generated;
});

function settingsFor(name: string): Settings {
  return testWorld.settingsFor(path.join(root, name));
}

async function progress(settings: Settings) {
  const wh = await openWarehouse(settings.warehouse);
  const reader = await wh.openPublished();
  const rows = await reader.query(
    "SELECT snapshot_date, status, reason FROM tokyobeta_meta.snapshot_ledger ORDER BY snapshot_date",
  );
  const slices = await reader.query(
    "SELECT snapshot_date, COUNT(*) AS n FROM staging.tenant_daily_snapshots GROUP BY 1 ORDER BY 1",
  );
  await reader.close();
  await wh.close();
  return { rows: rows.rows, slices: slices.rows };
}

describe("backfill", () => {
  it("loads every valid date oldest first and records each incident as a gap with its reason", async () => {
    const settings = settingsFor("wh-all");
    const seen: string[] = [];
    const result = await backfill(settings, {
      from: "2026-01-01",
      to: "2026-01-16",
      checkpointEvery: 5,
      cacheDir: path.join(root, "cache"),
      onDate: (r) => seen.push(r.date),
    });
    expect(seen).toEqual([...seen].sort());
    expect(result.checkpoints).toBe(4);
    const { rows, slices } = await progress(settings);
    expect(rows).toHaveLength(16);
    const gaps = Object.fromEntries(
      rows.filter((r) => r.status === "gap").map((r) => [r.snapshot_date, r.reason]),
    );
    const expected: Record<string, string[]> = {
      missing: ["missing_dump"],
      invalid: ["not_valid_for_etl", "quarantined"],
      source_drift: ["source_drift"],
      checksum_mismatch: ["checksum_mismatch"],
    };
    for (const day of world.days) {
      if (day.incident) expect(expected[day.incident], day.date).toContain(gaps[day.date]);
      else expect(gaps[day.date], day.date).toBeUndefined();
    }
    expect(slices.map((s) => s.snapshot_date)).toEqual(
      world.days.filter((d) => !d.incident).map((d) => d.date),
    );
  });

  it("resumes after an interruption: published checkpoints are kept, the interrupted date is redone", async () => {
    const settings = settingsFor("wh-resume");
    const failIndex = world.days.findIndex((d, i) => i >= 4 && !d.incident);
    const failDate = world.days[failIndex]!.date;
    const published = Math.floor(failIndex / 3) * 3;
    let failOnce = true;
    const interrupted = backfill(settings, {
      from: "2026-01-01",
      to: "2026-01-16",
      checkpointEvery: 3,
      cacheDir: path.join(root, "cache"),
      afterDate: async (_writer, date) => {
        if (date === failDate && failOnce) {
          failOnce = false;
          throw new Error("power loss");
        }
      },
    });
    await expect(interrupted).rejects.toThrow("power loss");
    const afterCrash = await progress(settings);
    expect(afterCrash.rows.map((r) => r.snapshot_date)).toEqual(
      world.days.slice(0, published).map((d) => d.date),
    );

    const resumed = await backfill(settings, {
      from: "2026-01-01",
      to: "2026-01-16",
      checkpointEvery: 3,
      cacheDir: path.join(root, "cache"),
    });
    expect(resumed.alreadyDone).toBe(published);
    expect(resumed.dates.map((d) => d.date)).toEqual(world.days.slice(published).map((d) => d.date));
    expect(resumed.dates.map((d) => d.date)).toContain(failDate);
    const final = await progress(settings);
    expect(final.rows).toHaveLength(16);
    const perDate = final.slices.map((s) => s.snapshot_date);
    expect(new Set(perDate).size).toBe(perDate.length);
  });

  it("refuses a reversed range", async () => {
    await expect(backfill(settingsFor("wh-bad"), { from: "2026-01-05", to: "2026-01-01" })).rejects.toThrow(
      /--to is before --from/,
    );
  });
});
