/**
 * The 75 tables analytics does not read but every dump carries: masters, logs with long
 * text, mail history and documents with binary blobs. They make up most of a production
 * dump's bytes (--aux-mb) and exercise the MySQL types the core tables do not use.
 *
 * Content is drawn from pools of pre-escaped fragments with a per-table random stream, so a
 * row's text is the same in every dump and generating hundreds of MB stays fast.
 */
import { dayParts } from "../calendar/business-date.js";
import { CALIBRATION_DAY } from "./calibration.js";
import type { RenderedRow } from "./mysqldump-writer.js";
import { Random } from "./random.js";
import { escapeSqlString, formatDateTime, sqlBinary } from "./sql-literal.js";

type Gen =
  | "int"
  | "smallint"
  | "tinyint"
  | "bigu"
  | "dec"
  | "float"
  | "double"
  | "date"
  | "datetime"
  | "ts6"
  | "time"
  | "year"
  | "enum"
  | "set"
  | "json"
  | "bit"
  | "bin16"
  | "short"
  | "text"
  | "blob";

const DDL: Record<Gen, string> = {
  int: "int unsigned DEFAULT NULL",
  smallint: "smallint unsigned NOT NULL DEFAULT '0'",
  tinyint: "tinyint NOT NULL DEFAULT '0'",
  bigu: "bigint unsigned NOT NULL",
  dec: "decimal(12,2) DEFAULT NULL",
  float: "float DEFAULT NULL",
  double: "double DEFAULT NULL",
  date: "date DEFAULT NULL",
  datetime: "datetime DEFAULT NULL",
  ts6: "timestamp(6) NULL DEFAULT NULL",
  time: "time DEFAULT NULL",
  year: "year DEFAULT NULL",
  enum: "enum('draft','active','archived') NOT NULL DEFAULT 'draft'",
  set: "set('mail','sms','push','line') DEFAULT NULL",
  json: "json DEFAULT NULL",
  bit: "bit(8) DEFAULT NULL",
  bin16: "binary(16) DEFAULT NULL",
  short: "varchar(255) DEFAULT NULL",
  text: "mediumtext",
  blob: "longblob",
};

interface AuxTable {
  name: string;
  columns: [string, Gen][];
  /** Share of the --aux-mb budget (large tables); 0 for masters. */
  budgetShare: number;
  /** Row count for masters. */
  rows: number;
}

const LARGE: AuxTable[] = [
  large("access_logs", 0.24, [
    ["user_id", "int"],
    ["path", "short"],
    ["message", "text"],
    ["logged_at", "datetime"],
  ]),
  large("operation_logs", 0.12, [
    ["staff_id", "int"],
    ["action", "short"],
    ["detail", "text"],
    ["logged_at", "datetime"],
  ]),
  large("mail_histories", 0.2, [
    ["tenant_id", "int"],
    ["subject", "short"],
    ["body", "text"],
    ["channels", "set"],
    ["sent_at", "datetime"],
  ]),
  large("documents", 0.16, [
    ["moving_id", "int"],
    ["file_name", "short"],
    ["content", "blob"],
    ["uploaded_at", "datetime"],
  ]),
  large("contract_documents", 0.1, [
    ["moving_id", "int"],
    ["version", "smallint"],
    ["pdf", "blob"],
    ["signed_at", "ts6"],
  ]),
  large("api_request_logs", 0.08, [
    ["request_id", "bin16"],
    ["endpoint", "short"],
    ["payload", "json"],
    ["took_ms", "double"],
    ["at", "ts6"],
  ]),
  large("sms_histories", 0.05, [
    ["tenant_id", "int"],
    ["body", "text"],
    ["sent_at", "datetime"],
  ]),
  large("audit_trails", 0.05, [
    ["table_name", "short"],
    ["record_id", "bigu"],
    ["diff", "json"],
    ["at", "datetime"],
  ]),
];

const MASTER_NAMES = [
  "staff",
  "staff_roles",
  "roles",
  "permissions",
  "role_permissions",
  "departments",
  "branches",
  "equipment",
  "equipment_types",
  "room_equipment",
  "room_features",
  "feature_types",
  "facilities",
  "apartment_facilities",
  "parking_lots",
  "bicycle_parking",
  "key_boxes",
  "room_keys",
  "cleaning_schedules",
  "cleaning_vendors",
  "repair_requests",
  "repair_vendors",
  "inspections",
  "inspection_items",
  "notices",
  "notice_reads",
  "campaigns",
  "campaign_codes",
  "referral_codes",
  "agents",
  "agent_contacts",
  "channels",
  "inquiry_sources",
  "payment_methods",
  "bank_accounts",
  "invoices",
  "invoice_items",
  "deposits",
  "deposit_refunds",
  "penalties",
  "insurance_policies",
  "insurance_companies",
  "guarantor_companies",
  "visa_types",
  "schools",
  "companies",
  "corporate_contracts",
  "contract_templates",
  "document_types",
  "mail_templates",
  "sms_templates",
  "system_settings",
  "sync_cursors",
  "api_tokens",
  "meter_readings",
  "utility_bills",
  "shift_schedules",
  "holidays",
  "tags",
  "taggables",
  "memos",
  "attachments",
  "calendar_events",
  "webhooks",
  "migrations",
  "job_batches",
  "failed_jobs",
];

