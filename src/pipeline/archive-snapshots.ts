/**
 * `tokyobeta archive snapshots --before DATE --out DIR|s3://bucket/prefix`: moves the snapshot
 * history rows older than DATE out of `staging.tenant_daily_snapshots` and
 * `staging.room_daily_snapshots` into Parquet files, one per table and month
 * (`<table>/month=YYYY-MM/part-<archive id>.parquet`), in one new warehouse state:
 *
 * 1. write each month's rows (read through the engine-neutral session, written by the
 *    in-memory DuckDB of src/export/parquet-sink.ts);
 * 2. verify: read every file back and count its rows (must equal the rows read), sha256;
 *    for S3, upload and read each object back (sha256);
 * 3. only then delete the archived rows (the deleted count must equal the archived count),
 *    record each file in `tokyobeta_meta.snapshot_archive`, point the view
 *    `tokyobeta_meta.<history>_archived` at every archived file, and check that table + view
 *    hold exactly the rows the table held before;
 * 4. publish. Any failure abandons the state: the published state is untouched.
 *
 * The models read history = table UNION ALL the archived view (archived-history.ts), so
 * archiving changes no silver or gold result. The view reads local files: the destination
 * folder itself, or for `s3://` a local copy kept under `<warehouse>/archive/` (the S3 objects
 * are the off-machine copy). The latest snapshot date is never archived (`--before` must not
 * be after it): the daily run's incremental step reads it from the table.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/settings.js";
import { UsageError, WarehouseError } from "../errors.js";
import { openDestination } from "../export/destination.js";
import { ParquetSink, sha256OfFile } from "../export/parquet-sink.js";
import { loadProject } from "../models-runner/index.js";
import { environmentFor } from "../models-runner/template.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { qualifiedName, quoteIdentifier } from "../warehouse/quote-identifier.js";
import type { StateWriter } from "../warehouse/warehouse.js";
import { ARCHIVE_META_SCHEMA, archivedViewName, ensureArchivedHistoryViews } from "./archived-history.js";
import { DEFAULT_PROJECT_DIR } from "./daily-run.js";
import { SNAPSHOT_HISTORY_TABLES } from "./snapshot-history.js";

export type ArchiveSettings = Pick<
  Settings,
  "warehouse" | "keepGenerations" | "s3Endpoint" | "s3Region" | "s3ForcePathStyle"
>;

export interface ArchiveOptions {
  /** Rows with snapshot_date < before are archived (YYYY-MM-DD). */
  before: string;
  out: string;
  projectDir?: string;
  /** Test hook: called after each file is written, before it is verified. */
  afterWrite?: (file: string) => Promise<void>;
}

