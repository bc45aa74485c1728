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
import type { ColumnDef, ColumnKind, TableSchema, Value } from "../src/reader/types.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";
import type { Warehouse } from "../src/warehouse/warehouse.js";
import { startPostgres, type PostgresServer } from "../test/support/postgres.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const ROWS = Number(option("--rows") ?? 200_000);
const REPEAT = Number(option("--repeat") ?? 3);
const BATCH = 5_000; // the dump reader emits one batch per INSERT statement

const col = (
  name: string,
  kind: ColumnKind,
  mysqlType: string,
  extra: Partial<ColumnDef> = {},
): ColumnDef => ({
  name,
  kind,
  mysqlType,
  nullable: true,
  ...extra,
});

const TABLES: Record<string, TableSchema> = {
  pms: {
    name: "pms",
    columns: [
      col("id", "int64", "bigint"),
      col("tenant_id", "int32", "int"),
      col("room_id", "int32", "int"),
      col("status", "int8", "tinyint"),
      col("code", "text", "varchar(12)"),
      col("name", "text", "varchar(64)"),
      col("move_in", "date", "date"),
      col("move_out", "date", "date"),
      col("rent", "decimal", "decimal(10,0)", { precision: 10, scale: 0 }),
      col("updated_at", "datetime", "datetime"),
      col("memo", "text", "text"),
    ],
  },
  wide: {
    name: "wide",
    columns: [
      col("id", "int64", "bigint"),
      col("a", "int32", "int"),
      col("t1", "text", "varchar(16)"),
      col("t2", "text", "varchar(64)"),
      col("t3", "text", "text"),
      col("bl", "binary", "blob"),
      col("ts", "datetime", "datetime(6)", { fsp: 6 }),
      col("d", "decimal", "decimal(12,2)", { precision: 12, scale: 2 }),
    ],
  },
  numeric: {
    name: "numeric",
    columns: Array.from({ length: 10 }, (_, k) => col(`c${k}`, "int32", "int")),
  },
};

function makeRows(table: string): Value[][] {
  const rows: Value[][] = new Array<Value[]>(ROWS);
  const pad = (n: number) => String(n).padStart(2, "0");
  for (let i = 0; i < ROWS; i++) {
    const day = 1 + (i % 28);
    if (table === "numeric") rows[i] = Array.from({ length: 10 }, (_, k) => (i * (k + 1)) % 1_000_003);
    else if (table === "pms")
      rows[i] = [
        BigInt(i),
        100_000 + (i % 50_000),
        i % 3_000,
        i % 9,
        `T${String(i % 1_000_000).padStart(7, "0")}`,
        ["Room A", "東京ベータ 102", "Annex 3F", "寮 5"][i % 4]!,
        `2025-${pad(1 + (i % 12))}-${pad(day)}`,
        i % 3 === 0 ? null : `2026-${pad(1 + (i % 12))}-${pad(day)}`,
        String(45_000 + (i % 100) * 500),
        `2026-01-${pad(day)} 0${i % 10}:${pad(i % 60)}:00`,
        ["", "退去予定。鍵返却済み", "Moved from room 203 after water leak; deposit transferred", null][
          i % 4
        ]!,
      ];
    else
      rows[i] = [
        BigInt(i),
        i * 3,
        `code-${i % 1000}`,
        `東京ベータ入居 ${"x".repeat(i % 40)}`,
        i % 10 === 0 ? null : `long text ${i} ${"abcdefghij".repeat(10 + (i % 10))}`,
        Uint8Array.from({ length: 64 }, (_, k) => (k * 31 + i) & 255),
        "2026-01-31 05:30:00.123456",
        "1234.56",
      ];
  }
  return rows;
}

function payloadBytes(rows: Value[][]): number {
  let bytes = 0;
  for (const row of rows)
    for (const v of row) {
      if (typeof v === "string") bytes += Buffer.byteLength(v);
      else if (v instanceof Uint8Array) bytes += v.length;
      else if (v !== null) bytes += 8;
    }
  return bytes;
}

async function appendSeconds(warehouse: Warehouse, table: TableSchema, rows: Value[][]): Promise<number> {
  const writer = await warehouse.beginState({ label: "bench" });
  await writer.createTable("staging", table, { replace: true });
  const started = performance.now();
  const appender = await writer.openAppender("staging", table);
  for (let i = 0; i < rows.length; i += BATCH) await appender.append(rows.slice(i, i + BATCH));
  await appender.close();
  const seconds = (performance.now() - started) / 1000;
  await writer.abandon("bench");
  return seconds;
}

/** Publishes all tables once, then times beginState() + abandon on top of them (the per-run copy). */
async function beginSeconds(warehouse: Warehouse, data: Record<string, Value[][]>): Promise<number> {
  const writer = await warehouse.beginState({ label: "bench data" });
  for (const [name, rows] of Object.entries(data)) {
    await writer.createTable("staging", TABLES[name]!, { replace: true });
    const appender = await writer.openAppender("staging", TABLES[name]!);
    for (let i = 0; i < rows.length; i += BATCH) await appender.append(rows.slice(i, i + BATCH));
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
  const data = Object.fromEntries(Object.keys(TABLES).map((t) => [t, makeRows(t)]));
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
