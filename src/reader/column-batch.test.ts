/** Row batches laid out column by column (the worker-to-loader form) and back, value for value. */
import { describe, expect, it } from "vitest";
import { columnBatchRows, formatDays, formatMicros, toColumnBatch, validityBytes } from "./column-batch.js";
import type { TableSchema, Value } from "./types.js";

const ALL_KINDS: TableSchema = {
  name: "all_kinds",
  columns: [
    { name: "i8", mysqlType: "tinyint", kind: "int8", nullable: true },
    { name: "u32", mysqlType: "int unsigned", kind: "uint32", nullable: true },
    { name: "i64", mysqlType: "bigint", kind: "int64", nullable: true },
    { name: "u64", mysqlType: "bigint unsigned", kind: "uint64", nullable: true },
    { name: "f", mysqlType: "double", kind: "float64", nullable: true },
    { name: "dec", mysqlType: "decimal(12,2)", kind: "decimal", nullable: true, precision: 12, scale: 2 },
    { name: "d", mysqlType: "date", kind: "date", nullable: true },
    { name: "dt", mysqlType: "datetime(3)", kind: "datetime", nullable: true, fsp: 3 },
    { name: "t", mysqlType: "time", kind: "time", nullable: true },
    { name: "txt", mysqlType: "text", kind: "text", nullable: true },
    { name: "j", mysqlType: "json", kind: "json", nullable: true },
    { name: "b", mysqlType: "blob", kind: "binary", nullable: true },
    { name: "bits", mysqlType: "bit(8)", kind: "bit", nullable: true },
  ],
};

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const long = "入居者様より設備の不具合について連絡がありました。 It's fine.\n";

function sampleRows(count: number): Value[][] {
  const rows: Value[][] = [];
  for (let i = 0; i < count; i++) {
    rows.push([
      (i % 256) - 128,
      4294967295 - i,
      -(2n ** 63n) + BigInt(i),
      2n ** 64n - 1n - BigInt(i),
      i / 7,
      `${i}.25`,
      i % 3 === 0 ? "1969-12-31" : "2026-01-31",
      i % 2 === 0 ? "0001-01-01 00:00:00.000" : "2026-01-31 23:59:59.123",
      "-838:59:59",
      i % 5 === 0 ? bytes("short") : bytes(long.repeat(1 + (i % 4))),
      `{"i":${i}}`,
      new Uint8Array([0, 255, i % 256, 0x27]),
      BigInt(i % 256),
    ]);
    if (i % 4 === 1) rows[i]!.fill(null); // whole rows of NULL
    if (i % 9 === 2) rows[i]![9] = null;
  }
  return rows;
}

describe("column batches", () => {
  it("hold every kind and give the same rows back, NULLs included", () => {
    const rows = sampleRows(300);
    const batch = toColumnBatch(ALL_KINDS, rows)!;
    expect(batch.rows).toBe(300);
    expect(batch.columns).toHaveLength(ALL_KINDS.columns.length);
    expect(batch.columns[0]!.validity).toHaveLength(validityBytes(300));
    expect(columnBatchRows(ALL_KINDS, batch)).toEqual(rows);
  });

  it("store dates as days and datetimes as microseconds since 1970-01-01", () => {
    const rows: Value[][] = [
      [
        null,
        null,
        null,
        null,
        null,
        null,
        "1970-01-02",
        "1970-01-01 00:00:01.500",
        null,
        null,
        null,
        null,
        null,
      ],
    ];
    const batch = toColumnBatch(ALL_KINDS, rows)!;
    const [d, dt] = [batch.columns[6]!, batch.columns[7]!];
    expect(d.layout === "fixed" && d.values[0]).toBe(1);
    expect(dt.layout === "fixed" && dt.values[0]).toBe(1_500_000n);
    expect(batch.columns[0]!.validity![0]! & 1).toBe(0); // row 0 of column i8 is NULL
  });

  it("replace invalid UTF-8 in text as Buffer decoding does", () => {
    const schema: TableSchema = { name: "t", columns: [ALL_KINDS.columns[9]!] };
    const batch = toColumnBatch(schema, [[new Uint8Array([0x61, 0xff, 0x62])]])!;
    expect(columnBatchRows(schema, batch)).toEqual([[bytes("a\uFFFDb")]]);
  });

  it("refuse what the layout cannot hold, so the rows go on as rows", () => {
    const date: TableSchema = { name: "t", columns: [ALL_KINDS.columns[6]!] };
    expect(toColumnBatch(date, [["2026-02-30"]])).toBeUndefined();
    const json: TableSchema = { name: "t", columns: [ALL_KINDS.columns[10]!] };
    expect(toColumnBatch(json, [["{not json"]])).toBeUndefined();
    const int: TableSchema = { name: "t", columns: [ALL_KINDS.columns[0]!] };
    expect(toColumnBatch(int, [["12"]])).toBeUndefined();
  });

  it("format days and microseconds back in MySQL's layout", () => {
    expect(formatDays(0)).toBe("1970-01-01");
    expect(formatDays(-719528)).toBe("0000-01-01");
    expect(formatDays(2932896)).toBe("9999-12-31");
    expect(formatMicros(-1n, 6)).toBe("1969-12-31 23:59:59.999999");
    expect(formatMicros(1_500_000n, 0)).toBe("1970-01-01 00:00:01.5");
    expect(formatMicros(0n, 2)).toBe("1970-01-01 00:00:00.00");
  });
});
