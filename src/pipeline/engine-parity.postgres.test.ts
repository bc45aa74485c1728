/**
 * Engine parity: the same small demo world, backfilled, enriched and built on DuckDB and on a
 * real PostgreSQL 15, gives identical gold tables — every table, every row, every column — and
 * the same `reconcile` report.
 * Rounding rule (testing/compare-gold.ts, README PostgreSQL section): floating point compared
 * after rounding to 9 significant digits; exact values as they are; wall-clock columns
 * (computed_at, gold_built_at, trace_generated_at, last_load_recorded_at_utc, freshness_hours,
 * is_stale) left out.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { generateTestWorld, type TestWorld } from "../../test/support/demo-world.js";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../test/support/postgres.js";
import { reconcileReport } from "../cli/commands/reconcile.js";
import { runEnrichment } from "../enrich/run-enrichment.js";
import { buildModels, loadProject } from "../models-runner/index.js";
import type { BuildResult } from "../models-runner/run-models.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateReader, Warehouse } from "../warehouse/warehouse.js";
import { backfill } from "./backfill.js";
import { canonicalValue, compareSchemaTables, SIGNIFICANT_DIGITS } from "./testing/compare-gold.js";

const FROM = "2026-01-22";
const TO = "2026-01-25";
const SCALE = 0.01;
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models");
const available = requireServer("PostgreSQL 15", postgresAvailable());

/** Backfill, enrichment and the whole models project into one published state. */
async function buildWorld(world: TestWorld, warehouseLocation: string, cacheDir: string) {
  const settings = world.settingsFor(warehouseLocation);
  await backfill(settings, { from: FROM, to: TO, checkpointEvery: 100, cacheDir });
  const warehouse = await openWarehouse(warehouseLocation);
  const writer = await warehouse.beginState({ label: "parity", run: "parity" });
  await runEnrichment(writer);
  const built = await buildModels(writer, await loadProject(projectDir), {
    engine: warehouse.engine,
    runId: "parity",
    vars: { reference_scale: SCALE },
  });
  if (built.ok) await writer.publish();
  else await writer.abandon("models failed");
  return { warehouse, built, location: warehouseLocation };
}

/** Floating point to 9 significant digits, recursively (the parity rounding rule). */
function rounded(value: unknown): unknown {
  if (typeof value === "number" && !Number.isInteger(value))
    return Number(value.toPrecision(SIGNIFICANT_DIGITS));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

describe.skipIf(!available)("DuckDB and PostgreSQL build identical gold tables", () => {
  const root = mkdtempSync(path.join(tmpdir(), "tb-parity-"));
  let server: PostgresServer;
  let duck: { warehouse: Warehouse; built: BuildResult; location: string };
  let post: { warehouse: Warehouse; built: BuildResult; location: string };
  let duckGold: StateReader;
  let postGold: StateReader;

  beforeAll(async () => {
    server = await startPostgres();
    const world = await generateTestWorld(path.join(root, "world"), {
      from: FROM,
      to: TO,
      scale: SCALE,
      seed: 17,
    });
    duck = await buildWorld(world, path.join(root, "wh"), path.join(root, "cache-duck"));
    post = await buildWorld(world, await server.createDatabase(), path.join(root, "cache-pg"));
    duckGold = await duck.warehouse.openPublished();
    postGold = await post.warehouse.openPublished();
  }, 240_000);

  afterAll(async () => {
    await duckGold?.close();
    await postGold?.close();
    await duck?.warehouse.close();
    await post?.warehouse.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("every model builds and every data test passes on PostgreSQL, as on DuckDB", () => {
    expect(post.warehouse.engine).toBe("postgres");
    const problems = (b: BuildResult) => [
      ...b.models.filter((m) => m.status !== "success").map((m) => `${m.node}: ${m.message}`),
      ...b.tests.filter((t) => t.status !== "pass").map((t) => `${t.test}: ${t.status} ${t.message ?? ""}`),
    ];
    expect(problems(post.built)).toEqual([]);
    expect(problems(duck.built)).toEqual([]);
    expect(post.built.models.length).toBe(duck.built.models.length);
    expect(post.built.tests.length).toBe(duck.built.tests.length);
  });

  it("gold: same tables, same columns, same rows (floating point to 9 significant digits)", async () => {
    const result = await compareSchemaTables(duckGold, postGold, "gold");
    expect(result.differences).toEqual([]);
    expect(result.tables).toEqual(
      expect.arrayContaining([
        "kpi_month_end_metrics",
        "occupancy_daily_metrics",
        "moveout_analysis",
        "dim_property",
      ]),
    );
    expect(result.rows).toBeGreaterThan(1000);
  });

  it("reconcile gives the same figures and verdicts on both engines", async () => {
    const external = path.join(root, "external.csv");
    writeFileSync(
      external,
      [
        "month,metric,value",
        "2026-01,moveins,40",
        "2026-01,moveouts,20",
        "2026-01,occupancy_rate,93.5%",
        "2026-01,occupied_rooms,300",
      ].join("\n"),
    );
    const report = async (warehouse: string) => {
      const io = captureIO();
      const code = await reconcileReport(
        { external, json: true, config: path.join(root, "world", "tokyobeta.yaml"), warehouse },
        io,
      );
      expect(code, io.stderr()).toBe(0);
      return io
        .stdout()
        .split("\n")
        .map((line) => rounded(JSON.parse(line)));
    };
    const onDuckdb = await report(duck.location);
    expect(onDuckdb).toHaveLength(4);
    expect(await report(post.location)).toEqual(onDuckdb);
  });

  it("the rounding rule: 9 significant digits, exact values untouched", () => {
    expect(SIGNIFICANT_DIGITS).toBe(9);
    expect(canonicalValue(58.33333333333333, "float")).toBe(canonicalValue(58.333333333, "float"));
    expect(canonicalValue(0.1 + 0.2, "float")).toBe(canonicalValue(0.3, "float"));
    expect(canonicalValue(58.3333, "float")).not.toBe(canonicalValue(58.3334, "float"));
    expect(canonicalValue(12n, "integer")).toBe(canonicalValue(12, "integer"));
    expect(canonicalValue("12.50", "decimal")).toBe(canonicalValue("12.5", "decimal"));
    expect(canonicalValue("12.5", "decimal")).not.toBe(canonicalValue("12.6", "decimal"));
  });
});
