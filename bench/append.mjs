#!/usr/bin/env node
/**
 * Warehouse bulk-append throughput: rows/s and MB/s of value payload (UTF-8 text bytes + blob
 * bytes + 8 per number) appended into a new DuckDB generation.
 *
 *   npm run build && node bench/append.mjs [--rows 300000] [--repeat 3]
 *
 * Compares, on the same rows, the path the warehouse uses (writer.openAppender: DuckDB data
 * chunks, numbers through typed arrays) with per-value DuckDB appender calls, on two tables:
 * `wide` (4 integers, 5 texts of 8..200 characters with Japanese text, a 64-byte blob, a
 * datetime and a decimal), `pms` (a movings-like table: ids, short codes, names, dates,
 * decimal rent, a timestamp, a memo) and `numeric` (10 integers). Each figure is the best of --repeat runs
 * (the machine is shared) and includes closing the appender (DuckDB's flush to the table).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openWarehouse } from "../dist/warehouse/open-warehouse.js";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const ROWS = flag("--rows", 300_000);
const REPEAT = flag("--repeat", 3);

const col = (name, kind, mysqlType, extra = {}) => ({ name, kind, mysqlType, nullable: true, ...extra });
const TABLES = {
  wide: {
    name: "wide",
    columns: [
      col("id", "int64", "bigint"),
      col("a", "int32", "int"),
      col("b", "int32", "int"),
      col("c", "int16", "smallint"),
      col("t1", "text", "varchar(16)"),
      col("t2", "text", "varchar(32)"),
      col("t3", "text", "varchar(64)"),
      col("t4", "text", "varchar(128)"),
      col("t5", "text", "text"),
      col("bl", "binary", "blob"),
      col("ts", "datetime", "datetime(6)", { fsp: 6 }),
      col("d", "decimal", "decimal(12,2)", { precision: 12, scale: 2 }),
    ],
  },
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
  numeric: {
    name: "numeric",
    columns: Array.from({ length: 10 }, (_, k) => col(`c${k}`, "int32", "int")),
  },
};

function makeRows(table) {
  const rows = new Array(ROWS);
  if (table === "numeric") {
    for (let i = 0; i < ROWS; i++) rows[i] = Array.from({ length: 10 }, (_, k) => (i * (k + 1)) % 1_000_003);
    return rows;
  }
  if (table === "pms") {
    const names = [
      "佐藤 花子",
      "Nguyen Van An",
      "鈴木一郎",
      "Smith, John",
      "李 小龍",
      "高橋 美咲",
      "Kim Min-jun",
    ];
    const memos = [
      "",
      "退去予定。鍵返却済み",
      "Moved from room 203 after water leak; deposit transferred",
      null,
    ];
    for (let i = 0; i < ROWS; i++) {
      const day = 1 + (i % 28);
      rows[i] = [
        BigInt(i),
        100_000 + (i % 50_000),
        i % 3_000,
        i % 9,
        `T${String(i % 1_000_000).padStart(7, "0")}`,
        names[i % names.length],
        `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
        i % 3 === 0 ? null : `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
        String(45_000 + (i % 100) * 500),
        `2026-01-${String(day).padStart(2, "0")} 0${i % 10}:${String(i % 60).padStart(2, "0")}:00`,
        memos[i % memos.length],
      ];
    }
    return rows;
  }
  const alphabet = "abcdefghijklmnopqrstuvwxyz 東京ベータ入居退去";
  const text = (n, k) => {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[(i * 7 + n + k) % alphabet.length];
    return s;
  };
  const texts = [8, 20, 40, 80, 200].map((n) => Array.from({ length: 97 }, (_, k) => text(n + (k % 9), k)));
  const blobs = Array.from({ length: 97 }, (_, k) =>
    Uint8Array.from({ length: 64 }, (_, i) => (i * 31 + k) & 255),
  );
  for (let i = 0; i < ROWS; i++) {
    const k = i % 97;
    rows[i] = [
      BigInt(i),
      i * 3,
      i % 100_000,
      i % 30_000,
      texts[0][k],
      texts[1][k],
      texts[2][k],
      texts[3][k],
      i % 10 === 0 ? null : texts[4][k],
      blobs[k],
      "2026-01-31 05:30:00.123456",
      "1234.56",
    ];
  }
  return rows;
}

function payloadBytes(rows) {
  let bytes = 0;
  for (const row of rows) {
    for (const v of row) {
      if (typeof v === "string") bytes += Buffer.byteLength(v);
      else if (v instanceof Uint8Array) bytes += v.length;
      else if (v !== null) bytes += 8;
    }
  }
  return bytes;
}

const BATCH = 5_000; // the dump reader emits one batch per INSERT statement

async function viaWarehouse(dir, table, rows) {
  const warehouse = await openWarehouse(join(dir, "warehouse"));
  const writer = await warehouse.beginState({ label: "bench" });
  await writer.createTable("staging", table);
  const started = performance.now();
  const appender = await writer.openAppender("staging", table);
  for (let i = 0; i < rows.length; i += BATCH) await appender.append(rows.slice(i, i + BATCH));
  await appender.close();
  const seconds = (performance.now() - started) / 1000;
  await writer.abandon("bench");
  return seconds;
}

async function viaPerValueCalls(dir, table, rows) {
  const file = join(dir, "per-value.duckdb");
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  const writer = await (await openWarehouse(join(dir, "ddl"))).beginState();
  await writer.createTable("staging", table);
  const ddl = (await writer.query("SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table.name]))
    .rows[0].sql;
  await writer.abandon("bench");
  await connection.run("CREATE SCHEMA staging");
  await connection.run(ddl);
  const appendOne = table.columns.map((c) => {
    switch (c.kind) {
      case "int64":
        return (a, v) => a.appendBigInt(v);
      case "int32":
        return (a, v) => a.appendInteger(v);
      case "int16":
        return (a, v) => a.appendSmallInt(v);
      case "int8":
        return (a, v) => a.appendTinyInt(v);
      case "binary":
        return (a, v) => a.appendBlob(v);
      default:
        return (a, v) => a.appendVarchar(v);
    }
  });
  const started = performance.now();
  const appender = await connection.createAppender(table.name, "staging");
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      if (row[c] === null) appender.appendNull();
      else appendOne[c](appender, row[c]);
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
  for (const name of ["wide", "pms", "numeric"]) {
    const rows = makeRows(name);
    const mb = payloadBytes(rows) / 1e6;
    for (const [label, run] of [
      ["warehouse (data chunks)", viaWarehouse],
      ["per-value appender calls", viaPerValueCalls],
    ]) {
      let best = Infinity;
      for (let r = 0; r < REPEAT; r++) best = Math.min(best, await run(dir, TABLES[name], rows));
      console.log(
        `${name.padEnd(8)} ${label.padEnd(25)} ${best.toFixed(2).padStart(7)} ${Math.round(ROWS / best)
          .toLocaleString("en")
          .padStart(10)} ${(mb / best).toFixed(1).padStart(9)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
