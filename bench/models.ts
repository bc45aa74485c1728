// Models benchmark (issues 4 and 6). On a scale-1 demo world whose snapshot history is
// extended to N days (400: ~5 million tenant snapshot rows), times:
//   - the full silver rebuild (every silver model, snapshot history included)   target <= 10 s
//   - the daily incremental snapshot step (tag:snapshot, one new date)           target <= 1 s
//   - the KPI window recompute (occupancy + month-end + trace)                  target <= 1 s
//   - a full gold rebuild                                                        target <= 10 s
// then doubles the history and times the daily steps again (they must not double), and
// measures backfill speed in dumps per minute at scale 0.1.
// Usage: npm run bench:models [-- --days 400] [-- --skip-backfill]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseBusinessDate } from "../src/calendar/business-date.js";
import { resolveSettings } from "../src/config/settings.js";
import { generateDemoWorld } from "../src/demo/generate.js";
import { runEnrichment } from "../src/enrich/run-enrichment.js";
import { loadProject, runModels, type RunOptions } from "../src/models-runner/index.js";
import { backfill } from "../src/pipeline/backfill.js";
import { DEFAULT_PROJECT_DIR, modelVars, snapshotModelsStep } from "../src/pipeline/daily-run.js";
import { ingestDate } from "../src/pipeline/ingest.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";

const argv = process.argv.slice(2);
const days = Number(argv.includes("--days") ? argv[argv.indexOf("--days") + 1] : 400);
const work = mkdtempSync(path.join(tmpdir(), "tb-bench-models-"));
const asOf = "2026-01-31";

async function main(): Promise<void> {
  const rows: Record<string, string>[] = [];
  console.log(`scale-1 world, ${days} days of history (work dir ${work}) ...`);
  const worldDir = path.join(work, "world");
  await generateDemoWorld({
    out: worldDir,
    from: parseBusinessDate(asOf),
    to: parseBusinessDate(asOf),
    scale: 1,
    seed: 1,
    gzip: false,
    incidents: false,
    auxMb: 1,
  });
  const settings = resolveSettings({
    env: {},
    configFile: path.join(worldDir, "tokyobeta.yaml"),
    flags: { warehouse: path.join(work, "wh") },
  }).values;
  await ingestDate(settings, asOf);
  const project = await loadProject(DEFAULT_PROJECT_DIR);
  const warehouse = await openWarehouse(settings.warehouse);
  const vars = modelVars(settings, asOf);

  // Model build time only (data tests are timed by the daily run's own "models" step).
  const timedBuild = async (label: string, opts: RunOptions, target: number) => {
    const writer = await warehouse.beginState({ label });
    const started = performance.now();
    const models = await runModels(writer, project, { ...opts, engine: warehouse.engine });
    const seconds = (performance.now() - started) / 1000;
    const slowest = [...models].sort((a, b) => b.durationMs - a.durationMs).slice(0, 4);
    console.log(
      `${label} (${currentDays} days): slowest ${slowest.map((m) => `${m.node} ${(m.durationMs / 1000).toFixed(2)} s`).join(", ")}`,
    );
    const failed = models.filter((m) => m.status !== "success");
    if (failed.length > 0) {
      await writer.abandon("bench step failed");
      throw new Error(`${label} failed: ${JSON.stringify(failed)}`);
    }
    await writer.publish();
    rows.push({
      step: label,
      history_days: String(currentDays),
      seconds: seconds.toFixed(2),
      target: `<= ${target} s`,
    });
  };

  let currentDays = 1;
  const extendHistory = async (toDays: number) => {
    const writer = await warehouse.beginState({ label: `extend history to ${toDays} days` });
    for (const table of ["tenant_daily_snapshots", "room_daily_snapshots"]) {
      await writer.exec(
        `INSERT INTO staging.${table} SELECT t.* REPLACE (CAST(t.snapshot_date - to_days(CAST(r.k AS INTEGER)) AS DATE) AS snapshot_date)
         FROM staging.${table} t, range(${currentDays}, ${toDays}) r(k) WHERE t.snapshot_date = DATE '${asOf}'`,
      );
    }
    const count = await writer.query("SELECT COUNT(*) AS n FROM staging.tenant_daily_snapshots");
    await runEnrichment(writer);
    await writer.publish();
    currentDays = toDays;
    console.log(`history: ${toDays} days, ${count.rows[0]!.n} tenant snapshot rows`);
  };

  await extendHistory(days);
  await timedBuild("first build (seeds, silver, gold)", { fullRefreshProtected: true, vars }, 60);
  await timedBuild(
    "full silver rebuild",
    { select: ["schema:silver"], fullRefreshProtected: true, vars },
    10,
  );
  await timedBuild("full gold rebuild", { select: ["schema:gold"], fullRefresh: true, vars }, 10).catch(
    (err) =>
      rows.push({
        step: "full gold rebuild (marts)",
        history_days: String(currentDays),
        seconds: "failed",
        target: String(err).slice(0, 80),
      }),
  );
  await timedBuild("daily incremental snapshot step", { select: ["tag:snapshot"], vars }, 1);
  await timedBuild("KPI window recompute", { select: ["tag:kpi"], vars }, 1);

  await extendHistory(days * 2);
  await timedBuild(
    "full silver rebuild",
    { select: ["schema:silver"], fullRefreshProtected: true, vars },
    10,
  );
  await timedBuild("daily incremental snapshot step", { select: ["tag:snapshot"], vars }, 1);
  await timedBuild("KPI window recompute", { select: ["tag:kpi"], vars }, 1);
  await warehouse.close();

  if (!argv.includes("--skip-backfill")) {
    const small = path.join(work, "small");
    await generateDemoWorld({
      out: small,
      from: parseBusinessDate("2026-01-01"),
      to: parseBusinessDate("2026-01-20"),
      scale: 0.1,
      seed: 1,
      gzip: true,
      incidents: false,
      auxMb: 3,
    });
    const smallSettings = resolveSettings({
      env: {},
      configFile: path.join(small, "tokyobeta.yaml"),
      flags: { warehouse: path.join(work, "wh-small") },
    }).values;
    const started = performance.now();
    const result = await backfill(smallSettings, {
      from: "2026-01-01",
      to: "2026-01-20",
      afterDate: snapshotModelsStep(smallSettings, "duckdb"),
      cacheDir: path.join(work, "cache"),
    });
    const minutes = (performance.now() - started) / 60_000;
    rows.push({
      step: "backfill, scale 0.1 (20 dumps of ~12 MB, snapshot models per date)",
      history_days: String(result.dates.length),
      seconds: (minutes * 60).toFixed(1),
      target: `${(result.dates.length / minutes).toFixed(0)} dumps/min`,
    });
  }
  console.table(rows);
  rmSync(work, { recursive: true, force: true });
}

await main();
