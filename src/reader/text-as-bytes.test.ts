import { describe, expect, it } from "vitest";
import { readDumpAll, splitAt } from "../../test/support/read-dump-all.js";
import type { DumpEvent, Value } from "./types.js";

const utf8 = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.length).toString("utf8");

/** A dump whose text column holds Japanese, emoji, NUL, escapes, invalid UTF-8 and literals of every form. */
function dump(): Buffer {
  const parts: (string | Buffer)[] = [
    "CREATE TABLE t (id int, s text, j json, b blob, c char(3));\n",
    "INSERT INTO t VALUES (1,'東京ベータ 😀 \\0 nul \\n\\'q\\'','{\"a\":1}',_binary 'x\\0y','abc'),",
    "(2,'",
    Buffer.from([0x61, 0xff, 0x62, 0xe6, 0x9d, 0x41, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98]),
    "',NULL,0x00ff,NULL),",
    "(3,0xe69db1e4baac,'[]',X'',''),(4,12345,'null','',b'01100001'),",
    `(5,'${"長い本文 long body ".repeat(300)}','"s"','${"z".repeat(70000)}','x');\n`,
    "INSERT INTO t VALUES (6,'',NULL,NULL,NULL);\n",
  ];
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}

describe("textAsBytes", () => {
  it("gives text as its bytes, which decode to the string the default mode gives; other kinds unchanged", async () => {
    const strings = (await readDumpAll(dump())).rows.t!;
    const bytes = (await readDumpAll(dump(), { textAsBytes: true })).rows.t!;
    expect(bytes.length).toBe(6);
    bytes.forEach((row, r) => {
      row.forEach((v, c) => {
        const expected = strings[r]![c];
        if (c === 1 || c === 4) {
          if (expected === null) expect(v).toBeNull();
          else {
            expect(v).toBeInstanceOf(Uint8Array);
            expect(utf8(v as Uint8Array)).toBe(expected);
          }
        } else expect(v).toEqual(expected);
      });
    });
    // the invalid bytes are kept as dumped (decoding replaces them, as the default mode does)
    expect([...(bytes[1]![1] as Uint8Array)]).toEqual([
      0x61, 0xff, 0x62, 0xe6, 0x9d, 0x41, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98,
    ]);
    expect(strings[1]![1]).toContain("\ufffd");
    expect(typeof bytes[0]![2]).toBe("string"); // JSON stays text
  });

  it("packs a batch's byte values into the ArrayBuffers listed in `buffers`, a fresh set per batch", async () => {
    const r = await readDumpAll(dump(), { textAsBytes: true, batchRows: 2 });
    const batches = r.events.filter((e): e is Extract<DumpEvent, { type: "rows" }> => e.type === "rows");
    expect(batches.length).toBeGreaterThan(2);
    const seen = new Set<ArrayBuffer>();
    for (const batch of batches) {
      const own = new Set(batch.buffers);
      for (const b of own) {
        expect(seen.has(b)).toBe(false);
        seen.add(b);
      }
      // quoted literals (hex and bit literals are decoded apart, into their own arrays)
      for (const row of batch.rows as Value[][])
        row.forEach((v, c) => {
          if (
            v instanceof Uint8Array &&
            v.length > 0 &&
            !(row[0] === 2 && c === 3) &&
            row[0] !== 3 &&
            row[0] !== 4
          )
            expect(own.has(v.buffer as ArrayBuffer)).toBe(true);
        });
    }
  });

  it("survives any chunking", async () => {
    const whole = dump();
    const expected = (await readDumpAll(whole, { textAsBytes: true })).rows.t!;
    for (let step = 1; step < 60; step += 7) {
      const offsets = Array.from({ length: Math.ceil(whole.length / step) }, (_, i) => i * step + (i % 3));
      const got = (await readDumpAll(splitAt(whole, offsets), { textAsBytes: true })).rows.t!;
      expect(got).toEqual(expected);
    }
  });
});
