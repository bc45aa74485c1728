/** The DuckDB appender's own conversions, checked against DuckDB's casts on many values. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TableSchema, Value } from "../../reader/types.js";
import { openWarehouse } from "../open-warehouse.js";
import type { StateWriter } from "../warehouse.js";
import { daysFromCivil, parseDate } from "../../reader/epoch-time.js";

const root = mkdtempSync(path.join(tmpdir(), "tokyobeta-appender-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
async function writer(): Promise<StateWriter> {
  const warehouse = await openWarehouse(path.join(root, `w${counter++}`));
  return warehouse.beginState();
}

/** A small deterministic generator (the same values on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

const TEMPORAL: TableSchema = {
  name: "temporal",
  columns: [
    { name: "d", mysqlType: "date", kind: "date", nullable: true },
    { name: "dt", mysqlType: "datetime(6)", kind: "datetime", nullable: true, fsp: 6 },
    { name: "d_text", mysqlType: "text", kind: "text", nullable: true },
    { name: "dt_text", mysqlType: "text", kind: "text", nullable: true },
  ],
};

describe("DuckDB appender: dates and datetimes", () => {
  it("gives the same DATE and TIMESTAMP as DuckDB's own cast, for 20,000 values over years 0000-9999", async () => {
    const next = random(7);
    const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    const rows: Value[][] = [];
    const edges = [
      ["0000-01-01", "0000-01-01 00:00:00"],
      ["1000-01-01", "1000-01-01 00:00:00.000000"],
      ["1969-12-31", "1969-12-31 23:59:59.999999"],
      ["1970-01-01", "1970-01-01 00:00:00"],
      ["1970-01-01", "1970-01-01T00:00:00.000001"],
      ["2000-02-29", "2000-02-29 12:00:00.5"],
      ["9999-12-31", "9999-12-31 23:59:59.999999"],
      ["2026-01-31", "2026-01-31"],
    ];
    for (const [d, dt] of edges) rows.push([d!, dt!, d!, dt!]);
    for (let i = 0; i < 20_000; i++) {
      const year = i % 3 === 0 ? int(0, 9999) : int(1900, 2100);
      const month = int(1, 12);
      const day = int(1, month === 2 ? 28 : 30);
      const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
      const digits = int(0, 6);
      const fraction = digits === 0 ? "" : "." + pad(int(0, 10 ** digits - 1), digits);
      const time = `${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}${fraction}`;
      const datetime = `${date}${i % 10 === 0 ? "T" : " "}${time}`;
      rows.push([date, datetime, date, datetime]);
    }
    const w = await writer();
    await w.createTable("staging", TEMPORAL);
    const appender = await w.openAppender("staging", TEMPORAL);
    await appender.append(rows);
    await appender.close();
    const result = await w.query(`SELECT count(*) AS n,
        count(*) FILTER (WHERE d IS DISTINCT FROM d_text::DATE) AS bad_dates,
        count(*) FILTER (WHERE dt IS DISTINCT FROM dt_text::TIMESTAMP) AS bad_datetimes
      FROM staging.temporal`);
    expect(result.rows[0]).toEqual({ n: rows.length, bad_dates: 0, bad_datetimes: 0 });
    await w.abandon();
  });

  it("refuses dates and datetimes that are not valid in the reader's layouts", async () => {
    const bad: [string, string][] = [
      ["2026-02-29", "2026-01-01 00:00:00"],
      ["2026-13-01", "2026-01-01 00:00:00"],
      ["2026-1-01", "2026-01-01 00:00:00"],
      ["2026/01/01", "2026-01-01 00:00:00"],
      ["2026-01-01", "2026-01-01 24:00:00"],
      ["2026-01-01", "2026-01-01 12:60:00"],
      ["2026-01-01", "2026-01-01 12:00"],
      ["2026-01-01", "2026-01-01 12:00:00."],
      ["2026-01-01", "2026-01-01 12:00:00.1234567"],
      ["2026-01-01", "2026-04-31 12:00:00"],
      ["2026-01-01", "2026-01-01 12:00:00+09"],
    ];
    const w = await writer();
    await w.createTable("staging", TEMPORAL);
    for (const [d, dt] of bad) {
      const appender = await w.openAppender("staging", TEMPORAL);
      await expect(appender.append([[d, dt, null, null]]), `${d} / ${dt}`).rejects.toThrow(
        /not a date|not a datetime/,
      );
      await appender.close();
    }
    await w.abandon();
  });

  it("computes days like the proleptic Gregorian calendar", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(parseDate("2026-01-31")).toBe(Date.UTC(2026, 0, 31) / 86_400_000);
    expect(parseDate("2026-01-31 00:00:00")).toBeUndefined();
  });
});
