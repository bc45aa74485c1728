/**
 * Synthetic mysqldump text for tests and the reader benchmark: a realistic mix of tables
 * (mostly long text and blob rows, as in the production dump's auxiliary tables, plus a narrow
 * numeric table), written the way mysqldump writes them: extended INSERTs of about 1 MB,
 * escaped strings, optional `--hex-blob`. Deterministic for a given seed.
 */
import type { Value } from "./types.js";

export interface SyntheticDumpOptions {
  /** Approximate size of the SQL text to produce. */
  targetBytes: number;
  seed?: number;
  /** Blobs as 0x... literals instead of escaped strings. */
  hexBlob?: boolean;
  /** Bytes of tuples per INSERT statement (default 1 MiB, mysqldump's net_buffer_length); 0 = one row per INSERT. */
  insertBytes?: number;
  /** Called with each row as the reader should return it. */
  onRow?: (table: string, row: Value[]) => void;
}

/** Small seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ESCAPES: Record<number, string> = {
  0: "\\0",
  10: "\\n",
  13: "\\r",
  26: "\\Z",
  34: '\\"',
  39: "\\'",
  92: "\\\\",
};

/** A quoted SQL string literal of `bytes`, escaped as mysqldump does (mysql_real_escape_string). */
export function sqlQuote(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length * 2 + 2);
  let w = 0;
  out[w++] = 0x27;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const e = ESCAPES[c];
    if (e !== undefined) {
      out[w++] = 0x5c;
      out[w++] = e.charCodeAt(1);
    } else out[w++] = c;
  }
  out[w++] = 0x27;
  return out.subarray(0, w);
}

/** Words of the synthetic mail bodies: Japanese and English, an emoji, now and then a quote or a backslash. */
const WORDS = [
  "入居",
  "退去",
  "契約",
  "のお知らせ",
  "シェアハウス",
  "東京都新宿区",
  "ご確認ください",
  "お問い合わせ",
  "room",
  "rent",
  "payment",
  "notice",
  "Thank you",
  "please",
  "the",
  "of",
  "🏠",
];
const RARE_WORDS = ["it's", 'say "hi"', "C:\\path", "\t"];

const HEADER = `-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: pms
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
`;

