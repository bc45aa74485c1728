/** The reader's columnar mode gives, value for value, the rows of its row mode. */
import { describe, expect, it } from "vitest";
import { readDumpAll, rejection, splitAt } from "../../test/support/read-dump-all.js";
import { columnBatchRows } from "./column-batch.js";
import { readDumpColumnar } from "./read-dump.js";
import { sqlQuote, syntheticDump } from "./test-dump-builder.js";
import type { TableSchema, Value } from "./types.js";

/** Every kind, NULLs, zero dates, escapes, raw binary bytes, invalid UTF-8, a column list. */
const KINDS = Buffer.concat([
  Buffer.from(`CREATE TABLE \`k\` (
  \`id\` bigint unsigned NOT NULL, \`i\` tinyint, \`u\` int unsigned, \`f\` float, \`dbl\` double,
  \`dec\` decimal(20,4), \`d\` date, \`dt\` datetime(3), \`tm\` time, \`s\` varchar(50), \`b\` blob,
  \`bits\` bit(12), \`j\` json, \`y\` year
);
INSERT INTO \`k\` VALUES (18446744073709551615,-128,4294967295,1.5,-2.25e-300,-12345678901234.5678,
'1969-12-31','2026-01-31 12:34:56.789','-838:59:59','東京😀\\'\\\\\\n\\0;',`),
  sqlQuote(Buffer.from([0, 1, 0x27, 0x5c, 0xff, 0xfe, 0x80, 0x0a, 0x3b])),
  Buffer.from(`,b'101010101010','{"a": "ü"}',2026),
(0,NULL,NULL,NULL,NULL,NULL,'0000-00-00','0000-00-00 00:00:00',NULL,NULL,0xDEADBEEF,0x0FFF,NULL,NULL),
(1,1,2,3,4,'5','2000-02-29','2000-02-29T23:59:59.5','1:00:00',X'61FF62',_binary 'x',NULL,'[]',1901);
INSERT INTO \`k\` (\`s\`,\`id\`) VALUES ('only two',2),(NULL,3);
`),
]);

/** Rows of a columnar reading, back in row form, per table. */
async function columnarRows(chunks: Iterable<Buffer>, batchRows?: number) {
  const reading = readDumpColumnar(chunks, { file: "test.sql", batchRows });
  const rows: Record<string, Value[][]> = {};
  const schemas = new Map<string, TableSchema>();
  for await (const event of reading.events) {
    if (event.type === "table") schemas.set(event.schema.name, event.schema);
    if (event.type === "rows") throw new Error("row event in columnar mode");
    if (event.type === "columns")
      (rows[event.table] ??= []).push(...columnBatchRows(schemas.get(event.table)!, event.batch));
  }
  return { rows, stats: Object.fromEntries(reading.stats), sha: reading.sha256() };
}

/** Row mode's rows as the column form gives them back (text as valid UTF-8 bytes). */
async function rowModeRows(chunks: Iterable<Buffer>) {
  const r = await readDumpAll(chunks, { textAsBytes: true });
  for (const [table, rows] of Object.entries(r.rows)) {
    const columns = r.tables[table]!.columns;
    for (const row of rows)
      columns.forEach((c, i) => {
        const v = row[i];
        if (c.kind === "text" && v instanceof Uint8Array)
          row[i] = new Uint8Array(Buffer.from(Buffer.from(v).toString("utf8")));
        else if (c.kind === "binary" && v instanceof Uint8Array) row[i] = new Uint8Array(v);
        else if (c.kind === "datetime" && typeof v === "string") row[i] = canonicalDatetime(v, c.fsp ?? 0);
      });
  }
  return { rows: r.rows, stats: Object.fromEntries(r.reading.stats), sha: r.reading.sha256() };
}

/** 'YYYY-MM-DD HH:MM:SS' and `fsp` fraction digits: how the column form writes a datetime back. */
function canonicalDatetime(text: string, fsp: number): string {
  const fraction = (text.slice(20) + "000000").slice(
    0,
    Math.max(fsp, text.slice(20).replace(/0+$/, "").length),
  );
  return `${text.slice(0, 10)} ${text.slice(11, 19)}${fraction ? `.${fraction}` : ""}`;
}

describe("reading a dump column by column", () => {
  it("gives the values of row mode for every kind, however the input is split", async () => {
    const expected = await rowModeRows([KINDS]);
    expect(expected.rows.k).toHaveLength(5);
    for (const step of [KINDS.length, 7, 64]) {
      const cuts = Array.from({ length: Math.ceil(KINDS.length / step) }, (_, i) => i * step);
      expect(await columnarRows(splitAt(KINDS, cuts), 2)).toEqual(expected);
    }
  });

  it("gives the rows of row mode on a generated dump of 1 MB in batches", async () => {
    const dump = Buffer.concat([...syntheticDump({ targetBytes: 1e6, seed: 11, insertBytes: 100_000 })]);
    const cuts = Array.from({ length: 40 }, (_, i) => Math.floor((i * dump.length) / 40) + (i % 7));
    const expected = await rowModeRows([dump]);
    expect(await columnarRows(splitAt(dump, cuts), 1000)).toEqual(expected);
  });

  it("refuses a date, a time of day or JSON that the warehouse could not hold, naming the column", async () => {
    const dump = (type: string, literal: string) =>
      Buffer.from(`CREATE TABLE t (id int, v ${type});\nINSERT INTO t VALUES (1,${literal});\n`);
    const error = (type: string, literal: string) => rejection(columnarRows([dump(type, literal)]));
    expect((await error("date", "'2026-02-30'")).message).toMatch(
      /table `t`.*column `v` \(date\): not a date/,
    );
    expect((await error("datetime", "'2026-01-01 24:00:00'")).message).toMatch(/column `v`.*not a datetime/);
    expect((await error("json", "'{bad'")).message).toMatch(/column `v` \(json\): not valid JSON/);
  });
});