/** Each master mixes a few column types so that every MySQL type family appears somewhere. */
const MASTER_SHAPES: [string, Gen][][] = [
  [
    ["name", "short"],
    ["status", "enum"],
    ["amount", "dec"],
    ["valid_from", "date"],
  ],
  [
    ["label", "short"],
    ["settings", "json"],
    ["flags", "bit"],
    ["since", "year"],
  ],
  [
    ["code", "short"],
    ["token", "bin16"],
    ["cursor_value", "bigu"],
    ["synced_at", "ts6"],
  ],
  [
    ["title", "short"],
    ["starts_at", "time"],
    ["reading", "double"],
    ["ratio", "float"],
  ],
  [
    ["note", "short"],
    ["priority", "tinyint"],
    ["channels", "set"],
    ["done_at", "datetime"],
  ],
];

function large(name: string, budgetShare: number, columns: [string, Gen][]): AuxTable {
  return { name, columns, budgetShare, rows: 0 };
}

export const AUXILIARY_TABLES: AuxTable[] = [
  ...LARGE,
  ...MASTER_NAMES.map((name, i) => ({
    name,
    columns: MASTER_SHAPES[i % MASTER_SHAPES.length]!,
    budgetShare: 0,
    rows: 12 + ((i * 37) % 180),
  })),
];

const TEXT_FRAGMENTS = [
  "入居者様より設備の不具合について連絡がありました。",
  'Tenant asked about the "late fee" policy; explained per contract §7.',
  "鍵の受け渡し完了 🔑 次回点検は来月予定です。",
  "Path C:\\Users\\staff\\exports\\report.csv was re-generated.",
  "It's the tenant's second request this month — follow up.\n",
  "ご確認のほどよろしくお願いいたします。\r\n",
  "Wi-Fi ルーター交換済み (model: AX3000) 👍",
  "Line1\nLine2\tTabbed\n",
  '退去立会いの日程調整中。"至急" との要望あり。',
  "Payment received via bank transfer ✅ ref#A1B2C3",
  "ゴミ出しルールの案内を多言語で送付しました 🇯🇵🇺🇸🇨🇳",
  "Escalated to area manager; no further action required.",
  "控え: 'お客様番号' 欄の記入漏れ\\再送依頼",
  "Ctrl-Z char here:\u001a end",
  "NUL byte here:\u0000 end",
];

const ESCAPED_FRAGMENTS = TEXT_FRAGMENTS.map(escapeSqlString);
/** Short values are cut by code point before escaping, so no escape or emoji is split. */
const SHORT_FRAGMENTS = TEXT_FRAGMENTS.map((f) => escapeSqlString(Array.from(f).slice(0, 40).join("")));

const BLOB_CHUNKS: Buffer[] = (() => {
  const rng = new Random(0x5eed, 7);
  const chunks: Buffer[] = [];
  for (let i = 0; i < 32; i++) {
    const bytes = Buffer.alloc(1024);
    for (let j = 0; j < bytes.length; j++) bytes[j] = rng.int(0, 255);
    chunks.push(sqlBinary(bytes).subarray("_binary '".length, -1));
  }
  return chunks;
})();

const BLOB_OPEN = Buffer.from("_binary '", "latin1");
const QUOTE = Buffer.from("'", "latin1");

