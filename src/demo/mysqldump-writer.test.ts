import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DumpSink } from "./dump-sink.js";
import { MAX_INSERT_BYTES, MysqldumpWriter } from "./mysqldump-writer.js";
import { escapeSqlString, sqlBinary, sqlDate, sqlString } from "./sql-literal.js";

const dir = mkdtempSync(path.join(tmpdir(), "tb-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQL literals", () => {
  it("escapes exactly what mysqldump escapes", () => {
    expect(escapeSqlString("a'b\"c\\d\ne\rf\0g\x1ah\ti")).toBe("a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh\ti");
    expect(sqlString("日本 🇯🇵")).toBe("'日本 🇯🇵'");
    expect(sqlString(null)).toBe("NULL");
    expect(sqlDate(20484)).toBe("'2026-01-31'");
  });

  it("writes binary with the _binary introducer, raw high bytes and escaped specials", () => {
    const out = sqlBinary(Uint8Array.from([0x00, 0x27, 0x5c, 0xff, 0x41]));
    expect([...out]).toEqual([
      ...Buffer.from("_binary '", "latin1"),
      0x5c,
      0x30,
      0x5c,
      0x27,
      0x5c,
      0x5c,
      0xff,
      0x41,
      0x27,
    ]);
  });
});

describe("MysqldumpWriter", () => {
  it("splits rows into extended INSERTs of at most ~1 MB", async () => {
    const file = path.join(dir, "split.sql");
    const sink = new DumpSink(file, { gzip: false });
    const writer = new MysqldumpWriter(sink);
    const row = (i: number) => `(${i},'${"x".repeat(1000)}')`;
    await writer.table(
      "t",
      "CREATE TABLE `t` (`id` int, `v` text)",
      Array.from({ length: 3000 }, (_, i) => row(i)),
    );
    await sink.close();
    const inserts = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("INSERT INTO `t` VALUES "));
    expect(inserts.length).toBe(3);
    for (const line of inserts) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_INSERT_BYTES);
    expect(inserts.reduce((n, l) => n + l.split("),(").length, 0)).toBe(3000);
  });

  it("writes an empty table without an INSERT", async () => {
    const file = path.join(dir, "empty.sql");
    const sink = new DumpSink(file, { gzip: false });
    await new MysqldumpWriter(sink).table("e", "CREATE TABLE `e` (`id` int)", []);
    await sink.close();
    const text = readFileSync(file, "utf8");
    expect(text).toContain("DISABLE KEYS */;\n/*!40000 ALTER TABLE `e` ENABLE KEYS */;");
    expect(text).not.toContain("INSERT");
  });
});
