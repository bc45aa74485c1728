// Engine benchmark (issue 9): the same daily run on DuckDB and on PostgreSQL 15, same world,
// same history, per step. The world is a production-like scale-1 dump (default 100 MB of
// auxiliary tables: loading them is COPY-bound and says little about the engines) with
// `--days` of snapshot history already in the warehouse, as bench/daily.ts prepares it.
// PostgreSQL: a throw-away server (test/support/postgres.ts) unless --pg postgres://... is given.
// Usage: npx tsx bench/engines.ts [--scale 1] [--days 400] [--aux-mb 100] [--pg URL]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPostgres, type PostgresServer } from "../test/support/postgres.js";
import { parseBusinessDate } from "../src/calendar/business-date.js";
import { resolveSettings, type Settings } from "../src/config/settings.js";
import { generateDemoWorld } from "../src/demo/generate.js";
import { runEnrichment } from "../src/enrich/run-enrichment.js";
import { loadProject, runModels } from "../src/models-runner/index.js";
import { DEFAULT_PROJECT_DIR, modelVars, runDaily } from "../src/pipeline/daily-run.js";
import { ingestDate } from "../src/pipeline/ingest.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";
import type { StateWriter } from "../src/warehouse/warehouse.js";
import { slowestNodes } from "./slowest-nodes.js";
import { qualifiedName, quoteIdentifier } from "../src/warehouse/quote-identifier.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback;
const scale = Number(option("--scale", "1"));
const days = Number(option("--days", "400"));
const auxMb = Number(option("--aux-mb", "100"));
const pgUrl = option("--pg", "");
const work = mkdtempSync(path.join(tmpdir(), "tb-bench-engines-"));
const yesterday = "2026-01-30";
const target = "2026-01-31";

/**
 * Copies yesterday's snapshot slice to the `days - 1` days before it (standard SQL, both
 * engines); tenants are kept only in buildings open on the copied day.
 */
async function copyHistory(writer: StateWriter): Promise<void> {
  const shifted = "CAST(t.snapshot_date - CAST(r.k AS INTEGER) AS DATE)";
  for (const [table, join, where] of [
    ["room_daily_snapshots", "", ""],
    [
      "tenant_daily_snapshots",
      "JOIN staging.apartments a ON a.id = t.apartment_id",
      `AND a.opened_on <= ${shifted} AND (a.closed_on IS NULL OR a.closed_on > ${shifted})`,
    ],
  ] as const) {
    const relation = qualifiedName("staging", table);
    const columns = (await writer.query(`SELECT * FROM ${relation} LIMIT 0`)).columns.map((c) => c.name);
    const select = columns.map((c) => (c === "snapshot_date" ? shifted : `t.${quoteIdentifier(c)}`));
    await writer.exec(
      `INSERT INTO ${relation} (${columns.map(quoteIdentifier).join(", ")})
       SELECT ${select.join(", ")}
       FROM ${relation} t ${join} CROSS JOIN generate_series(1, ${days - 1}) AS r(k)
       WHERE t.snapshot_date = DATE '${yesterday}' ${where}
       ORDER BY r.k DESC`,
    );
  }
}

/** Yesterday loaded, its history copied, models built and published: the state a daily run finds. */
async function prepare(settings: Settings): Promise<void> {
  await ingestDate(settings, yesterday);
  const warehouse = await openWarehouse(settings.warehouse);
  try {
    const writer = await warehouse.beginState({ label: "bench history" });
    await copyHistory(writer);
    await runEnrichment(writer);
    const built = await runModels(writer, await loadProject(DEFAULT_PROJECT_DIR), {
      vars: modelVars(settings, yesterday),
      engine: warehouse.engine,
      fullRefreshProtected: true,
    });
    const failed = built.filter((m) => m.status !== "success");
    if (failed.length > 0)
      throw new Error(`history build failed: ${failed.map((m) => `${m.node}: ${m.message}`).join("; ")}`);
    await writer.publish();
  } finally {
    await warehouse.close();
  }
}

async function bench(engine: string, settings: Settings) {
  console.log(`${engine}: preparing ${days} days of history up to ${yesterday} ...`);
  const t0 = performance.now();
  await prepare(settings);
  const prepareSeconds = (performance.now() - t0) / 1000;
  console.log(`${engine}: daily run for ${target} ...`);
  const started = performance.now();
  const result = await runDaily(settings, target);
  const total = (performance.now() - started) / 1000;
  const failing = result.tests.filter((t) => t.status === "fail" || t.status === "error");
  for (const t of failing) console.log(`${engine}: failing test ${t.test}: ${t.message}`);
  console.log(`${engine}: the slowest models and tests`);
  console.table(slowestNodes(result, 10));
  return { steps: result.steps, total, prepareSeconds, published: result.published, failing: failing.length };
}

async function main(): Promise<void> {
  console.log(`scale-${scale} world, ${auxMb} MB of auxiliary tables per dump (work dir ${work}) ...`);
  const worldDir = path.join(work, "world");
  await generateDemoWorld({
    out: worldDir,
    from: parseBusinessDate(yesterday),
    to: parseBusinessDate(target),
    scale,
    seed: 1,
    gzip: false,
    incidents: false,
    auxMb,
  });
  const settingsFor = (warehouse: string) =>
    resolveSettings({ env: {}, configFile: path.join(worldDir, "tokyobeta.yaml"), flags: { warehouse } })
      .values;
  let server: PostgresServer | undefined;
  try {
    const duck = await bench("duckdb", settingsFor(path.join(work, "wh")));
    if (!pgUrl) server = await startPostgres();
    const post = await bench("postgres", settingsFor(pgUrl || (await server!.createDatabase())));
    const seconds = (ms: number | undefined) => (ms === undefined ? "-" : (ms / 1000).toFixed(2));
    const steps = [...new Set([...duck.steps, ...post.steps].map((s) => s.step))];
    console.table([
      ...steps.map((step) => {
        const d = duck.steps.find((s) => s.step === step)?.durationMs;
        const p = post.steps.find((s) => s.step === step)?.durationMs;
        return {
          step,
          "duckdb s": seconds(d),
          "postgres s": seconds(p),
          "pg / duckdb": d && p ? (p / d).toFixed(1) : "-",
        };
      }),
      {
        step: "total",
        "duckdb s": duck.total.toFixed(2),
        "postgres s": post.total.toFixed(2),
        "pg / duckdb": (post.total / duck.total).toFixed(1),
      },
    ]);
    console.log(
      `history preparation (not part of the run): duckdb ${duck.prepareSeconds.toFixed(1)} s, postgres ${post.prepareSeconds.toFixed(1)} s; ` +
        `published: duckdb ${duck.published}, postgres ${post.published}; failing tests: duckdb ${duck.failing}, postgres ${post.failing}`,
    );
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
