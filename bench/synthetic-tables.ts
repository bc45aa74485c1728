/**
 * The synthetic tables of the warehouse-append benchmarks (bench/append.ts, bench/warehouse-load.ts):
 * `wide` (4 integers, 5 texts of 8..200 characters with Japanese text, a 64-byte blob, a
 * datetime and a decimal), `pms` (a movings-like table: ids, short codes, names, dates, decimal
 * rent, a timestamp, a memo) and `numeric` (10 integers), with deterministic rows.
 */
import type { TableSchema, Value } from "../src/reader/types.js";
import { col } from "../src/warehouse/testing/all-kinds.js";
import type { TableAppender } from "../src/warehouse/warehouse.js";

/** Rows per append call: the dump reader emits one batch per INSERT statement. */
export const BATCH = 5_000;

export const SYNTHETIC_TABLES = {
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
} satisfies Record<string, TableSchema>;

export type SyntheticTable = keyof typeof SYNTHETIC_TABLES;

const pad = (n: number) => String(n).padStart(2, "0");

export function syntheticRows(table: SyntheticTable, count: number): Value[][] {
  if (table === "numeric") {
    return Array.from({ length: count }, (_, i) =>
      Array.from({ length: 10 }, (_, k) => (i * (k + 1)) % 1_000_003),
    );
  }
  if (table === "pms") return pmsRows(count);
  return wideRows(count);
}

function pmsRows(count: number): Value[][] {
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
  return Array.from({ length: count }, (_, i) => {
    const day = 1 + (i % 28);
    return [
      BigInt(i),
      100_000 + (i % 50_000),
      i % 3_000,
      i % 9,
      `T${String(i % 1_000_000).padStart(7, "0")}`,
      names[i % names.length]!,
      `2025-${pad(1 + (i % 12))}-${pad(day)}`,
      i % 3 === 0 ? null : `2026-${pad(1 + (i % 12))}-${pad(day)}`,
      String(45_000 + (i % 100) * 500),
      `2026-01-${pad(day)} 0${i % 10}:${pad(i % 60)}:00`,
      memos[i % memos.length]!,
    ];
  });
}

function wideRows(count: number): Value[][] {
  const alphabet = "abcdefghijklmnopqrstuvwxyz 東京ベータ入居退去";
  const text = (n: number, k: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[(i * 7 + n + k) % alphabet.length];
    return s;
  };
  const texts = [8, 20, 40, 80, 200].map((n) => Array.from({ length: 97 }, (_, k) => text(n + (k % 9), k)));
  const blobs = Array.from({ length: 97 }, (_, k) =>
    Uint8Array.from({ length: 64 }, (_, i) => (i * 31 + k) & 255),
  );
  return Array.from({ length: count }, (_, i) => {
    const k = i % 97;
    return [
      BigInt(i),
      i * 3,
      i % 100_000,
      i % 30_000,
      texts[0]![k]!,
      texts[1]![k]!,
      texts[2]![k]!,
      texts[3]![k]!,
      i % 10 === 0 ? null : texts[4]![k]!,
      blobs[k]!,
      "2026-01-31 05:30:00.123456",
      "1234.56",
    ];
  });
}

/** Bytes of value payload: UTF-8 text bytes + blob bytes + 8 per number. */
export function payloadBytes(rows: Value[][]): number {
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

/** Appends `rows` in reader-sized batches. */
export async function appendInBatches(appender: TableAppender, rows: Value[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await appender.append(rows.slice(i, i + BATCH));
}
