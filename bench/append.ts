/**
 * Warehouse bulk-append throughput: rows/s and MB/s of value payload (UTF-8 text bytes + blob
 * bytes + 8 per number) appended into a new DuckDB generation.
 *
 *   npm run bench:append [-- --rows 300000] [-- --repeat 3]
 *
 * Compares, on the same rows (bench/synthetic-tables.ts), the path the warehouse uses
 * (writer.openAppender: DuckDB data chunks, numbers through typed arrays) with per-value
 * DuckDB appender calls. Each figure is the best of --repeat runs (the machine is shared) and
 * includes closing the appender (DuckDB's flush to the table).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBAppender } from "@duckdb/node-api";
import type { TableSchema, Value } from "../src/reader/types.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";
import {
  BATCH,
  SYNTHETIC_TABLES,
  appendInBatches,
  payloadBytes,
  syntheticRows,
  type SyntheticTable,
} from "./synthetic-tables.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const ROWS = flag("--rows", 300_000);
const REPEAT = flag("--repeat", 3);

async function viaWarehouse(dir: string, table: TableSchema, rows: Value[][]): Promise<number> {
  const warehouse = await openWarehouse(join(dir, "warehouse"));
  const writer = await warehouse.beginState({ label: "bench" });
  await writer.createTable("staging", table);
  const started = performance.now();
  const appender = await writer.openAppender("staging", table);
  await appendInBatches(appender, rows);
  await appender.close();
  const seconds = (performance.now() - started) / 1000;
  await writer.abandon("bench");
  await warehouse.close();
  return seconds;
}

type AppendOne = (appender: DuckDBAppender, value: Value) => void;

/** The DuckDB appender call for a column; other kinds go in as text, which DuckDB casts. */
function perValueCall(kind: string): AppendOne {
  switch (kind) {
    case "int64":
      return (a, v) => a.appendBigInt(v as bigint);
    case "int32":
      return (a, v) => a.appendInteger(v as number);
    case "int16":
      return (a, v) => a.appendSmallInt(v as number);
    case "int8":
      return (a, v) => a.appendTinyInt(v as number);
    case "binary":
      return (a, v) => a.appendBlob(v as Uint8Array);
    default:
      return (a, v) => a.appendVarchar(v as string);
  }
}

async function viaPerValueCalls(dir: string, table: TableSchema, rows: Value[][]): Promise<number> {
  const file = join(dir, "per-value.duckdb");
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  // The table as the warehouse would create it, so both paths fill the same column types.
  const ddlWarehouse = await openWarehouse(join(dir, "ddl"));
  const writer = await ddlWarehouse.beginState();
  await writer.createTable("staging", table);
  const ddl = String(
    (await writer.query("SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table.name])).rows[0]!.sql,
  );
  await writer.abandon("bench");
  await ddlWarehouse.close();
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run("CREATE SCHEMA staging");
  await connection.run(ddl);
  const calls = table.columns.map((c) => perValueCall(c.kind));
  const started = performance.now();
  const appender = await connection.createAppender(table.name, "staging");
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      if (row[c] === null) appender.appendNull();
      else calls[c]!(appender, row[c]!);
    }
    appender.endRow();
  }
  appender.closeSync();
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

const dir = mkdtempSync(join(tmpdir(), "tokyobeta-bench-append-"));
try {
  console.log(`rows ${ROWS}, batches of ${BATCH}, best of ${REPEAT}`);
  console.log("table    path                      seconds     rows/s      MB/s");
  for (const name of Object.keys(SYNTHETIC_TABLES) as SyntheticTable[]) {
    const rows = syntheticRows(name, ROWS);
    const mb = payloadBytes(rows) / 1e6;
    const paths = [
      ["warehouse (data chunks)", viaWarehouse],
      ["per-value appender calls", viaPerValueCalls],
    ] as const;
    for (const [label, run] of paths) {
      let best = Infinity;
      for (let r = 0; r < REPEAT; r++) best = Math.min(best, await run(dir, SYNTHETIC_TABLES[name], rows));
      const perSecond = Math.round(ROWS / best).toLocaleString("en");
      console.log(
        `${name.padEnd(8)} ${label.padEnd(25)} ${best.toFixed(2).padStart(7)} ${perSecond.padStart(10)} ${(mb / best).toFixed(1).padStart(9)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
