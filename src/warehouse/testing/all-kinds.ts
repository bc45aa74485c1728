/**
 * Test fixture: one table with a column of every reader ColumnKind, rows of edge values as the
 * dump reader emits them, and the values every engine must give back (warehouse.ts SqlValue).
 */
import type { ColumnDef, ColumnKind, TableSchema, Value } from "../../reader/types.js";
import type { SqlValue } from "../warehouse.js";

/** A nullable column as the dump reader describes it (also used by the bench tables). */
export function col(
  name: string,
  kind: ColumnKind,
  mysqlType: string,
  extra: Partial<ColumnDef> = {},
): ColumnDef {
  return { name, kind, mysqlType, nullable: true, ...extra };
}

export const ALL_KINDS: TableSchema = {
  name: "all_kinds",
  columns: [
    col("id", "int32", "int"),
    col("i8", "int8", "tinyint"),
    col("u8", "uint8", "tinyint unsigned"),
    col("i16", "int16", "smallint"),
    col("u16", "uint16", "smallint unsigned"),
    col("i32", "int32", "int"),
    col("u32", "uint32", "int unsigned"),
    col("i64", "int64", "bigint"),
    col("u64", "uint64", "bigint unsigned"),
    col("dec_small", "decimal", "decimal(10,2)", { precision: 10, scale: 2 }),
    col("dec_38", "decimal", "decimal(38,10)", { precision: 38, scale: 10 }),
    col("dec_wide", "decimal", "decimal(65,30)", { precision: 65, scale: 30 }),
    col("f32", "float32", "float"),
    col("f64", "float64", "double"),
    col("d", "date", "date"),
    col("dt", "datetime", "datetime(6)", { fsp: 6 }),
    col("tm", "time", "time(6)", { fsp: 6 }),
    col("txt", "text", "longtext"),
    col("js", "json", "json"),
    col("bin", "binary", "longblob"),
    col("bits", "bit", "bit(64)"),
  ],
};

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const LONG_TEXT = "東京ベータ😀\u0000".repeat(20_000);

/** [input row, expected output row] pairs; columns in ALL_KINDS order. */
// prettier-ignore
export const ALL_KINDS_CASES: { input: Value[]; output: Record<string, SqlValue> }[] = [
  {
    input: [
      1, -128, 0, -32768, 0, -2147483648, 0, -9223372036854775808n, 0n,
      "-99999999.99", "-9999999999999999999999999999.9999999999", "-99999999999999999999999999999999999.999999999999999999999999999999",
      -3.4028234663852886e38, -1.7976931348623157e308,
      "1000-01-01", "1000-01-01 00:00:00.000000", "-838:59:59.000000",
      "", "{}", new Uint8Array(0), 0n,
    ],
    output: {
      id: 1, i8: -128, u8: 0, i16: -32768, u16: 0, i32: -2147483648, u32: 0, i64: -9223372036854775808n, u64: 0,
      dec_small: "-99999999.99", dec_38: "-9999999999999999999999999999.9999999999",
      dec_wide: "-99999999999999999999999999999999999.999999999999999999999999999999",
      f32: -3.4028234663852886e38, f64: -1.7976931348623157e308,
      d: "1000-01-01", dt: "1000-01-01T00:00:00", tm: "-838:59:59",
      txt: "", js: "{}", bin: new Uint8Array(0), bits: 0,
    },
  },
  {
    input: [
      2, 127, 255, 32767, 65535, 2147483647, 4294967295, 9223372036854775807n, 18446744073709551615n,
      "99999999.99", "9999999999999999999999999999.9999999999", "12345678901234567890123456789012345.123456789012345678901234567890",
      1.5, 5e-324,
      "9999-12-31", "9999-12-31 23:59:59.999999", "838:59:59.999999",
      "a\u0000b 😀 東京 \\ ' \" \n\t", '{"a": [1, 2.5, "x"], "b": null, "c": "東京"}', ALL_BYTES, 18446744073709551615n,
    ],
    output: {
      id: 2, i8: 127, u8: 255, i16: 32767, u16: 65535, i32: 2147483647, u32: 4294967295,
      i64: 9223372036854775807n, u64: 18446744073709551615n,
      dec_small: "99999999.99", dec_38: "9999999999999999999999999999.9999999999",
      dec_wide: "12345678901234567890123456789012345.123456789012345678901234567890",
      f32: 1.5, f64: 5e-324,
      d: "9999-12-31", dt: "9999-12-31T23:59:59.999999", tm: "838:59:59.999999",
      txt: "a\u0000b 😀 東京 \\ ' \" \n\t", js: '{"a": [1, 2.5, "x"], "b": null, "c": "東京"}', bin: ALL_BYTES,
      bits: 18446744073709551615n,
    },
  },
  {
    input: [
      3, 0, 1, -1, 1, -1, 1, 9007199254740991n, 9007199254740993n,
      "0.01", "0.0000000001", "-0.000000000000000000000000000001",
      0.25, 0.1,
      "2024-02-29", "2026-01-31 05:30:00.123456", "-00:00:01.000001",
      LONG_TEXT, "[]", new Uint8Array([0, 0, 0]), 5n,
    ],
    output: {
      id: 3, i8: 0, u8: 1, i16: -1, u16: 1, i32: -1, u32: 1, i64: 9007199254740991, u64: 9007199254740993n,
      dec_small: "0.01", dec_38: "0.0000000001", dec_wide: "-0.000000000000000000000000000001",
      f32: 0.25, f64: 0.1,
      d: "2024-02-29", dt: "2026-01-31T05:30:00.123456", tm: "-00:00:01.000001",
      txt: LONG_TEXT, js: "[]", bin: new Uint8Array([0, 0, 0]), bits: 5,
    },
  },
  {
    input: [4, 1, 2, 3, 4, 5, 6, 7n, 8n, "1.00", "1", "1.000000000000000000000000000000", -0.5, 1e300, "1970-01-01", "1970-01-01 00:00:00.5", "25:00:00", "x", "null", new Uint8Array([255]), 1n],
    output: {
      id: 4, i8: 1, u8: 2, i16: 3, u16: 4, i32: 5, u32: 6, i64: 7, u64: 8,
      dec_small: "1.00", dec_38: "1.0000000000", dec_wide: "1.000000000000000000000000000000",
      f32: -0.5, f64: 1e300,
      d: "1970-01-01", dt: "1970-01-01T00:00:00.5", tm: "25:00:00",
      txt: "x", js: "null", bin: new Uint8Array([255]), bits: 1,
    },
  },
  {
    input: [5, ...Array<null>(ALL_KINDS.columns.length - 1).fill(null)],
    output: Object.fromEntries(ALL_KINDS.columns.map((c) => [c.name, c.name === "id" ? 5 : null])),
  },
];
