import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mariadbAvailable,
  requireServer,
  startMariaDb,
  type MariaDbServer,
} from "../../test/support/mariadb.js";
import { readDumpAll, type ReadAllResult } from "../../test/support/read-dump-all.js";
import type { ColumnDef, TableSchema, Value } from "./types.js";

const available = requireServer("MariaDB (mariadbd, mariadb-dump)", mariadbAvailable());

const hex = (b: Buffer | string) => `X'${Buffer.from(b).toString("hex")}'`;
const txt = (s: string) => `CONVERT(${hex(s)} USING utf8mb4)`;
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const TEXT = "a\0b 😀 東京都新宿区 ｶﾀｶﾅ 'single' \"double\" back\\slash\nnew\r\nline\ttab \x1a %_ end";

/** One column per line. */
const COLUMNS = `
  id int unsigned NOT NULL PRIMARY KEY,
  i8 tinyint,
  u8 tinyint unsigned,
  i16 smallint,
  u16 smallint unsigned,
  i24 mediumint,
  u24 mediumint unsigned,
  i32 int,
  u32 int unsigned,
  i64 bigint,
  u64 bigint unsigned,
  dec1 decimal(29,9),
  dec2 decimal(10,7),
  f float,
  d double,
  dt date,
  dtm datetime(6),
  ts timestamp(3) NULL DEFAULT NULL,
  tm time(6),
  y year,
  c char(10),
  vc varchar(255),
  tx text,
  mt mediumtext,
  bn binary(4),
  vb varbinary(300),
  bl blob,
  lb longblob,
  bt1 bit(1),
  bt64 bit(64),
  bt10 bit(10),
  e enum('a','b','ç'),
  s set('x','y','z'),
  j json`;
const NAMES = COLUMNS.trim()
  .split("\n")
  .map((line) => line.trim().split(" ")[0]!);

/** Edge rows, one object per row: column -> SQL expression (missing columns NULL). */
const ROWS: Record<string, string | number>[] = [
  {
    id: 1,
    i8: -128,
    u8: 0,
    i16: -32768,
    u16: 0,
    i24: -8388608,
    u24: 0,
    i32: -2147483648,
    u32: 0,
    i64: "-9223372036854775808",
    u64: 0,
    dec1: "-99999999999999999999.999999999",
    dec2: "-999.9999999",
    f: "-3.40282e38",
    d: "-1.7976931348623157e308",
    dt: "'1000-01-01'",
    dtm: "'1000-01-01 00:00:00'",
    ts: "'1970-01-01 00:00:01'",
    tm: "'-838:59:59'",
    y: 1901,
    c: "''",
    vc: txt(TEXT),
    tx: "''",
    mt: txt("x"),
    bn: "X'00000000'",
    vb: hex(ALL_BYTES),
    bl: hex(Buffer.concat([ALL_BYTES, ALL_BYTES, ALL_BYTES])),
    lb: "''",
    bt1: "b'0'",
    bt64: "b'0'",
    bt10: "b'0'",
    e: "'a'",
    s: "''",
    j: "'{}'",
  },
  {
    id: 2,
    i8: 127,
    u8: 255,
    i16: 32767,
    u16: 65535,
    i24: 8388607,
    u24: 16777215,
    i32: 2147483647,
    u32: 4294967295,
    i64: "9223372036854775807",
    u64: "18446744073709551615",
    dec1: "12345678901234567890.123456789",
    dec2: "35.6895000",
    f: "3.14",
    d: "2.718281828459045",
    dt: "'9999-12-31'",
    dtm: "'9999-12-31 23:59:59.999999'",
    ts: "'2038-01-19 03:14:07.999'",
    tm: "'838:59:59'",
    y: 2155,
    c: txt("東京"),
    vc: txt("😀".repeat(60)),
    tx: txt(TEXT.repeat(200)),
    mt: txt("日本語".repeat(5000)),
    bn: "X'FFFFFFFF'",
    vb: "X'00'",
    bl: hex(Buffer.alloc(70_000, 0x27)),
    lb: hex(Buffer.concat(Array.from({ length: 2000 }, () => ALL_BYTES))),
    bt1: "b'1'",
    bt64: "0xFFFFFFFFFFFFFFFF",
    bt10: "b'1111111111'",
    e: `${txt("ç")}`,
    s: "'x,y,z'",
    j: txt('{"k": [1, "é", null, "😀"], "s": "a\\\\b \\"q\\" \\n", "n": 1.5e300}'),
  },
  {
    id: 3,
    dt: "'0000-00-00'",
    dtm: "'0000-00-00 00:00:00'",
    ts: "'0000-00-00 00:00:00'",
    tm: "'-00:00:00.000001'",
    y: 0,
    i64: 0,
    u64: "9007199254740993",
    dec1: 0,
    vc: txt("NULL"),
    tx: txt("\\N"),
  },
  { id: 4, dt: "'2020-00-00'", dtm: "'2020-01-00 10:00:00'", tm: "'00:00:00'", vc: txt("") },
  { id: 5 },
];

