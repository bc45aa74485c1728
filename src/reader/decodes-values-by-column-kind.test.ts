import { describe, expect, it } from "vitest";
import { DumpParseError } from "../errors.js";
import { readDumpAll, rejection } from "../../test/support/read-dump-all.js";
import type { Value } from "./types.js";

/** Reads `INSERT INTO t VALUES <tuples>` into a table of the given column definitions. */
async function rowsOf(columns: string, tuples: string | Buffer): Promise<Value[][]> {
  const head = Buffer.from(`CREATE TABLE t (${columns});\nINSERT INTO t VALUES `);
  const r = await readDumpAll(Buffer.concat([head, Buffer.from(tuples), Buffer.from(";\n")]));
  return r.rows.t ?? [];
}

/** What mysqldump writes for the bytes that need escaping in a quoted string. */
const ESCAPES: Record<number, string> = { 0: "\\0", 10: "\\n", 13: "\\r", 26: "\\Z", 39: "\\'", 92: "\\\\" };

async function valueError(columns: string, tuples: string): Promise<DumpParseError> {
  const e = await rejection(rowsOf(columns, tuples));
  expect(e).toBeInstanceOf(DumpParseError);
  return e as DumpParseError;
}

describe("decoding values by column kind", () => {
  it("maps MySQL types to column kinds with precision, scale, fsp, enum values", async () => {
    const r = await readDumpAll(`CREATE TABLE t (
      a tinyint(4), b tinyint(3) unsigned, c smallint, d smallint unsigned zerofill, e mediumint, f int(10) unsigned,
      g bigint(20), h bigint unsigned, i decimal(10,7), j numeric, k float, l double, m real, n date, o datetime(3),
      p timestamp NULL, q time(6), r year(4), s char(3), u varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
      v tinytext, w longtext CHECK (json_valid(\`w\`)), x json, y enum('a','b''c'), z set('x','y'),
      aa binary(16), ab varbinary(32), ac blob, ad longblob, ae bit(1), af bit(64), ag varchar(10) CHARACTER SET binary,
      ah double precision, ai point, aj bool, ak float(30), al int NOT NULL DEFAULT NULL, am inet6,
      an datetime GENERATED ALWAYS AS (o) VIRTUAL, ao int /*!80023 INVISIBLE */,
      PRIMARY KEY (a), KEY k1 (b), CONSTRAINT fk FOREIGN KEY (c) REFERENCES other (id), UNIQUE KEY (d), CHECK (a > 0)
    );`);
    const cols = r.tables.t!.columns;
    const kinds = Object.fromEntries(cols.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      a: "int8",
      b: "uint8",
      c: "int16",
      d: "uint16",
      e: "int32",
      f: "uint32",
      g: "int64",
      h: "uint64",
      i: "decimal",
      j: "decimal",
      k: "float32",
      l: "float64",
      m: "float64",
      n: "date",
      o: "datetime",
      p: "datetime",
      q: "time",
      r: "int16",
      s: "text",
      u: "text",
      v: "text",
      w: "json",
      x: "json",
      y: "text",
      z: "text",
      aa: "binary",
      ab: "binary",
      ac: "binary",
      ad: "binary",
      ae: "bit",
      af: "bit",
      ag: "binary",
      ah: "float64",
      ai: "binary",
      aj: "int8",
      ak: "float64",
      al: "int32",
      am: "text",
      an: "datetime",
      ao: "int32",
    });
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    expect(byName.i).toMatchObject({ mysqlType: "decimal(10,7)", precision: 10, scale: 7 });
    expect(byName.j).toMatchObject({ precision: 10, scale: 0 });
    expect(byName.o).toMatchObject({ mysqlType: "datetime(3)", fsp: 3 });
    expect(byName.q).toMatchObject({ fsp: 6 });
    expect(byName.f!.mysqlType).toBe("int(10) unsigned");
    expect(byName.d!.mysqlType).toBe("smallint unsigned zerofill");
    expect(byName.y).toMatchObject({ mysqlType: "enum('a','b''c')", enumValues: ["a", "b'c"] });
    expect(byName.z!.enumValues).toEqual(["x", "y"]);
    expect(byName.a!.nullable).toBe(true); // nullability as declared; the key clause is table-level
    expect(byName.al!.nullable).toBe(false);
    expect(byName.p!.nullable).toBe(true);
  });

  it("decodes integers of every width at their limits, quoted or not, without precision loss", async () => {
    const rows = await rowsOf(
      "a tinyint, b tinyint unsigned, c smallint, d smallint unsigned, e mediumint, f int, g int unsigned, h bigint, i bigint unsigned",
      "(-128,255,-32768,65535,-8388608,-2147483648,4294967295,-9223372036854775808,18446744073709551615)," +
        "('127','0','32767','0','8388607','2147483647','0','9223372036854775807','0')," +
        "(+1,1,1,1,1,1,1,9007199254740993,9007199254740993)",
    );
    expect(rows).toEqual([
      [
        -128,
        255,
        -32768,
        65535,
        -8388608,
        -2147483648,
        4294967295,
        -9223372036854775808n,
        18446744073709551615n,
      ],
      [127, 0, 32767, 0, 8388607, 2147483647, 0, 9223372036854775807n, 0n],
      [1, 1, 1, 1, 1, 1, 1, 9007199254740993n, 9007199254740993n],
    ]);
  });

  it("rejects text and out-of-range numbers in integer columns, naming table, column and offset", async () => {
    const e = await valueError("id int, n tinyint unsigned", "(1,2),(2,'abc')");
    expect(e.table).toBe("t");
    expect(e.message).toContain('column `n` (tinyint unsigned): not an integer: "abc"');
    expect(e.message).toMatch(/^test\.sql: table `t`, byte offset \d+: /);
    const dump = "CREATE TABLE t (id int, n tinyint unsigned);\nINSERT INTO t VALUES (1,2),(2,'abc');\n";
    expect(e.byteOffset).toBe(dump.indexOf("'abc'"));
    expect((await valueError("n tinyint unsigned", "(256)")).message).toContain("256 is out of range 0..255");
    expect((await valueError("n bigint unsigned", "(18446744073709551616)")).message).toContain(
      "out of range",
    );
    expect((await valueError("n bigint", "(-9223372036854775809)")).message).toContain("out of range");
    expect((await valueError("n int", "(1.5)")).message).toContain("not an integer");
    expect((await valueError("n int", "('')")).message).toContain('not an integer: ""');
    expect((await valueError("n int", "(0xZZ)")).message).toContain(
      "expected ',' or ')' after a value, found 'Z'",
    );
  });

  it("keeps decimals exact as written and reads floats as numbers", async () => {
    const rows = await rowsOf(
      "a decimal(29,9), b decimal(10,7), c decimal(5,0), d float, e double",
      "(12345678901234567890.123456789,-35.6895000,'42',3.4028235e38,-1.7976931348623157e308)," +
        "(-0.000000001,.5,0,1.5,'2.25'),(NULL,NULL,NULL,-0,5e-324)",
    );
    expect(rows).toEqual([
      ["12345678901234567890.123456789", "-35.6895000", "42", 3.4028235e38, -1.7976931348623157e308],
      ["-0.000000001", ".5", "0", 1.5, 2.25],
      [null, null, null, -0, 5e-324],
    ]);
    expect((await valueError("a decimal(5,2)", "('1,5')")).message).toContain("not a decimal number");
    expect((await valueError("a double", "('abc')")).message).toContain("not a number");
  });

  it("reads dates, datetimes with fractions, negative and long times, years; zero dates become NULL and are counted", async () => {
    const head =
      "CREATE TABLE t (d date, dt datetime(6), ts timestamp NULL, tm time(3), y year);\nINSERT INTO t VALUES ";
    const r = await readDumpAll(
      head +
        "('2026-01-31','2026-01-31 23:59:59.999999','1970-01-01 00:00:01','-838:59:59.000',2155)," +
        "('0000-00-00','0000-00-00 00:00:00','0000-00-00 00:00:00','838:59:59',0)," +
        "('2020-00-00','2020-01-00 12:00:00',NULL,'-00:00:01.5','1901')," +
        "('1000-01-01','9999-12-31 23:59:59',NULL,'00:00:00',NULL);\n",
    );
    expect(r.rows.t).toEqual([
      ["2026-01-31", "2026-01-31 23:59:59.999999", "1970-01-01 00:00:01", "-838:59:59.000", 2155],
      [null, null, null, "838:59:59", 0],
      [null, null, null, "-00:00:01.5", 1901],
      ["1000-01-01", "9999-12-31 23:59:59", null, "00:00:00", null],
    ]);
    expect(r.reading.stats.get("t")!.zeroDatesByColumn).toEqual({ d: 2, dt: 2, ts: 1 });
    expect((await valueError("d date", "('2026-1-31')")).message).toContain("not a date 'YYYY-MM-DD'");
    expect((await valueError("d date", "('2026-13-01')")).message).toContain("not a date");
    expect((await valueError("d datetime", "('2026-01-31 25:00')")).message).toContain("not a datetime");
    expect((await valueError("d time", "('12:5:00')")).message).toContain("not a time");
  });

  it("keeps text with NUL bytes, 4-byte UTF-8, Japanese and every escape", async () => {
    const rows = await rowsOf(
      "s text",
      "('a\\0b'),('😀 東京都新宿区 ｱｲｳ'),('\\'\\\"\\b\\n\\r\\t\\Z\\\\'),('50\\% off \\_x'),('\\q\\y'),('it''s'),(\"dq \"\" \\\" 'x'\"),('')",
    );
    expect(rows.map((r) => r[0])).toEqual([
      "a\0b",
      "😀 東京都新宿区 ｱｲｳ",
      "'\"\b\n\r\t\x1a\\",
      "50\\% off \\_x",
      "qy",
      "it's",
      "dq \" \" 'x'",
      "",
    ]);
  });

  it("reads character set introducers: _utf8mb4'..', _binary '..', _latin1 0x..", async () => {
    const rows = await rowsOf(
      "s varchar(9), b varbinary(9)",
      "(_utf8mb4'é',_binary 'a\\0'),(_utf8mb4 0xC3A9,_binary'')",
    );
    expect(rows).toEqual([
      ["é", new Uint8Array([0x61, 0])],
      ["é", new Uint8Array([])],
    ]);
  });

  it("reads binary columns from quoted raw bytes, hex literals (0x, X''), and bit literals", async () => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    // build the raw-bytes literal by hand: escapes as text, other bytes as themselves
    const parts: Buffer[] = [Buffer.from("('")];
    for (let i = 0; i < 256; i++) {
      const e = ESCAPES[i];
      parts.push(e ? Buffer.from(e) : Buffer.from([i]));
    }
    parts.push(Buffer.from(`'),(0x${all.toString("hex")}),(X'00ff'),(x''),(0xABC),(b'100000001'),('')`));
    const rows = await rowsOf("b blob", Buffer.concat(parts));
    expect(rows.map((r) => r[0])).toEqual([
      new Uint8Array(all),
      new Uint8Array(all),
      new Uint8Array([0, 255]),
      new Uint8Array([]),
      new Uint8Array([0x0a, 0xbc]),
      new Uint8Array([1, 1]),
      new Uint8Array([]),
    ]);
    expect(rows[0]![0]).toBeInstanceOf(Uint8Array);
    expect((await valueError("b blob", "(X'0G')")).message).toContain("bad hex digit");
  });

  it("reads BIT from b'..', 0x.., raw big-endian bytes and numbers as bigint", async () => {
    const rows = await rowsOf(
      "b bit(64)",
      "(b'1010'),(b''),(0x00FF),('\\0\\n'),(1),('\\Z'),(0xFFFFFFFFFFFFFFFF),(0b11)",
    );
    expect(rows.map((r) => r[0])).toEqual([10n, 0n, 255n, 10n, 1n, 26n, 18446744073709551615n, 3n]);
  });

  it("reads ENUM, SET and JSON as text", async () => {
    const rows = await rowsOf(
      "e enum('a','b'), s set('x','y'), j json",
      `('b','x,y','{\\"k\\": [1, \\"é\\", null], \\"s\\": \\"a\\\\\\\\b\\"}'),('','',NULL)`,
    );
    expect(rows).toEqual([
      ["b", "x,y", '{"k": [1, "é", null], "s": "a\\\\b"}'],
      ["", "", null],
    ]);
    expect(JSON.parse(rows[0]![2] as string)).toEqual({ k: [1, "é", null], s: "a\\b" });
  });

  it("accepts NULL in any case and for any kind", async () => {
    const rows = await rowsOf("a int, b blob, c bit(3), d date", "(NULL,null,Null,NULL)");
    expect(rows).toEqual([[null, null, null, null]]);
  });
});
