/**
 * Loads one dump into the `staging` schema of a state being built: every table of the dump,
 * as dumped, typed. Staging is replaced as a whole by a full dump (the two snapshot histories
 * excepted); a data-only dump, or a load restricted with --tables/--exclude, replaces only the
 * tables it fills. The caller owns the state: on any error it abandons it, so the published
 * state never sees a partial load.
 */
import { DumpParseError } from "../errors.js";
import { columnBatchRows } from "../reader/column-batch.js";
import type { ColumnarDumpReading } from "./read-dump-in-worker.js";
import type { TableSchema, Value } from "../reader/types.js";
import type { StateWriter, TableAppender } from "../warehouse/warehouse.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";
import { SNAPSHOT_HISTORY_TABLES } from "./snapshot-history.js";

export const STAGING = "staging";
/** Where the MySQL definitions of staging tables are kept, for data-only reloads. */
const DEFINITIONS = { schema: "tokyobeta_meta", table: "staging_tables" } as const;

export interface LoadProgress {
  bytesRead: number;
  table: string | null;
}

/** What the loader needs to start a reading: the definitions staging already has, and the table filter. */
export interface ReadingRequest {
  file: string;
  knownSchemas: ReadonlyMap<string, TableSchema>;
  only?: string[];
  exclude?: string[];
}

/**
 * Starts reading the dump (in-process with readDump, or on a worker thread, whose batches may
 * come laid out column by column).
 */
export type OpenReading = (request: ReadingRequest) => ColumnarDumpReading;

export interface LoadOptions {
  /** Name of the dump in messages (path or store key). */
  file: string;
  /** Only these tables (all when undefined). */
  tables?: string[];
  /** Never these tables. */
  exclude?: string[];
  onProgress?: (p: LoadProgress) => void;
}

export interface TableLoadReport {
  table: string;
  rows: number;
  zeroDates: number;
  zeroDatesByColumn: Record<string, number>;
}

export interface LoadReport {
  file: string;
  sha256: string;
  storedBytes: number;
  sqlBytes: number;
  seconds: number;
  tables: TableLoadReport[];
  skipped: { kind: string; name: string }[];
  /** True when the dump created its tables (a full dump); false for data-only dumps. */
  fullDump: boolean;
}