/** What the reader should return for a column, from the text the server gives for the expression of `selectExpr`. */
function selectExpr(c: ColumnDef): string {
  return c.kind === "text" || c.kind === "json" || c.kind === "binary"
    ? `HEX(\`${c.name}\`)`
    : c.kind === "bit"
      ? `\`${c.name}\` + 0`
      : `\`${c.name}\``;
}

function expectedValue(c: ColumnDef, text: string, isNull: boolean): Value {
  if (isNull) return null;
  switch (c.kind) {
    case "int64":
    case "uint64":
    case "bit":
      return BigInt(text);
    case "decimal":
    case "time":
      return text;
    case "date":
    case "datetime":
      return /^\d{4}-(00-|\d\d-00)/.test(text) ? null : text;
    case "text":
    case "json":
      return Buffer.from(text, "hex").toString("utf8");
    case "binary":
      return new Uint8Array(Buffer.from(text, "hex"));
    default:
      return Number(text);
  }
}

/** JSON.stringify replacer keeping bigint and bytes distinct from numbers and strings. */
function jsonable(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("hex")}`;
  return value;
}

describe.skipIf(!available)("reading real mariadb-dump output", () => {
  let db: MariaDbServer;
  let schema: TableSchema;
  let expected: Value[][];
  let dir: string;

  beforeAll(async () => {
    db = await startMariaDb();
    dir = mkdtempSync(join(tmpdir(), "tkb-reader-"));
    const names = NAMES;
    const inserts = ROWS.map(
      (row) =>
        `INSERT INTO kinds (${names.join(",")}) VALUES (${names.map((n) => row[n] ?? "NULL").join(",")});`,
    );
    await db.sql(`
      SET SESSION sql_mode = '';
      CREATE DATABASE pms CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
      USE pms;
      CREATE TABLE kinds (${COLUMNS}) ENGINE=InnoDB;
      ${inserts.join("\n")}
      INSERT INTO kinds (id, i32, vc, bl, dtm, tm, u64, dec2)
        SELECT 100 + seq, seq * 7, CONCAT('行', seq, REPEAT('\\'x\\\\', seq % 5)),
               REPEAT(UNHEX(SHA2(seq, 512)), seq % 20), '2026-01-31 05:30:00', SEC_TO_TIME(seq * 3671),
               seq * 1000000007, seq / 7
        FROM seq_1_to_300;
      CREATE TABLE \`select\` (\`key\` int NOT NULL, \`order\` varchar(10), PRIMARY KEY (\`key\`));
      INSERT INTO \`select\` VALUES (1, 'a'), (2, NULL);
      CREATE VIEW v_kinds AS SELECT id, vc FROM kinds;
      CREATE TRIGGER trg BEFORE INSERT ON kinds FOR EACH ROW SET NEW.c = NEW.c;
      DELIMITER ;;
      CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';'; END;;
      DELIMITER ;
    `);
    // the schema as the reader sees it, then the server's own rendering of every value
    const r = await readDumpAll(await db.dump("pms", ["--no-data"]));
    schema = r.tables.kinds!;
    const out = await db.sql(`SELECT ${schema.columns.map(selectExpr).join(", ")} FROM kinds ORDER BY id`, {
      database: "pms",
      raw: true,
    });
    expected = out
      .trimEnd()
      .split("\n")
      .map((line) =>
        line.split("\t").map((field, i) => expectedValue(schema.columns[i]!, field, field === "NULL")),
      );
    expect(expected).toHaveLength(ROWS.length + 300);
    // the expectations themselves are what the rows were written with
    const row = (id: number) => expected.find((r) => r[0] === id)!;
    const at = (id: number, name: string) => row(id)[NAMES.indexOf(name)];
    expect(at(1, "vc")).toBe(TEXT);
    expect(at(1, "vb")).toEqual(new Uint8Array(ALL_BYTES));
    expect(at(1, "i64")).toBe(-9223372036854775808n);
    expect(at(2, "u64")).toBe(18446744073709551615n);
    expect(at(2, "bt64")).toBe(18446744073709551615n);
    expect(at(2, "dec1")).toBe("12345678901234567890.123456789");
    expect(at(1, "tm")).toBe("-838:59:59.000000");
    expect(at(2, "tm")).toBe("838:59:59.000000");
    expect(at(3, "dt")).toBeNull();
    expect(at(4, "dtm")).toBeNull();
    expect(at(2, "e")).toBe("ç");
    expect(at(3, "vc")).toBe("NULL");
    expect(
      row(5)
        .slice(1)
        .every((v) => v === null),
    ).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Reads a dump fed in chunks of 4000 bytes. */
  async function read(dump: Buffer, options: Parameters<typeof readDumpAll>[1] = {}): Promise<ReadAllResult> {
    const chunks: Buffer[] = [];
    for (let i = 0; i < dump.length; i += 4000) chunks.push(dump.subarray(i, i + 4000));
    return readDumpAll(chunks, options);
  }

  function expectAllValues(r: ReadAllResult) {
    const rows = r.rows.kinds!;
    expect(rows).toHaveLength(expected.length);
    for (let i = 0; i < rows.length; i++) {
      // compare row by row (fast as JSON; with toEqual for a readable failure)
      if (JSON.stringify(rows[i], jsonable) !== JSON.stringify(expected[i], jsonable)) {
        expect(rows[i], `row with id ${String(expected[i]![0])}`).toEqual(expected[i]);
      }
    }
    expect(r.rows.select).toEqual([
      [1, "a"],
      [2, null],
    ]);
    expect(r.reading.stats.get("kinds")!.zeroDatesByColumn).toEqual({ dt: 2, dtm: 2, ts: 1 });
    expect(r.reading.stats.get("kinds")!.rows).toBe(expected.length);
  }

  it("maps every column type of the CREATE TABLE mariadb-dump writes", () => {
    const kinds = Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({
      i8: "int8",
      u8: "uint8",
      u24: "uint32",
      i64: "int64",
      u64: "uint64",
      dec1: "decimal",
      f: "float32",
      d: "float64",
      dtm: "datetime",
      ts: "datetime",
      tm: "time",
      y: "int16",
      mt: "text",
      bn: "binary",
      lb: "binary",
      bt64: "bit",
      e: "text",
      j: "json",
    });
    expect(schema.columns.find((c) => c.name === "id")).toMatchObject({
      mysqlType: "int(10) unsigned",
      nullable: false,
    });
  });

  const optionSets: [string, string[]][] = [
    ["default (--opt)", []],
    ["--skip-extended-insert", ["--skip-extended-insert"]],
    ["--complete-insert", ["--complete-insert"]],
    ["--hex-blob", ["--hex-blob"]],
    ["--compact", ["--compact"]],
    ["--skip-opt", ["--skip-opt"]],
    ["--insert-ignore", ["--insert-ignore"]],
    ["--replace", ["--replace"]],
    ["--routines --events and small INSERTs", ["--routines", "--events", "--net-buffer-length=4096"]],
    [
      "--hex-blob --complete-insert --skip-extended-insert",
      ["--hex-blob", "--complete-insert", "--skip-extended-insert"],
    ],
    ["--skip-comments --skip-dump-date --tz-utc", ["--skip-comments", "--skip-dump-date", "--tz-utc"]],
  ];

  for (const [label, args] of optionSets) {
    it(`reads every value of a ${label} dump as the server has it`, async () => {
      const dump = await db.dump("pms", args);
      const r = await read(dump);
      expectAllValues(r);
      expect(Object.keys(r.tables).sort()).toEqual(["kinds", "select"]);
      expect(r.skipped).toContain("view:v_kinds");
      expect(r.skipped).toContain("trigger:trg");
      if (args.includes("--routines")) expect(r.skipped).toContain("procedure:p");
      expect(r.reading.dumpCompleted()).toBe(
        !args.includes("--compact") && !args.includes("--skip-comments"),
      );
    });
  }

  it("reads a --databases dump (CREATE DATABASE, USE) and its gzip", async () => {
    const dump = await db.dump("pms", ["--databases"]);
    expect(dump.toString("latin1")).toContain("USE `pms`;");
    const r = await read(dump);
    expectAllValues(r);
    expect(r.reading.gzipped()).toBe(false);
    const gz = await read(gzipSync(dump));
    expect(gz.reading.gzipped()).toBe(true);
    expectAllValues(gz);
  });

  it("reads a --no-data dump and then a --no-create-info dump against its schemas", async () => {
    const ddl = await read(await db.dump("pms", ["--no-data"]));
    expect(ddl.rows).toEqual({});
    const known = new Map(Object.entries(ddl.tables));
    const data = await db.dump("pms", ["--no-create-info"]);
    expect(data.toString("latin1")).not.toContain("CREATE TABLE");
    const r = await read(data, { knownSchemas: known });
    expect(Object.keys(r.tables)).toEqual([]);
    expectAllValues(r);
    const withoutSchemas = await read(data).catch((e: Error) => e);
    expect(String(withoutSchemas)).toContain("which the dump does not create");
  });

  it("reads a dump of selected tables only", async () => {
    const r = await read(await db.dump("pms", []), { tables: ["select"] });
    expect(Object.keys(r.rows)).toEqual(["select"]);
  });

  it("round-trips through importFile (the test server helper)", async () => {
    const path = join(dir, "pms.sql");
    writeFileSync(path, await db.dump("pms", ["--hex-blob"]));
    await db.sql("CREATE DATABASE copy");
    await db.importFile(path, "copy");
    const count = await db.sql(
      "SELECT COUNT(*), SUM(LENGTH(lb)), MAX(HEX(vb)) = (SELECT MAX(HEX(vb)) FROM pms.kinds) FROM kinds",
      {
        database: "copy",
      },
    );
    expect(count.trim()).toBe(`${ROWS.length + 300}\t512000\t1`);
  });
});