export interface ArchivedFile {
  table: string;
  month: string;
  /** Absolute local path the models read. */
  file: string;
  /** Where the file was archived to (the local path, or its s3:// URL). */
  destination: string;
  firstDate: string;
  lastDate: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ArchiveReport {
  archiveId: string;
  before: string;
  state: string | null;
  files: ArchivedFile[];
  rowsPerTable: Record<string, number>;
}

const ARCHIVE_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${qualifiedName(ARCHIVE_META_SCHEMA, "snapshot_archive")} (
  archive_id VARCHAR NOT NULL, archived_at TIMESTAMP NOT NULL, table_name VARCHAR NOT NULL,
  month VARCHAR NOT NULL, first_date DATE NOT NULL, last_date DATE NOT NULL, rows BIGINT NOT NULL,
  file VARCHAR NOT NULL, destination VARCHAR NOT NULL, bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL
)`;

function monthOf(date: string): string {
  return date.slice(0, 7);
}

function nextMonthStart(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

async function countOf(writer: StateWriter, sql: string, params: string[] = []): Promise<number> {
  return Number((await writer.query(sql, params)).rows[0]!.n);
}

/** The dates older than `before` of one history, grouped by month. */
async function monthsToArchive(
  writer: StateWriter,
  table: string,
  before: string,
): Promise<Map<string, string[]>> {
  const { rows } = await writer.query(
    `SELECT DISTINCT snapshot_date FROM ${qualifiedName("staging", table)} WHERE snapshot_date < CAST(? AS DATE) ORDER BY snapshot_date`,
    [before],
  );
  const months = new Map<string, string[]>();
  for (const r of rows) {
    const date = String(r.snapshot_date);
    months.set(monthOf(date), [...(months.get(monthOf(date)) ?? []), date]);
  }
  return months;
}

/** Writes and verifies one month of one history; returns the file. */
async function archiveMonth(
  writer: StateWriter,
  sink: ParquetSink,
  table: string,
  month: string,
  dates: string[],
  localDir: string,
  archiveId: string,
  options: ArchiveOptions,
): Promise<Omit<ArchivedFile, "destination">> {
  const upTo = nextMonthStart(month) < options.before ? nextMonthStart(month) : options.before;
  const result = await writer.query(
    `SELECT * FROM ${qualifiedName("staging", table)} WHERE snapshot_date >= CAST(? AS DATE) AND snapshot_date < CAST(? AS DATE)`,
    [`${month}-01`, upTo],
  );
  const file = path.join(localDir, table, `month=${month}`, `part-${archiveId}.parquet`);
  await mkdir(path.dirname(file), { recursive: true });
  const staged = await sink.stage(result.columns, result.rows);
  await sink.writeFile(`${sink.typedSelect(staged, result.columns)} ORDER BY snapshot_date`, file);
  await sink.dropStaged(staged);
  let readBack: number;
  try {
    await options.afterWrite?.(file);
    readBack = await verifiedRowCount(sink, file, result.rows.length, `staging.${table} ${month}`);
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return {
    table,
    month,
    file,
    firstDate: dates[0]!,
    lastDate: dates[dates.length - 1]!,
    rows: readBack,
    bytes: (await stat(file)).size,
    sha256: await sha256OfFile(file),
  };
}

/** Reads a written file back and counts its rows; throws unless it holds `expected` rows. */
async function verifiedRowCount(
  sink: ParquetSink,
  file: string,
  expected: number,
  what: string,
): Promise<number> {
  let readBack: number;
  try {
    readBack = await sink.countRows([file]);
  } catch (err) {
    throw new WarehouseError(`archive file ${file} cannot be read back: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (readBack !== expected) {
    throw new WarehouseError(`archive file ${file} holds ${readBack} rows, ${what} has ${expected}`);
  }
  return readBack;
}

/** Points `tokyobeta_meta.<history>_archived` at every archived file of that history. */
async function repointArchivedView(writer: StateWriter, table: string, engine: string, projectDir: string) {
  const { rows } = await writer.query(
    `SELECT file FROM ${qualifiedName(ARCHIVE_META_SCHEMA, "snapshot_archive")} WHERE table_name = ? ORDER BY month, archive_id`,
    [table],
  );
  if (rows.length === 0) return;
  const columns = (
    await writer.query(`SELECT * FROM ${qualifiedName("staging", table)} WHERE 1 = 0`)
  ).columns.map((c) => quoteIdentifier(c.name));
  const project = await loadProject(projectDir);
  const select = environmentFor(project.macros.get(engine) ?? []).renderString(
    "{{ archived_snapshot_rows(files, columns) }}",
    { files: rows.map((r) => String(r.file)), columns },
  );
  const view = qualifiedName(ARCHIVE_META_SCHEMA, archivedViewName(table));
  await writer.exec(`DROP VIEW IF EXISTS ${view}`);
  await writer.exec(`CREATE VIEW ${view} AS ${select}`);
}

