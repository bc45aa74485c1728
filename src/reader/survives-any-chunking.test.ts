import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readDumpAll, splitAt } from "../../test/support/read-dump-all.js";
import { sqlQuote, syntheticDump } from "./test-dump-builder.js";
import type { Value } from "./types.js";

/** A small dump touching every construct the reader knows, with multi-byte UTF-8 and binary bytes. */
const RICH = Buffer.concat([
  Buffer.from(`/*M!999999\\- enable the sandbox mode */ 
-- MariaDB dump 10.19
/*!40101 SET NAMES utf8mb4 */;
# hash comment
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`pms\`;
USE \`pms\`;
DROP TABLE IF EXISTS \`t\`;
CREATE TABLE \`t\` (
  \`id\` bigint unsigned NOT NULL,
  \`s\` varchar(50) DEFAULT 'a;b' COMMENT 'it''s',
  \`b\` blob,
  \`bits\` bit(12),
  \`d\` datetime(3),
  \`tm\` time,
  \`j\` json,
  \`x\` decimal(20,4)
);
LOCK TABLES \`t\` WRITE;
INSERT INTO \`t\` VALUES (18446744073709551615,'東京😀\\'\\\\\\n\\0;',`),
  sqlQuote(Buffer.from([0, 1, 0x27, 0x5c, 0xff, 0xfe, 0x80, 0x0a, 0x3b])),
  Buffer.from(`,b'101010101010','2026-01-31 12:34:56.789','-838:59:59','{\\"a\\": \\"ü\\"}',-12345678901234.5678),
(0,NULL,0xDEADBEEF,0x0FFF,'0000-00-00 00:00:00','00:00:01',NULL,0),
  (1 , _utf8mb4'ｶﾀｶﾅ' , _binary 'x' , X'01' , NULL , '1:00:00' , '[]' , '1.5');
INSERT INTO \`t\` (\`x\`,\`id\`) VALUES (2.25,2),(NULL,3);
UNLOCK TABLES;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.s = ';' */;;
DELIMITER ;
/*!50001 DROP VIEW IF EXISTS \`v\`*/;
/*!50001 CREATE TABLE \`v\` (\`id\` tinyint NOT NULL) ENGINE=MyISAM */;
/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50001 VIEW \`v\` AS select 1 AS \`id\` */;
REPLACE INTO t VALUES (4,'',NULL,NULL,NULL,NULL,NULL,NULL);
-- Dump completed on 2026-01-31  5:30:00
`),
]);

type Summary = { events: unknown[]; zero: unknown; completed: boolean; sha: string };

async function summary(input: Iterable<Buffer>): Promise<Summary> {
  const r = await readDumpAll(input);
  return {
    events: r.events,
    zero: r.reading.stats.get("t")?.zeroDatesByColumn,
    completed: r.reading.dumpCompleted(),
    sha: r.reading.sha256(),
  };
}

