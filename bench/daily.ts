// Daily-run benchmark (issue 7): the whole daily run on a scale-1 production-like dump
// (--aux-mb 900, ~950 MB) with 400 days of snapshot history already in the warehouse.
// Target: <= 60 s end to end (the pipeline it replaces took 18 to 58 minutes). Prints the
// per-step table.
// Usage: npm run bench:daily [-- --days 400] [-- --aux-mb 900]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseBusinessDate } from "../src/calendar/business-date.js";
import { resolveSettings } from "../src/config/settings.js";
import { generateDemoWorld } from "../src/demo/generate.js";
import { runEnrichment } from "../src/enrich/run-enrichment.js";
import { loadProject, runModels } from "../src/models-runner/index.js";
import { DEFAULT_PROJECT_DIR, modelVars, runDaily } from "../src/pipeline/daily-run.js";
import { ingestDate } from "../src/pipeline/ingest.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";
import { slowestNodes } from "./slowest-nodes.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback;
const days = option("--days", 400);
const auxMb = option("--aux-mb", 900);
const work = mkdtempSync(path.join(tmpdir(), "tb-bench-daily-"));
const yesterday = "2026-01-30";
const target = "2026-01-31";

async function main(): Promise<void> {
  console.log(`scale-1 world, ${auxMb} MB of auxiliary tables per dump (work dir ${work}) ...`);
  const worldDir = path.join(work, "world");
  await generateDemoWorld({
    out: worldDir,
    from: parseBusinessDate(yesterday),
    to: parseBusinessDate(target),
    scale: 1,
    seed: 1,
    gzip: false,
    incidents: false,
    auxMb,
  });
  const settings = resolveSettings({
    env: {},
    configFile: path.join(worldDir, "tokyobeta.yaml"),
    flags: { warehouse: path.join(work, "wh") },
  }).values;

  console.log(`preparing ${days} days of history up to ${yesterday} ...`);
  await ingestDate(settings, yesterday);
  const warehouse = await openWarehouse(settings.warehouse);
  const writer = await warehouse.beginState({ label: "bench history" });
  // Past days are copies of yesterday's slices; tenants are kept only in buildings open that day.
  const shifted = "CAST(t.snapshot_date - to_days(CAST(r.k AS INTEGER)) AS DATE)";
  await writer.exec(
    `INSERT INTO staging.room_daily_snapshots SELECT t.* REPLACE (${shifted} AS snapshot_date)
     FROM staging.room_daily_snapshots t, range(1, ${days}) r(k) WHERE t.snapshot_date = DATE '${yesterday}'`,
  );
  await writer.exec(
    `INSERT INTO staging.tenant_daily_snapshots SELECT t.* REPLACE (${shifted} AS snapshot_date)
     FROM staging.tenant_daily_snapshots t JOIN staging.apartments a ON a.id = t.apartment_id, range(1, ${days}) r(k)
     WHERE t.snapshot_date = DATE '${yesterday}'
       AND a.opened_on <= ${shifted} AND (a.closed_on IS NULL OR a.closed_on > ${shifted})`,
  );
  await runEnrichment(writer);
  const project = await loadProject(DEFAULT_PROJECT_DIR);
  // The copied history is synthetic, so only the models are built here; the daily run tests.
  const built = await runModels(writer, project, {
    vars: modelVars(settings, yesterday),
    engine: warehouse.engine,
    fullRefreshProtected: true,
  });
  if (built.some((m) => m.status !== "success")) throw new Error("history build failed");
  await writer.publish();
  await warehouse.close();

  console.log(`daily run for ${target} ...`);
  const started = performance.now();
  const result = await runDaily(settings, target);
  const total = (performance.now() - started) / 1000;
  console.table(result.steps.map((s) => ({ step: s.step, seconds: (s.durationMs / 1000).toFixed(2) })));
  const tests = result.tests.reduce<Record<string, number>>(
    (c, t) => ({ ...c, [t.status]: (c[t.status] ?? 0) + 1 }),
    {},
  );
  console.log(
    `total ${total.toFixed(1)} s (target <= 60 s); published ${result.published}; ` +
      `${(result.load.storedBytes / 1e6).toFixed(0)} MB loaded; models ${result.models.length}; tests ${JSON.stringify(tests)}`,
  );
  // The slowest nodes: what to look at when the daily cost grows with the history.
  console.table(slowestNodes(result));
  for (const t of result.tests.filter((x) => x.status === "fail" || x.status === "error")) {
    console.log(`failing test ${t.test} on ${t.node}: ${t.message}`);
  }
  rmSync(work, { recursive: true, force: true });
}

await main();
