/**
 * Small hand-written PMS dumps for tests with known answers: rows are given as plain objects
 * per core table, written as real mysqldump text with the demo's writer and core DDL, and
 * loaded through the ordinary ingestion path.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CORE_TABLE_COLUMNS, type CoreTableName } from "../../src/demo/core-tables.js";
import { DumpSink } from "../../src/demo/dump-sink.js";
import { MysqldumpWriter } from "../../src/demo/mysqldump-writer.js";
import { sqlString } from "../../src/demo/sql-literal.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export type FixtureRow = Record<string, string | number | null>;
export type FixtureTables = Partial<Record<CoreTableName, FixtureRow[]>>;

const COLUMN = /^`([a-z_]+)` /;

function columnsOf(table: CoreTableName): string[] {
  return CORE_TABLE_COLUMNS[table]
    .map((line) => COLUMN.exec(line)?.[1])
    .filter((c): c is string => Boolean(c));
}

const DEFAULTS: Record<string, string | number | null> = {
  created_at: "2020-01-01 00:00:00",
  updated_at: "2020-01-01 00:00:00",
};

function literal(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  return typeof value === "number" ? String(value) : sqlString(value);
}

/** Writes one dump holding the given tables (every core table is created, empty when not given). */
export async function writeFixtureDump(file: string, tables: FixtureTables): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const sink = new DumpSink(file, { gzip: false });
  const writer = new MysqldumpWriter(sink);
  writer.header({ host: "fixture-host", database: "gghouse", serverVersion: "8.0.36" });
  for (const name of Object.keys(CORE_TABLE_COLUMNS) as CoreTableName[]) {
    const columns = columnsOf(name);
    const ddl = `CREATE TABLE \`${name}\` (\n  ${CORE_TABLE_COLUMNS[name].join(",\n  ")}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
    const rows = (tables[name] ?? []).map(
      (row) => `(${columns.map((c) => literal(c in row ? row[c] : (DEFAULTS[c] ?? null))).join(",")})`,
    );
    await writer.table(name, ddl, rows);
  }
  writer.footer("2026-01-01  5:30:00");
  await sink.close();
}

/** Writes a dated dump and its manifest into a store folder, as the upstream job would. */
export async function writeFixtureDay(
  store: string,
  date: string,
  tables: FixtureTables,
  source = { host: "fixture-host", database: "gghouse" },
): Promise<void> {
  const compact = date.replace(/-/g, "");
  const file = path.join(store, "dumps", `gghouse_${compact}.sql`);
  await writeFixtureDump(file, tables);
  mkdirSync(path.join(store, "dumps-manifest"), { recursive: true });
  const manifest = {
    source_host: source.host,
    source_database: source.database,
    run_id: `fixture-${compact}`,
    dump_sha256: createHash("sha256").update(readFileSync(file)).digest("hex"),
    valid_for_etl: true,
    max_updated_at_by_table: { tenants: `${date}T00:00:00+09:00` },
  };
  writeFileSync(path.join(store, "dumps-manifest", `gghouse_${compact}.json`), JSON.stringify(manifest));
  writeFileSync(
    path.join(store, "source.json"),
    JSON.stringify({ source_host: source.host, source_database: source.database }),
  );
}

/**
 * A `movings` row of building 1 with plain defaults (a contract applied 2025-01-01, moved in
 * 2025-01-10, no move-out, not cancelled); `fields` override any column.
 */
export function fixtureMoving(
  id: number,
  tenantId: number,
  roomId: number,
  fields: FixtureRow = {},
): FixtureRow {
  return {
    id,
    tenant_id: tenantId,
    apartment_id: 1,
    room_id: roomId,
    moving_agreement_type: 1,
    contract_type: 1,
    application_date: "2025-01-01",
    contract_date: null,
    move_in_date: "2025-01-10",
    moveout_notice_date: null,
    moveout_date: null,
    moveout_plans_date: null,
    moveout_reason_code: null,
    rent: 55000,
    is_cancelled: 0,
    cancelled_at: null,
    ...fields,
  };
}
