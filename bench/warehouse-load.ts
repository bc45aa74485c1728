/**
 * Warehouse load throughput, DuckDB vs PostgreSQL, on the same synthetic rows through the same
 * interface (`writer.openAppender`: DuckDB data chunks vs PostgreSQL COPY FROM STDIN), and the
 * cost of beginning a new state on top of the loaded data (DuckDB copies the generation file;
 * PostgreSQL copies every published table with INSERT ... SELECT into the new state's schemas).
 *
 *   npx tsx bench/warehouse-load.ts [--rows 200000] [--repeat 3] [--postgres postgres://...]
 *
 * Without --postgres a throw-away PostgreSQL 15 is started (test/support/postgres.ts: fsync
 * off, like the tests; a production server with fsync on is slower on COPY and publish).
 * Each figure is the best of --repeat runs (the machine is shared); appending includes closing
 * the appender (DuckDB's flush, the end of the COPY). Output: a table on stdout and
 * bench/out/warehouse-load.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TableSchema, Value } from "../src/reader/types.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";
import type { Warehouse } from "../src/warehouse/warehouse.js";
import { startPostgres, type PostgresServer } from "../test/support/postgres.js";
import {
  SYNTHETIC_TABLES as TABLES,
  appendInBatches,
  payloadBytes,
  syntheticRows,
  type SyntheticTable,
} from "./synthetic-tables.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const ROWS = Number(option("--rows") ?? 200_000);
const REPEAT = Number(option("--repeat") ?? 3);
async function appendSeconds(warehouse: Warehouse, table: TableSchema, rows: Value[][]): Promise<number> {
  const writer = await warehouse.beginState({ label: "bench" });
  await writer.createTable("staging", table, { replace: true });
  const started = performance.now();
  const appender = await writer.openAppender("staging", table);
  await appendInBatches(appender, rows);
  await appender.close();
  const seconds = (performance.now() - started) / 1000;
  await writer.abandon("bench");
  return seconds;
}

/** Publishes all tables once, then times beginState() + abandon on top of them (the per-run copy). */
async function beginSeconds(warehouse: Warehouse, data: Record<string, Value[][]>): Promise<number> {
  const writer = await warehouse.beginState({ label: "bench data" });
  for (const [name, rows] of Object.entries(data)) {
    const table = TABLES[name as SyntheticTable];
    await writer.createTable("staging", table, { replace: true });
    const appender = await writer.openAppender("staging", table);
    await appendInBatches(appender, rows);
    await appender.close();
  }
  await writer.publish();
  let best = Infinity;
  for (let r = 0; r < REPEAT; r++) {
    const started = performance.now();
    const next = await warehouse.beginState({ label: "bench begin" });
    best = Math.min(best, (performance.now() - started) / 1000);
    await next.abandon("bench");
  }
  return best;
}

const started = option("--postgres") === undefined ? await startPostgres() : undefined;
const server: PostgresServer | undefined = started;
const dir = mkdtempSync(join(tmpdir(), "tokyobeta-load-bench-"));
try {
  const pgUrl = option("--postgres") ?? (await server!.createDatabase());
  const engines: Record<string, Warehouse> = {
    duckdb: await openWarehouse(join(dir, "warehouse")),
    postgres: await openWarehouse(pgUrl),
  };
  const data = Object.fromEntries(
    Object.keys(TABLES).map((t) => [t, syntheticRows(t as SyntheticTable, ROWS)]),
  );
  const results: Record<string, unknown>[] = [];
  for (const [name, table] of Object.entries(TABLES)) {
    const rows = data[name]!;
    const mb = payloadBytes(rows) / 1e6;
    for (const [engine, warehouse] of Object.entries(engines)) {
      let best = Infinity;
      for (let r = 0; r < REPEAT; r++) best = Math.min(best, await appendSeconds(warehouse, table, rows));
      results.push({
        table: name,
        engine,
        rows: ROWS,
        seconds: Number(best.toFixed(3)),
        rowsPerSecond: Math.round(ROWS / best),
        mbPerSecond: Number((mb / best).toFixed(1)),
      });
      console.log(
        `${name.padEnd(8)} ${engine.padEnd(9)} ${String(Math.round(ROWS / best)).padStart(9)} rows/s ${(mb / best).toFixed(1).padStart(7)} MB/s`,
      );
    }
  }
  const begins: Record<string, number> = {};
  for (const [engine, warehouse] of Object.entries(engines)) {
    begins[engine] = await beginSeconds(warehouse, data);
    const sizes = await warehouse.listStates();
    console.log(
      `begin on ${3 * ROWS} published rows (${(sizes[0]!.sizeBytes / 1e6).toFixed(1)} MB): ${engine.padEnd(9)} ${begins[engine]!.toFixed(3)} s`,
    );
  }
  for (const w of Object.values(engines)) await w.close();
  mkdirSync("bench/out", { recursive: true });
  writeFileSync(
    "bench/out/warehouse-load.json",
    JSON.stringify({ rows: ROWS, repeat: REPEAT, append: results, beginSeconds: begins }, null, 2) + "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
}
