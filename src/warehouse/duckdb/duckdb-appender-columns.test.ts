/** The appender's column path stores exactly what its row path stores. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toColumnBatch } from "../../reader/column-batch.js";
import type { TableSchema, Value } from "../../reader/types.js";
import { openWarehouse } from "../open-warehouse.js";

const root = mkdtempSync(path.join(tmpdir(), "tokyobeta-appender-columns-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const column = (name: string, kind: TableSchema["columns"][number]["kind"], extra = {}) => ({
  name,
  mysqlType: kind,
  kind,
  nullable: true,
  ...extra,
});
const schema = (name: string): TableSchema => ({
  name,
  columns: [
    column("id", "int32"),
    column("big", "int64"),
    column("ubig", "uint64"),
    column("small", "uint8"),
    column("f", "float32"),
    column("dec", "decimal", { precision: 12, scale: 2 }),
    column("d", "date"),
    column("dt", "datetime", { fsp: 6 }),
    column("t", "time"),
    column("txt", "text"),
    column("j", "json"),
    column("b", "binary"),
  ],
});

function rows(from: number, count: number): Value[][] {
  const out: Value[][] = [];
  for (let i = from; i < from + count; i++) {
    const text = i % 3 === 0 ? "短い" : `テキスト ${i} `.repeat(1 + (i % 7));
    out.push([
      i,
      BigInt(i) * -1_000_000_000_000n,
      2n ** 64n - BigInt(i + 1),
      i % 256,
      i / 3,
      `${i}.05`,
      i % 11 === 0 ? null : `20${pad(i % 100)}-0${1 + (i % 9)}-1${i % 10}`,
      `1999-12-31 23:59:${pad(i % 60)}.${String(i % 1_000_000).padStart(6, "0")}`,
      i % 2 ? "-12:00:01" : "838:59:59.5",
      i % 13 === 0 ? null : new Uint8Array(Buffer.from(text)),
      i % 5 === 0 ? null : `{"n":${i},"s":"${"x".repeat(i % 20)}"}`,
      new Uint8Array(Array.from({ length: i % 40 }, (_, k) => (k * 31 + i) % 256)),
    ]);
  }
  return out;
}
const pad = (n: number) => String(n).padStart(2, "0");

describe("DuckDB appender: column batches", () => {
  it("stores the same table from column batches (mixed with row batches) as from rows alone", async () => {
    const warehouse = await openWarehouse(path.join(root, "w"));
    const w = await warehouse.beginState();
    for (const name of ["by_rows", "by_columns"]) await w.createTable("staging", schema(name));
    const byRows = await w.openAppender("staging", schema("by_rows"));
    const byColumns = await w.openAppender("staging", schema("by_columns"));
    // batch sizes that do not fall on chunk boundaries, and a row batch in between
    const sizes = [1, 2047, 5000, 3, 4096, 777];
    let from = 0;
    for (const [k, size] of sizes.entries()) {
      const batch = rows(from, size);
      await byRows.append(batch);
      if (k === 3) await byColumns.append(batch);
      else await byColumns.appendColumns!(toColumnBatch(schema("by_columns"), batch)!);
      from += size;
    }
    expect(await byRows.close()).toBe(from);
    expect(await byColumns.close()).toBe(from);
    const diff = await w.query(`SELECT
        (SELECT count(*) FROM (SELECT * FROM staging.by_rows EXCEPT ALL SELECT * FROM staging.by_columns)) AS missing,
        (SELECT count(*) FROM (SELECT * FROM staging.by_columns EXCEPT ALL SELECT * FROM staging.by_rows)) AS extra,
        (SELECT count(*) FROM staging.by_columns WHERE txt IS NULL) AS null_texts,
        (SELECT max(length(txt)) FROM staging.by_columns) AS longest`);
    expect(diff.rows[0]).toEqual({
      missing: 0,
      extra: 0,
      null_texts: Math.ceil(from / 13),
      longest: expect.any(Number),
    });
    const sample = await w.query(
      `SELECT id, d::VARCHAR AS d, dt::VARCHAR AS dt, txt FROM staging.by_columns WHERE id IN (0, 4099) ORDER BY id`,
    );
    expect(sample.rows).toEqual([
      { id: 0, d: null, dt: "1999-12-31 23:59:00", txt: null },
      { id: 4099, d: "2099-05-19", dt: "1999-12-31 23:59:19.004099", txt: "テキスト 4099 ".repeat(5) },
    ]);
    await w.abandon();
    await warehouse.close();
  });

  it("refuses a batch whose columns do not match the table, and takes no more rows", async () => {
    const warehouse = await openWarehouse(path.join(root, "w2"));
    const w = await warehouse.beginState();
    await w.createTable("staging", schema("t"));
    const appender = await w.openAppender("staging", schema("t"));
    const batch = toColumnBatch(schema("t"), rows(0, 10))!;
    await expect(appender.appendColumns!({ rows: 10, columns: batch.columns.slice(1) })).rejects.toThrow(
      /column batch of 11 columns, the table has 12/,
    );
    await expect(appender.append(rows(0, 1))).rejects.toThrow(/unusable after an earlier error/);
    await appender.close();
    await w.abandon();
    await warehouse.close();
  });
});