export async function archiveSnapshots(
  settings: ArchiveSettings,
  options: ArchiveOptions,
): Promise<ArchiveReport> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.before) || Number.isNaN(Date.parse(options.before))) {
    throw new UsageError(`--before: expected a date YYYY-MM-DD, got '${options.before}'`);
  }
  const archiveId = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(2).toString("hex")}`;
  const localCopy = options.out.startsWith("s3://") ? path.resolve(settings.warehouse, "archive") : undefined;
  const destination = await openDestination(options.out, settings, localCopy);
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  const writer = await warehouse.beginState({ label: `archive snapshots before ${options.before}` });
  const sink = await ParquetSink.open();
  const written: string[] = [];
  try {
    const present = new Set((await writer.listTables("staging")).map((t) => t.name));
    const missing = SNAPSHOT_HISTORY_TABLES.filter((t) => !present.has(t));
    if (missing.length > 0)
      throw new WarehouseError(`no snapshot history to archive: staging.${missing[0]} is missing`);
    const latest = (
      await writer.query(
        `SELECT MAX(snapshot_date) AS d FROM ${qualifiedName("staging", "tenant_daily_snapshots")}`,
      )
    ).rows[0]!.d;
    if (latest === null || options.before > String(latest)) {
      throw new UsageError(
        `--before ${options.before} would archive the latest snapshot (${String(latest)}), which the daily run reads; use a date up to ${String(latest)}`,
      );
    }
    await ensureArchivedHistoryViews(writer, SNAPSHOT_HISTORY_TABLES);
    await writer.exec(ARCHIVE_TABLE_DDL);
    const files: ArchivedFile[] = [];
    const rowsPerTable: Record<string, number> = {};
    for (const table of SNAPSHOT_HISTORY_TABLES) {
      const history = qualifiedName("staging", table);
      const archivedView = qualifiedName(ARCHIVE_META_SCHEMA, archivedViewName(table));
      const totalBefore =
        (await countOf(writer, `SELECT count(*) AS n FROM ${history}`)) +
        (await countOf(writer, `SELECT count(*) AS n FROM ${archivedView}`));
      let archived = 0;
      for (const [month, dates] of await monthsToArchive(writer, table, options.before)) {
        const file = await archiveMonth(
          writer,
          sink,
          table,
          month,
          dates,
          destination.localDir,
          archiveId,
          options,
        );
        written.push(file.file);
        const relative = path.relative(destination.localDir, file.file);
        await destination.publish([relative]);
        const where = destination.remote
          ? `${destination.location}/${relative.split(path.sep).join("/")}`
          : file.file;
        files.push({ ...file, destination: where });
        archived += file.rows;
        await writer.exec(
          `INSERT INTO ${qualifiedName(ARCHIVE_META_SCHEMA, "snapshot_archive")} VALUES (?, CAST(? AS TIMESTAMP), ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, ?, ?)`,
          [
            archiveId,
            new Date().toISOString().replace("Z", ""),
            table,
            month,
            file.firstDate,
            file.lastDate,
            file.rows,
            file.file,
            where,
            file.bytes,
            file.sha256,
          ],
        );
      }
      rowsPerTable[table] = archived;
      if (archived === 0) continue;
      // Every file is verified: only now do the rows leave the table.
      const deleted = await writer.exec(`DELETE FROM ${history} WHERE snapshot_date < CAST(? AS DATE)`, [
        options.before,
      ]);
      if (deleted !== archived) {
        throw new WarehouseError(
          `staging.${table}: deleted ${deleted} rows but archived ${archived}; abandoned`,
        );
      }
      await repointArchivedView(writer, table, warehouse.engine, options.projectDir ?? DEFAULT_PROJECT_DIR);
      const totalAfter =
        (await countOf(writer, `SELECT count(*) AS n FROM ${history}`)) +
        (await countOf(writer, `SELECT count(*) AS n FROM ${archivedView}`));
      if (totalAfter !== totalBefore) {
        throw new WarehouseError(
          `staging.${table}: history holds ${totalAfter} rows after archiving, ${totalBefore} before; abandoned`,
        );
      }
    }
    const state = files.length > 0 ? await writer.publish() : null;
    if (!state) await writer.abandon("nothing to archive");
    return { archiveId, before: options.before, state: state?.id ?? null, files, rowsPerTable };
  } catch (err) {
    await writer.abandon(`archive snapshots failed: ${(err as Error).message}`).catch(() => undefined);
    // Files of an abandoned archive are not referenced by any state: remove the local ones.
    for (const file of written) await rm(file, { force: true });
    throw err;
  } finally {
    sink.close();
    await warehouse.close();
  }
}