describe("reading a dump split into chunks anywhere", () => {
  it("gives the same events for the rich dump read whole", async () => {
    const whole = await summary([RICH]);
    expect(whole.events.map((e) => (e as { type: string }).type)).toEqual([
      "table",
      "rows",
      "skipped",
      "skipped",
      "rows",
    ]);
    const rows = [
      ...(whole.events[1] as { rows: Value[][] }).rows,
      ...(whole.events[4] as { rows: Value[][] }).rows,
    ];
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual([
      18446744073709551615n,
      "東京😀'\\\n\0;",
      new Uint8Array([0, 1, 0x27, 0x5c, 0xff, 0xfe, 0x80, 0x0a, 0x3b]),
      2730n,
      "2026-01-31 12:34:56.789",
      "-838:59:59",
      '{"a": "ü"}',
      "-12345678901234.5678",
    ]);
    expect(rows[1]).toEqual([
      0n,
      null,
      new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      4095n,
      null,
      "00:00:01",
      null,
      "0",
    ]);
    expect(rows[2]).toEqual([1n, "ｶﾀｶﾅ", new Uint8Array([0x78]), 1n, null, "1:00:00", "[]", "1.5"]);
    expect(rows[3]).toEqual([2n, null, null, null, null, null, null, "2.25"]);
    expect(rows[5]).toEqual([4n, "", null, null, null, null, null, null]);
    expect(whole.zero).toEqual({ d: 1 });
    expect(whole.completed).toBe(true);
    expect(whole.sha).toBe(createHash("sha256").update(RICH).digest("hex"));
  });

  it("gives the same events when split in two at every byte position", async () => {
    const whole = await summary([RICH]);
    for (let cut = 1; cut < RICH.length; cut++) {
      const split = await summary(splitAt(RICH, [cut]));
      if (JSON.stringify(split, jsonable) !== JSON.stringify(whole, jsonable)) {
        expect(split, `split at ${cut}`).toEqual(whole);
      }
    }
  });

  it("gives the same events with one-byte chunks and with many random splits", async () => {
    const whole = JSON.stringify(await summary([RICH]), jsonable);
    const bytes = [...RICH].map((_, i) => RICH.subarray(i, i + 1));
    expect(JSON.stringify(await summary(bytes), jsonable)).toBe(whole);
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * RICH.length;
    for (let round = 0; round < 200; round++) {
      const cuts = Array.from({ length: 1 + (round % 12) }, () => Math.floor(rand()));
      expect(JSON.stringify(await summary(splitAt(RICH, cuts)), jsonable)).toBe(whole);
    }
  });

  it("reads gzip input, detected by its magic bytes, split anywhere, with sha256 of the compressed bytes", async () => {
    const gz = gzipSync(RICH, { level: 9 });
    const plain = await summary([RICH]);
    for (const cut of [1, 2, 3, 10, gz.length >> 1, gz.length - 1]) {
      const r = await readDumpAll(splitAt(gz, [cut]));
      expect(r.reading.gzipped()).toBe(true);
      expect(r.reading.sha256()).toBe(createHash("sha256").update(gz).digest("hex"));
      expect(r.reading.bytesRead()).toBe(gz.length);
      expect(r.reading.sqlBytesRead()).toBe(RICH.length);
      expect(JSON.stringify(r.events, jsonable)).toBe(JSON.stringify(plain.events, jsonable));
    }
    const forced = await readDumpAll([RICH], { gzip: false });
    expect(forced.events).toHaveLength(5);
    const multiMember = Buffer.concat([gzipSync(RICH.subarray(0, 500)), gzipSync(RICH.subarray(500))]);
    expect(JSON.stringify((await readDumpAll([multiMember], { gzip: true })).events, jsonable)).toBe(
      JSON.stringify(plain.events, jsonable),
    );
  });

  it("reads values far longer than a chunk (strings, escaped blobs, hex) without quadratic rescans", async () => {
    const text = "東京".repeat(400_000) + "'\\"; // ~2.4 MB of text, escapes at the end
    const blob = Buffer.alloc(3_000_000);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 7919) & 0xff;
    const dump = Buffer.concat([
      Buffer.from("CREATE TABLE big (t longtext, b longblob, h longblob);\nINSERT INTO big VALUES ("),
      sqlQuote(Buffer.from(text)),
      Buffer.from(","),
      sqlQuote(blob),
      Buffer.from(`,0x${blob.toString("hex")}),(NULL,X'${blob.subarray(0, 1000).toString("hex")}',NULL);\n`),
    ]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < dump.length; i += 4096) chunks.push(dump.subarray(i, i + 4096));
    const started = Date.now();
    const r = await readDumpAll(chunks);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [row, row2] = r.rows.big!;
    expect(row![0]).toBe(text);
    expect(Buffer.from(row![1] as Uint8Array).equals(blob)).toBe(true);
    expect(Buffer.from(row![2] as Uint8Array).equals(blob)).toBe(true);
    expect(Buffer.from(row2![1] as Uint8Array).equals(blob.subarray(0, 1000))).toBe(true);
  });

  it("reads a synthetic multi-megabyte dump in 1 MB statements exactly, whatever the chunk size", async () => {
    const expected: Record<string, Value[][]> = {};
    const parts = [
      ...syntheticDump({
        targetBytes: 1_500_000,
        seed: 3,
        onRow: (table, row) => (expected[table] ??= []).push(row),
      }),
    ];
    const dump = Buffer.concat(parts);
    for (const size of [997, 1 << 20]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < dump.length; i += size) chunks.push(dump.subarray(i, i + size));
      const r = await readDumpAll(chunks);
      expect(Object.keys(r.rows)).toEqual(["mail_logs", "documents", "movings"]);
      for (const table of Object.keys(expected)) expect(r.rows[table], table).toEqual(expected[table]);
    }
    const hex = Buffer.concat([
      ...syntheticDump({ targetBytes: 500_000, seed: 4, hexBlob: true, insertBytes: 0 }),
    ]);
    const r = await readDumpAll([hex]);
    expect(r.rows.documents!.length).toBeGreaterThan(5);
  });
});

/** JSON.stringify replacer for bigint and bytes. */
function jsonable(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("hex")}`;
  return value;
}