/** Streams a dump into staging of `writer`. Throws DumpParseError (file, table, offset) on bad input. */
export async function loadDumpIntoStaging(
  writer: StateWriter,
  openReading: OpenReading,
  options: LoadOptions,
): Promise<LoadReport> {
  const started = performance.now();
  const known = await readStagingDefinitions(writer);
  const include = tableFilter(options);
  const reading = openReading({
    file: options.file,
    knownSchemas: known,
    only: options.tables,
    exclude: options.exclude,
  });
  const loaded = new Map<string, TableSchema>();
  let appender: TableAppender | null = null;
  let current: string | null = null;

  const switchTo = async (table: string, schema: TableSchema) => {
    if (current === table && appender) return;
    if (appender) await appender.close();
    await writer.createTable(STAGING, schema, { replace: true });
    appender = await writer.openAppender(STAGING, schema);
    current = table;
    loaded.set(table, schema);
  };

  /** The appender of `table`, switching to it when rows of another table came before. */
  const appenderFor = async (table: string, byteOffset: number): Promise<TableAppender> => {
    if (current !== table || !appender) {
      const schema = loaded.get(table) ?? reading.tables.get(table) ?? known.get(table);
      if (!schema)
        throw new DumpParseError(options.file, table, byteOffset, "INSERT into a table never created");
      // A table seen again later in the dump, or filled by a data-only dump: append to what is loaded.
      if (loaded.has(table)) {
        if (appender) await (appender as TableAppender).close();
        appender = await writer.openAppender(STAGING, schema);
        current = table;
      } else {
        await switchTo(table, schema);
      }
    }
    return appender!;
  };

  await writer.bulkLoad(async () => {
    let lastProgress = 0;
    for await (const event of reading.events) {
      if (event.type === "table") {
        if (!include(event.schema.name)) continue;
        await switchTo(event.schema.name, event.schema);
      } else if (event.type === "rows") {
        await (await appenderFor(event.table, event.byteOffset)).append(event.rows as Value[][]);
      } else if (event.type === "columns") {
        const target = await appenderFor(event.table, event.byteOffset);
        if (target.appendColumns) await target.appendColumns(event.batch);
        else await target.append(columnBatchRows(loaded.get(event.table)!, event.batch));
      }
      if (options.onProgress && reading.bytesRead() - lastProgress > 4_000_000) {
        lastProgress = reading.bytesRead();
        options.onProgress({ bytesRead: lastProgress, table: current });
      }
    }
    if (appender) await (appender as TableAppender).close();
  });
  for (const table of loaded.keys()) await writer.refreshStatistics(STAGING, table);

  const fullDump = reading.tables.size > 0;
  const restricted = options.tables !== undefined || options.exclude !== undefined;
  if (fullDump && !restricted) await dropTablesNotIn(writer, loaded);
  await writeStagingDefinitions(writer, loaded);
  return {
    file: options.file,
    sha256: reading.sha256(),
    storedBytes: reading.bytesRead(),
    sqlBytes: reading.sqlBytesRead(),
    seconds: (performance.now() - started) / 1000,
    tables: [...loaded.keys()].map((table) => {
      const stats = reading.stats.get(table);
      const byColumn = stats?.zeroDatesByColumn ?? {};
      return {
        table,
        rows: stats?.rows ?? 0,
        zeroDates: Object.values(byColumn).reduce((a, b) => a + b, 0),
        zeroDatesByColumn: byColumn,
      };
    }),
    skipped: reading.skipped.map((s) => ({ kind: s.kind, name: s.name })),
    fullDump,
  };
}

function tableFilter(options: LoadOptions): (name: string) => boolean {
  const only = options.tables ? new Set(options.tables) : null;
  const never = new Set(options.exclude ?? []);
  return (name) => (only === null || only.has(name)) && !never.has(name);
}

async function dropTablesNotIn(writer: StateWriter, loaded: Map<string, TableSchema>): Promise<void> {
  const keep = new Set<string>([...loaded.keys(), ...SNAPSHOT_HISTORY_TABLES]);
  for (const t of await writer.listTables(STAGING)) {
    if (keep.has(t.name)) continue;
    await writer.exec(`DROP ${t.type === "view" ? "VIEW" : "TABLE"} ${qualifiedName(STAGING, t.name)}`);
  }
}

async function readStagingDefinitions(writer: StateWriter): Promise<Map<string, TableSchema>> {
  const tables = await writer.listTables(DEFINITIONS.schema);
  if (!tables.some((t) => t.name === DEFINITIONS.table)) return new Map();
  const result = await writer.query(
    `SELECT definition FROM ${qualifiedName(DEFINITIONS.schema, DEFINITIONS.table)}`,
  );
  const map = new Map<string, TableSchema>();
  for (const row of result.rows) {
    const schema = JSON.parse(String(row.definition)) as TableSchema;
    map.set(schema.name, schema);
  }
  return map;
}

async function writeStagingDefinitions(writer: StateWriter, loaded: Map<string, TableSchema>): Promise<void> {
  const target = qualifiedName(DEFINITIONS.schema, DEFINITIONS.table);
  await writer.createSchema(DEFINITIONS.schema);
  await writer.exec(
    `CREATE TABLE IF NOT EXISTS ${target} (table_name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL)`,
  );
  for (const [name, schema] of loaded) {
    await writer.exec(`DELETE FROM ${target} WHERE table_name = ?`, [name]);
    await writer.exec(`INSERT INTO ${target} (table_name, definition) VALUES (?, ?)`, [
      name,
      JSON.stringify(schema),
    ]);
  }
}
