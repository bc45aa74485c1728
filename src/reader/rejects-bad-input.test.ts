import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DumpParseError } from "../errors.js";
import { readDumpAll, rejection } from "../../test/support/read-dump-all.js";

const CREATE = "CREATE TABLE `t` (`id` int NOT NULL, `s` varchar(20));\n";

/** Reads `dump` expecting a DumpParseError; checks it names the file and is a clear message. */
async function parseError(dump: string | Buffer, options = {}): Promise<DumpParseError> {
  const e = await rejection(readDumpAll(dump, { file: "pms_20260131.sql", ...options }));
  if (!(e instanceof DumpParseError)) throw e;
  expect(e.file).toBe("pms_20260131.sql");
  expect(e.message).toBe(
    `pms_20260131.sql: ${e.table ? `table \`${e.table}\`, ` : ""}byte offset ${e.byteOffset}: ${e.detail}`,
  );
  return e;
}

describe("rejecting bad input with file, table and byte offset", () => {
  it("a dump truncated inside a tuple", async () => {
    const dump = `${CREATE}INSERT INTO \`t\` VALUES (1,'a'),(2,`;
    const e = await parseError(dump);
    expect(e.table).toBe("t");
    expect(e.byteOffset).toBe(Buffer.byteLength(dump));
    expect(e.detail).toContain("input ends inside an INSERT statement, inside the tuple that starts at byte");
    expect(e.detail).toContain(`byte ${dump.lastIndexOf("(")}`);
  });

  it("a dump truncated between tuples or before the delimiter", async () => {
    for (const tail of ["(1,'a'),", "(1,'a')", "(1,'a')\n", "(1", "(1,NUL", "(1,-12"]) {
      const e = await parseError(`${CREATE}INSERT INTO \`t\` VALUES ${tail}`);
      expect(e.table).toBe("t");
      expect(e.detail).toMatch(/input ends inside an INSERT statement|expected a value/);
    }
  });

  it("a dump truncated inside a CREATE TABLE or another statement", async () => {
    const e = await parseError("CREATE TABLE `t` (`id` int NOT NULL,\n  `s` varch");
    expect(e.table).toBe("t");
    expect(e.byteOffset).toBe(0);
    expect(e.detail).toContain("input ends inside a statement");
    const e2 = await parseError(`${CREATE}UNLOCK TABLES`);
    expect(e2.table).toBeUndefined();
    expect(e2.byteOffset).toBe(CREATE.length);
  });

  it("an unterminated string, and a backslash at the very end", async () => {
    const dump = `${CREATE}INSERT INTO \`t\` VALUES (1,'abc`;
    const e = await parseError(dump);
    expect(e.detail).toBe(`unterminated string starting at byte ${dump.indexOf("'abc")}`);
    expect(e.byteOffset).toBe(dump.indexOf("'abc"));
    const e2 = await parseError(`${CREATE}INSERT INTO \`t\` VALUES (1,'abc\\`);
    expect(e2.table).toBe("t");
    expect(e2.detail).toContain("input ends inside an escape sequence");
    const e3 = await parseError(`${CREATE}INSERT INTO \`t\` VALUES (1,0xABCD`);
    expect(e3.detail).toMatch(/input ends inside an INSERT/);
    const e4 = await parseError(`${CREATE}INSERT INTO \`t\` VALUES (1,X'ABCD`);
    expect(e4.detail).toContain("unterminated hex literal");
  });

  it("an unterminated string or comment outside INSERT", async () => {
    expect((await parseError("SET @a = 'abc;\n")).detail).toContain("unterminated quoted string");
    expect((await parseError(`${CREATE}/* never closed`)).detail).toContain("unterminated comment");
  });

  it("a tuple with too few or too many values", async () => {
    const dump = `${CREATE}INSERT INTO \`t\` VALUES (1,'a'),(2);\n`;
    const e = await parseError(dump);
    expect(e.table).toBe("t");
    expect(e.detail).toBe("tuple has 1 values, expected 2");
    expect(e.byteOffset).toBe(dump.indexOf("(2)"));
    const e2 = await parseError(`${CREATE}INSERT INTO \`t\` VALUES (1,'a',3);\n`);
    expect(e2.detail).toBe("tuple has more than the 2 values expected");
    const e3 = await parseError(`${CREATE}INSERT INTO \`t\` (\`id\`) VALUES (1,'a');\n`);
    expect(e3.detail).toBe("tuple has more than the 1 values expected");
  });

  it("an INSERT into a table never created and not known", async () => {
    const dump = `${CREATE}INSERT INTO \`t\` VALUES (1,'a');\nINSERT INTO \`ghost\` VALUES (1);\nINSERT INTO \`other\` VALUES (1);\n`;
    const e = await parseError(dump);
    expect(e.table).toBe("ghost");
    expect(e.byteOffset).toBe(dump.indexOf("INSERT INTO `ghost`"));
    expect(e.detail).toContain("INSERT into table `ghost`, which the dump does not create");
  });

  it("an INSERT naming a column the table does not have", async () => {
    const e = await parseError(`${CREATE}INSERT INTO \`t\` (\`id\`, \`nope\`) VALUES (1,'a');\n`);
    expect(e.table).toBe("t");
    expect(e.detail).toContain("lists column `nope` which the table does not have");
  });

  it("garbage between tuples, in a tuple, or instead of a tuple", async () => {
    const e = await parseError(`${CREATE}INSERT INTO \`t\` VALUES (1,'a') x (2,'b');\n`);
    expect(e.detail).toBe("expected ',' or ';' after a tuple, found 'x'");
    expect(e.byteOffset).toBe(CREATE.length + "INSERT INTO `t` VALUES (1,'a') ".length);
    expect((await parseError(`${CREATE}INSERT INTO t VALUES (1,'a'),\x01(2,'b');\n`)).detail).toBe(
      "expected '(' to start a tuple, found byte 0x01",
    );
    expect((await parseError(`${CREATE}INSERT INTO t VALUES (1 'a');\n`)).detail).toBe(
      "expected ',' or ')' after a value, found '''",
    );
    expect((await parseError(`${CREATE}INSERT INTO t VALUES (1,@x);\n`)).detail).toBe(
      "expected a value, found '@'",
    );
    expect((await parseError(`${CREATE}INSERT INTO t VALUES (1,NULLX);\n`)).detail).toBe(
      "expected a value, found 'N'",
    );
  });

  it("unsupported column types and INSERT forms", async () => {
    const e = await parseError("CREATE TABLE `t` (`a` int, `b` vector(3));\n");
    expect(e.table).toBe("t");
    expect(e.detail).toContain("column `b` has unsupported type vector");
    expect((await parseError(`${CREATE}INSERT INTO t SELECT 1, 'a';\n`)).detail).toContain(
      "INSERT without VALUES is not supported",
    );
    expect((await parseError(`${CREATE}INSERT INTO t SET id = 1;\n`)).detail).toContain("without VALUES");
  });

  it("a corrupt or truncated gzip dump, naming the file", async () => {
    const gz = gzipSync(Buffer.from(`${CREATE}INSERT INTO t VALUES (1,'a');\n`.repeat(50)));
    const corrupt = Buffer.from(gz);
    corrupt[40]! ^= 0xff;
    corrupt[41]! ^= 0xff;
    const e = await parseError(corrupt, { file: "pms_20260131.sql" });
    expect(e.detail).toMatch(/^corrupt gzip data/);
    expect(e.byteOffset).toBeGreaterThan(0);
    expect(e.byteOffset).toBeLessThanOrEqual(corrupt.length);
    const truncated = await parseError(gz.subarray(0, gz.length - 20));
    expect(truncated.detail).toMatch(/^corrupt gzip data \(unexpected end of file\)/);
  });

  it("stops at the first error, after the events before it", async () => {
    const events: string[] = [];
    const { readDump } = await import("./read-dump.js");
    const reading = readDump(
      [Buffer.from(`${CREATE}INSERT INTO t VALUES (1,'a');\nINSERT INTO t VALUES (2,'b'`)],
      {
        file: "x.sql",
      },
    );
    const e = await rejection(
      (async () => {
        for await (const ev of reading.events) events.push(ev.type);
      })(),
    );
    expect(e).toBeInstanceOf(DumpParseError);
    expect(events).toEqual(["table"]); // rows of the same table are batched: not emitted before the error
  });
});