const TABLES: { name: string; create: string; share: number }[] = [
  {
    name: "mail_logs",
    share: 0.45,
    create: `CREATE TABLE \`mail_logs\` (
  \`id\` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  \`tenant_id\` int(10) unsigned DEFAULT NULL,
  \`subject\` varchar(255) NOT NULL,
  \`body\` mediumtext DEFAULT NULL,
  \`sent_at\` datetime DEFAULT NULL,
  \`status\` tinyint(4) NOT NULL DEFAULT 0,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  },
  {
    name: "documents",
    share: 0.45,
    create: `CREATE TABLE \`documents\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT,
  \`name\` varchar(255) NOT NULL,
  \`content\` longblob DEFAULT NULL,
  \`created_at\` datetime NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  },
  {
    name: "movings",
    share: 0.1,
    create: `CREATE TABLE \`movings\` (
  \`id\` int(10) unsigned NOT NULL,
  \`tenant_id\` int(10) unsigned NOT NULL,
  \`rent\` int(11) NOT NULL,
  \`move_in_date\` date NOT NULL,
  \`moveout_date\` date DEFAULT NULL,
  \`latitude\` decimal(10,7) DEFAULT NULL,
  \`is_cancelled\` tinyint(1) NOT NULL DEFAULT 0,
  \`updated_at\` datetime NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  },
];

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Yields the dump as chunks of a statement or less. */
export function* syntheticDump(options: SyntheticDumpOptions): Generator<Buffer> {
  const rand = prng(options.seed ?? 1);
  const insertBytes = options.insertBytes ?? 1 << 20;
  const int = (n: number) => Math.floor(rand() * n);
  const date = () => `20${pad(15 + int(11))}-${pad(1 + int(12))}-${pad(1 + int(28))}`;
  const datetime = () => `${date()} ${pad(int(24))}:${pad(int(60))}:${pad(int(60))}`;
  /** Sentences of words, a line break (\r\n or \n) about every 60 bytes. */
  const text = (approx: number) => {
    const parts: string[] = [];
    let n = 0;
    let line = 0;
    while (n < approx) {
      const w = rand() < 0.02 ? RARE_WORDS[int(RARE_WORDS.length)]! : WORDS[int(WORDS.length)]!;
      parts.push(w);
      n += w.length + 1;
      line += w.length + 1;
      if (line > 40 + int(40)) {
        parts.push(rand() < 0.5 ? "。\r\n" : ".\n");
        line = 0;
      }
    }
    return parts.join(" ");
  };

  yield Buffer.from(HEADER);
  for (const table of TABLES) {
    const budget = options.targetBytes * table.share;
    yield Buffer.from(
      `\n--\n-- Table structure for table \`${table.name}\`\n--\n\nDROP TABLE IF EXISTS \`${table.name}\`;\n` +
        `/*!40101 SET @saved_cs_client     = @@character_set_client */;\n${table.create};\n\n` +
        `LOCK TABLES \`${table.name}\` WRITE;\n/*!40000 ALTER TABLE \`${table.name}\` DISABLE KEYS */;\n`,
    );
    let written = 0;
    let id = 0;
    let parts: Buffer[] = [];
    let statementBytes = 0;
    const prefix = Buffer.from(`INSERT INTO \`${table.name}\` VALUES `);
    const flush = () => {
      if (parts.length === 0) return;
      parts.push(Buffer.from(";\n"));
      const statement = Buffer.concat([prefix, ...parts]);
      written += statement.length;
      parts = [];
      statementBytes = 0;
      return statement;
    };
    while (written + statementBytes < budget) {
      id++;
      let tuple: Buffer;
      let row: Value[];
      if (table.name === "mail_logs") {
        const subject = text(20 + int(40));
        const body = rand() < 0.05 ? null : text(200 + int(3000));
        const sent = datetime();
        const status = int(5) - 1;
        row = [BigInt(id), 1 + int(12000), subject, body, sent, status];
        tuple = Buffer.concat([
          Buffer.from(`(${id},${row[1]},`),
          sqlQuote(Buffer.from(subject)),
          Buffer.from(","),
          body === null ? Buffer.from("NULL") : sqlQuote(Buffer.from(body)),
          Buffer.from(`,'${sent}',${status})`),
        ]);
      } else if (table.name === "documents") {
        const content = Buffer.allocUnsafe(500 + int(12000));
        for (let i = 0; i < content.length; i++) content[i] = int(256);
        const name = `doc_${id}_${text(8)}.pdf`;
        const created = datetime();
        row = [id, name, new Uint8Array(content), created];
        const blob = options.hexBlob ? Buffer.from(`0x${content.toString("hex")}`) : sqlQuote(content);
        tuple = Buffer.concat([
          Buffer.from(`(${id},`),
          sqlQuote(Buffer.from(name)),
          Buffer.from(","),
          blob,
          Buffer.from(`,'${created}')`),
        ]);
      } else {
        const moveIn = date();
        const moveOut = rand() < 0.6 ? null : date();
        const lat = rand() < 0.1 ? null : `35.${String(int(10_000_000)).padStart(7, "0")}`;
        const updated = datetime();
        row = [id, 1 + int(12000), 30000 + int(60000), moveIn, moveOut, lat, int(2), updated];
        tuple = Buffer.from(
          `(${id},${row[1]},${row[2]},'${moveIn}',${moveOut === null ? "NULL" : `'${moveOut}'`},${lat ?? "NULL"},${row[6]},'${updated}')`,
        );
      }
      options.onRow?.(table.name, row);
      if (parts.length > 0) parts.push(Buffer.from(","));
      parts.push(tuple);
      statementBytes += tuple.length + 1;
      if (statementBytes >= insertBytes) yield flush()!;
    }
    const last = flush();
    if (last) yield last;
    yield Buffer.from(`/*!40000 ALTER TABLE \`${table.name}\` ENABLE KEYS */;\nUNLOCK TABLES;\n`);
  }
  yield Buffer.from(
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n\n-- Dump completed on 2026-01-31  5:30:00\n",
  );
}
