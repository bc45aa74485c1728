import { describe, expect, it } from "vitest";
import { readDumpAll } from "../../test/support/read-dump-all.js";
import type { TableSchema } from "./types.js";

const CREATE_T = `CREATE TABLE \`t\` (
  \`id\` int(11) NOT NULL,
  \`name\` varchar(20) DEFAULT NULL,
  \`note\` text,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
`;

describe("reading mysqldump statements", () => {
  it("reads a MySQL 8 style dump: header, conditional comments, LOCK TABLES, one-line extended INSERT", async () => {
    const dump = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: db    Database: pms
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;
SET @@SESSION.SQL_LOG_BIN= 0;
SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'a1b2:1-5;x';

--
-- Table structure for table \`t\`
--

DROP TABLE IF EXISTS \`t\`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
${CREATE_T}/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES \`t\` WRITE;
/*!40000 ALTER TABLE \`t\` DISABLE KEYS */;
INSERT INTO \`t\` VALUES (1,'a',NULL),(2,'b;c','x'),(3,'(d)','it''s');
/*!40000 ALTER TABLE \`t\` ENABLE KEYS */;
UNLOCK TABLES;
SET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;

-- Dump completed on 2026-01-31  5:30:01
`;
    const r = await readDumpAll(dump);
    expect(r.tables.t!.columns.map((c) => [c.name, c.kind, c.nullable])).toEqual([
      ["id", "int32", false],
      ["name", "text", true],
      ["note", "text", true],
    ]);
    expect(r.rows.t).toEqual([
      [1, "a", null],
      [2, "b;c", "x"],
      [3, "(d)", "it's"],
    ]);
    expect(r.events.map((e) => e.type)).toEqual(["table", "rows"]);
    expect(r.reading.dumpCompleted()).toBe(true);
    expect(r.reading.stats.get("t")).toEqual({ rows: 3, zeroDatesByColumn: {} });
    const table = r.events[0]!;
    expect(table.byteOffset).toBe(Buffer.from(dump).indexOf("CREATE TABLE"));
  });

  it("reads MariaDB's multi-line extended INSERT and its sandbox comment", async () => {
    const dump = `/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n${CREATE_T}INSERT INTO \`t\` VALUES\n(1,'a','b'),\n(2,NULL,'c');\n`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([
      [1, "a", "b"],
      [2, null, "c"],
    ]);
    expect(r.reading.dumpCompleted()).toBe(false);
  });

  it("reads one-row INSERTs (--skip-extended-insert) into shared batches", async () => {
    const inserts = Array.from({ length: 10 }, (_, i) => `INSERT INTO \`t\` VALUES (${i},'n${i}',NULL);\n`);
    const r = await readDumpAll(CREATE_T + inserts.join(""), { batchRows: 4 });
    expect(r.rows.t).toHaveLength(10);
    expect(
      r.events.filter((e) => e.type === "rows").map((e) => (e.type === "rows" ? e.rows.length : 0)),
    ).toEqual([4, 4, 2]);
  });

  it("maps complete inserts (--complete-insert) to schema order, missing columns NULL", async () => {
    const dump = `${CREATE_T}INSERT INTO \`t\` (\`note\`, \`id\`) VALUES ('x',1),('y',2);\nINSERT INTO t (id,name,note) VALUES (3,'c','z');\n`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([
      [1, null, "x"],
      [2, null, "y"],
      [3, "c", "z"],
    ]);
  });

  it("reads INSERT IGNORE, REPLACE INTO, INSERT with priority modifiers, and a db-qualified name", async () => {
    const dump = `${CREATE_T}INSERT IGNORE INTO \`t\` VALUES (1,'a','b');\nREPLACE INTO \`t\` VALUES (2,'c','d');\nINSERT LOW_PRIORITY IGNORE INTO \`pms\`.\`t\` VALUES (3,'e','f');\nreplace t values (4,'g','h');\n`;
    const r = await readDumpAll(dump);
    expect(r.rows.t!.map((row) => row[0])).toEqual([1, 2, 3, 4]);
  });

  it("accepts --compact output (no comments, no LOCK TABLES) and statements spanning lines", async () => {
    const dump = `/*!40101 SET @saved_cs_client     = @@character_set_client */;\nCREATE TABLE t (id int NOT NULL, name varchar(9))\n  ENGINE=InnoDB;\nINSERT INTO t\n  VALUES\n  ( 1 , 'a' )\n  ,\n  (2,'b')\n  ;`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
  });

  it("skips -- and # comments, /* */ comments, and conditional comments around statements", async () => {
    const dump = `# a hash comment; with a semicolon
-- a dash comment; INSERT INTO nowhere VALUES (1);
/* a block comment; CREATE TABLE x (a int); */
/*!40101 SET NAMES utf8mb4 */;
--
${CREATE_T}/*!40000 INSERT INTO \`t\` VALUES (1,'a','b') */;
INSERT INTO t VALUES (2,'-- not a comment','/* nor this */');
`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([
      [1, "a", "b"],
      [2, "-- not a comment", "/* nor this */"],
    ]);
    expect(Object.keys(r.tables)).toEqual(["t"]);
  });

  it("skips views, their stand-in tables, triggers, routines and events, reporting each once", async () => {
    const dump = `${CREATE_T}
--
-- Temporary table structure for view \`v_old\` (mysqldump 5.7)
--
DROP TABLE IF EXISTS \`v_old\`;
/*!50001 DROP VIEW IF EXISTS \`v_old\`*/;
SET @saved_cs_client     = @@character_set_client;
/*!50001 CREATE TABLE \`v_old\` (
  \`id\` tinyint NOT NULL,
  \`name\` tinyint NOT NULL
) ENGINE=MyISAM */;
SET character_set_client = @saved_cs_client;

-- Temporary view structure for view \`v_new\` (MySQL 8, MariaDB)
/*!50001 DROP VIEW IF EXISTS \`v_new\`*/;
/*!50001 CREATE VIEW \`v_new\` AS SELECT
 1 AS \`id\` */;

INSERT INTO \`t\` VALUES (1,'a','b');
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER \`trg\` BEFORE INSERT ON \`t\` FOR EACH ROW BEGIN
  SET NEW.name = 'x;y';
  INSERT INTO t VALUES (99,'no','no');
END */;;
DELIMITER ;
DELIMITER ;;
CREATE DEFINER=\`root\`@\`localhost\` PROCEDURE \`p\`()
BEGIN SELECT 1; SELECT ';;'; END ;;
CREATE DEFINER=\`root\`@\`localhost\` FUNCTION \`f\`(x int) RETURNS int(11)
    DETERMINISTIC
RETURN x + 1 ;;
/*!50106 CREATE*/ /*!50117 DEFINER=\`root\`@\`localhost\`*/ /*!50106 EVENT \`ev\` ON SCHEDULE EVERY 1 DAY DO SELECT 1 */ ;;
DELIMITER ;

--
-- Final view structure for view \`v_old\`
--
/*!50001 DROP TABLE IF EXISTS \`v_old\`*/;
/*!50001 DROP VIEW IF EXISTS \`v_old\`*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER */
/*!50001 VIEW \`v_old\` AS select \`t\`.\`id\` AS \`id\` from \`t\` */;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER */
/*!50001 VIEW \`v_new\` AS select 1 AS \`id\` */;
INSERT INTO t VALUES (2,'c','d');
`;
    const r = await readDumpAll(dump);
    expect(Object.keys(r.tables)).toEqual(["t"]);
    expect(r.rows.t!.map((row) => row[0])).toEqual([1, 2]);
    expect(r.skipped).toEqual([
      "view:v_old",
      "view:v_new",
      "trigger:trg",
      "procedure:p",
      "function:f",
      "event:ev",
    ]);
    expect(r.reading.skipped.map((s) => s.kind)).toEqual([
      "view",
      "view",
      "trigger",
      "procedure",
      "function",
      "event",
    ]);
  });

  it("follows --databases: CREATE DATABASE and USE, tables keyed by table name", async () => {
    const dump = `CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`pms\` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\nUSE \`pms\`;\n${CREATE_T}INSERT INTO \`t\` VALUES (1,'a','b');\n`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([[1, "a", "b"]]);
    expect(r.reading.tables.get("t")?.columns).toHaveLength(3);
  });

  it("reads a schema-only dump (tables, no rows)", async () => {
    const r = await readDumpAll(CREATE_T + CREATE_T.replaceAll("`t`", "`u`"));
    expect(Object.keys(r.tables)).toEqual(["t", "u"]);
    expect(r.rows).toEqual({});
    expect(r.reading.stats.get("u")).toEqual({ rows: 0, zeroDatesByColumn: {} });
  });

  it("reads a data-only dump with the known schemas of staging", async () => {
    const known = new Map<string, TableSchema>([
      [
        "t",
        {
          name: "t",
          columns: [
            { name: "id", mysqlType: "int", kind: "int32", nullable: false },
            { name: "d", mysqlType: "date", kind: "date", nullable: true },
          ],
        },
      ],
    ]);
    const dump = `LOCK TABLES \`t\` WRITE;\nINSERT INTO \`t\` VALUES (1,'2026-01-31'),(2,'0000-00-00');\nUNLOCK TABLES;\n`;
    const r = await readDumpAll(dump, { knownSchemas: known });
    expect(r.events.map((e) => e.type)).toEqual(["rows"]);
    expect(r.rows.t).toEqual([
      [1, "2026-01-31"],
      [2, null],
    ]);
    expect(r.reading.stats.get("t")).toEqual({ rows: 2, zeroDatesByColumn: { d: 1 } });
  });

  it("reads only the tables asked for, passing over the others undecoded", async () => {
    const dump = `${CREATE_T}${CREATE_T.replaceAll("`t`", "`logs`")}INSERT INTO logs VALUES (1,'not;an;int','x\\';y'),(2,'a','b');\nINSERT INTO t VALUES (1,'a','b');\nINSERT INTO never_created VALUES ('garbage');\n`;
    const r = await readDumpAll(dump, { tables: ["t"] });
    expect(Object.keys(r.tables)).toEqual(["t"]);
    expect(r.rows).toEqual({ t: [[1, "a", "b"]] });
    const byPredicate = await readDumpAll(dump, { tables: (name) => name === "logs" });
    expect(Object.keys(byPredicate.rows)).toEqual(["logs"]);
  });

  it("handles DELIMITER with other delimiters and lower case", async () => {
    const dump = `${CREATE_T}delimiter $$\nINSERT INTO t VALUES (1,'a;b','c')$$\nDELIMITER ;\nINSERT INTO t VALUES (2,'d','e');\n`;
    const r = await readDumpAll(dump);
    expect(r.rows.t).toEqual([
      [1, "a;b", "c"],
      [2, "d", "e"],
    ]);
  });

  it("replaces a table created twice and accepts CREATE TABLE IF NOT EXISTS / OR REPLACE", async () => {
    const dump = `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t VALUES (1);\nCREATE OR REPLACE TABLE t (a int, b int);\nINSERT INTO t VALUES (2,3);\n`;
    const r = await readDumpAll(dump);
    expect(r.events.map((e) => e.type)).toEqual(["table", "rows", "table", "rows"]);
    expect(r.tables.t!.columns).toHaveLength(2);
    expect(r.rows.t).toEqual([[1], [2, 3]]);
  });

  it("reads a MySQL 8 CREATE TABLE with modern clauses, and unquoted names (--skip-quote-names)", async () => {
    const dump = `CREATE TABLE \`movings\` (
  \`id\` int unsigned NOT NULL AUTO_INCREMENT,
  \`code\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT (uuid()),
  \`name\` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL COMMENT 'name, with (parens)',
  \`price\` double(8,2) unsigned DEFAULT '0.00',
  \`flag\` tinyint(1) NOT NULL DEFAULT '0',
  \`loc\` point NOT NULL /*!80003 SRID 4326 */,
  \`hidden\` int DEFAULT NULL /*!80023 INVISIBLE */,
  \`total\` decimal(12,2) GENERATED ALWAYS AS ((\`price\` * 2)) STORED,
  \`updated_at\` datetime DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`code\` (\`code\`),
  KEY \`idx\` (\`name\`(10),\`flag\`) USING BTREE,
  SPATIAL KEY \`loc\` (\`loc\`),
  CONSTRAINT \`fk\` FOREIGN KEY (\`id\`) REFERENCES \`other\` (\`id\`) ON DELETE CASCADE,
  CONSTRAINT \`chk\` CHECK ((\`price\` >= 0))
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci
/*!50100 PARTITION BY RANGE (\`id\`)
(PARTITION p0 VALUES LESS THAN (10) ENGINE = InnoDB,
 PARTITION p1 VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */;
INSERT INTO \`movings\` (\`id\`, \`code\`, \`name\`, \`price\`, \`flag\`, \`loc\`, \`hidden\`, \`updated_at\`) VALUES (1,'a','b',1.50,1,_binary 'xy',7,'2026-01-31 00:00:00');
CREATE TABLE plain (id int(11) NOT NULL, note varchar(10) DEFAULT NULL) ENGINE=InnoDB;
INSERT INTO plain VALUES (1,'x'),(2,NULL);
`;
    const r = await readDumpAll(dump);
    const cols = r.tables.movings!.columns;
    expect(cols.map((c) => `${c.name}:${c.kind}:${c.nullable ? "null" : "not null"}`)).toEqual([
      "id:uint32:not null",
      "code:text:not null",
      "name:text:not null",
      "price:float64:null",
      "flag:int8:not null",
      "loc:binary:not null",
      "hidden:int32:null",
      "total:decimal:null",
      "updated_at:datetime:null",
    ]);
    expect(cols[3]!.mysqlType).toBe("double(8,2) unsigned");
    expect(r.rows.movings).toEqual([
      [1, "a", "b", 1.5, 1, new Uint8Array([0x78, 0x79]), 7, null, "2026-01-31 00:00:00"],
    ]);
    expect(r.rows.plain).toEqual([
      [1, "x"],
      [2, null],
    ]);
  });

  it("computes sha256 and byte counts of the input in the same pass", async () => {
    const dump = Buffer.from(`${CREATE_T}INSERT INTO t VALUES (1,'a','b');\n`);
    const r = await readDumpAll(dump);
    const { createHash } = await import("node:crypto");
    expect(r.reading.sha256()).toBe(createHash("sha256").update(dump).digest("hex"));
    expect(r.reading.bytesRead()).toBe(dump.length);
    expect(r.reading.sqlBytesRead()).toBe(dump.length);
    expect(r.reading.gzipped()).toBe(false);
  });
});