/** Renders one column value; text columns return escaped SQL, blobs return bytes. */
function value(gen: Gen, rng: Random, id: number, day: number): string | Buffer {
  switch (gen) {
    case "int":
      return String(rng.int(1, 50_000));
    case "smallint":
      return String(rng.int(0, 65535));
    case "tinyint":
      return String(rng.int(-128, 127));
    case "bigu":
      return (BigInt(rng.next32()) * 4294967296n + BigInt(rng.next32())).toString();
    case "dec":
      return rng.chance(0.1) ? "NULL" : (rng.int(-99_999_999, 999_999_999) / 100).toFixed(2);
    case "float":
      return String(Number(Math.fround(rng.normal(20, 5)).toPrecision(6)));
    case "double":
      return String(rng.normal(120, 40));
    case "date":
      return `'${formatDateTime((day - rng.int(0, 900)) * 1440).slice(0, 10)}'`;
    case "datetime":
      return rng.chance(0.01)
        ? "'0000-00-00 00:00:00'"
        : `'${formatDateTime((day - 1) * 1440 - rng.int(0, 500_000), id % 60)}'`;
    case "ts6":
      return `'${formatDateTime((day - 1) * 1440 - rng.int(0, 500_000), id % 60)}.${String(rng.int(0, 999_999)).padStart(6, "0")}'`;
    case "time":
      return rng.chance(0.1)
        ? `'-${rng.int(0, 838)}:${rng.int(10, 59)}:00'`
        : `'${rng.int(0, 120)}:${rng.int(10, 59)}:${rng.int(10, 59)}'`;
    case "year":
      return String(rng.int(1990, 2026));
    case "enum":
      return `'${rng.pick(["draft", "active", "archived"])}'`;
    case "set":
      return `'${rng.pick(["", "mail", "mail,sms", "push,line", "mail,sms,push,line"])}'`;
    case "json":
      return `'{\\"id\\": ${id}, \\"tags\\": [\\"${rng.pick(["a", "b"])}\\", \\"日本\\"], \\"ok\\": ${rng.chance(0.5)}}'`;
    case "bit":
      return `_binary '${escapeSqlString(String.fromCharCode(rng.int(32, 126)))}'`;
    case "bin16": {
      const bytes = Buffer.alloc(16);
      for (let i = 0; i < 16; i++) bytes[i] = rng.int(0, 255);
      return sqlBinary(bytes);
    }
    case "short":
      return `'${SHORT_FRAGMENTS[rng.int(0, SHORT_FRAGMENTS.length - 1)]!}'`;
    case "text": {
      const parts: string[] = [];
      const n = rng.int(2, 14);
      for (let i = 0; i < n; i++) parts.push(ESCAPED_FRAGMENTS[rng.int(0, ESCAPED_FRAGMENTS.length - 1)]!);
      return `'${parts.join(" ")}'`;
    }
    case "blob": {
      const parts: Buffer[] = [BLOB_OPEN];
      const n = rng.int(1, 12);
      for (let i = 0; i < n; i++) parts.push(BLOB_CHUNKS[rng.int(0, BLOB_CHUNKS.length - 1)]!);
      parts.push(QUOTE);
      return Buffer.concat(parts);
    }
  }
}

function renderRow(table: AuxTable, rng: Random, id: number, day: number): RenderedRow {
  const values = table.columns.map(([, gen]) => value(gen, rng, id, day));
  const created = `'${formatDateTime((day - 2) * 1440 - ((id * 7919) % 600_000), id % 60)}'`;
  if (values.every((v) => typeof v === "string")) return `(${id},${values.join(",")},${created})`;
  const parts = values.map((v) => (typeof v === "string" ? Buffer.from(v, "utf8") : v));
  return Buffer.concat([
    Buffer.from(`(${id},`),
    ...parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(","), p])),
    Buffer.from(`,${created})`),
  ]);
}

export function auxiliaryCreateTable(table: AuxTable, nextId: number): string {
  const lines = [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    ...table.columns.map(([name, gen]) => `\`${name}\` ${DDL[gen]}`),
    "`created_at` datetime NOT NULL",
    "PRIMARY KEY (`id`)",
  ];
  return (
    `CREATE TABLE \`${table.name}\` (\n  ${lines.join(",\n  ")}\n) ` +
    `ENGINE=InnoDB AUTO_INCREMENT=${nextId} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`
  );
}

/** How many rows a table has in the dump of `day`: logs grow slowly over time. */
export function auxiliaryRowCount(table: AuxTable, auxBytes: number, day: number, seed: number): number {
  if (table.budgetShare === 0) return table.rows;
  const growth = Math.max(0.5, 1 + (day - CALIBRATION_DAY) / 3650);
  return Math.max(1, Math.round(((auxBytes * table.budgetShare) / averageRowBytes(table, seed)) * growth));
}

const averageCache = new Map<string, number>();

function averageRowBytes(table: AuxTable, seed: number): number {
  const key = `${table.name}:${seed}`;
  const cached = averageCache.get(key);
  if (cached !== undefined) return cached;
  const rng = tableRandom(table, seed);
  let total = 0;
  const sample = 200;
  for (let id = 1; id <= sample; id++) {
    const row = renderRow(table, rng, id, CALIBRATION_DAY);
    total += typeof row === "string" ? Buffer.byteLength(row) : row.length;
  }
  averageCache.set(key, total / sample);
  return total / sample;
}

function tableRandom(table: AuxTable, seed: number): Random {
  return new Random(seed).fork(`aux:${table.name}`);
}

/** The rows of one auxiliary table in the dump of `day` (same row ids give the same text). */
export function* auxiliaryRows(
  table: AuxTable,
  count: number,
  day: number,
  seed: number,
): Iterable<RenderedRow> {
  const rng = tableRandom(table, seed);
  // Dates inside rows move with the dump day only by month, so a row's bytes rarely change.
  const anchor = day - dayParts(day).dayOfMonth + 1;
  for (let id = 1; id <= count; id++) yield renderRow(table, rng, id, anchor);
}

export type { AuxTable };
