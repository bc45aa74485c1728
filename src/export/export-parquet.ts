/**
 * `tokyobeta export parquet`: every selected model table of a published state as Parquet,
 * one folder per table (`<schema>/<table>/`), partitioned by month (`month=YYYY-MM/`) when
 * the table has a date column, plus `manifest.json` (tables, columns and types, row counts,
 * files with sha256, state id, exported_at), so Athena, Trino, Spark or DuckDB can query the
 * marts.
 *
 * Engine-neutral: rows are read with `WarehouseSession.query` and written by the in-memory
 * DuckDB of parquet-sink.ts. Every written file is read back and its rows counted before the
 * manifest is written; the manifest is written last, so a folder with a manifest is complete.
 *
 * The partition column is the table's main date column: the first present of
 * `snapshot_date`, `date`, `calendar_date`, `week_start`, `month_start`, `month`, else the
 * first DATE column other than `as_of_date` (the run's date, constant in most marts), else
 * `as_of_date`; no DATE column → one unpartitioned file. Rows whose date is NULL go to `month=NULL/`.
 * The partition key is `month` (`partition_month` when the table has a column named `month`).
 */
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/settings.js";
import { UsageError, WarehouseError } from "../errors.js";
import { loadProject, selectNodes } from "../models-runner/index.js";
import type { ModelProject } from "../models-runner/index.js";
import { DEFAULT_PROJECT_DIR } from "../pipeline/daily-run.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { qualifiedName, quoteIdentifier } from "../warehouse/quote-identifier.js";
import type { ResultColumn, WarehouseSession } from "../warehouse/warehouse.js";
import { openDestination, type DestinationSettings } from "./destination.js";
import { ParquetSink, parquetTypeOf, sha256OfFile } from "./parquet-sink.js";

export const PREFERRED_DATE_COLUMNS = [
  "snapshot_date",
  "date",
  "calendar_date",
  "week_start",
  "month_start",
  "month",
] as const;

/** The run's as-of date: the same on every row of most marts, so a partition key of last resort. */
const AS_OF_COLUMN = "as_of_date";

export interface ExportOptions {
  out: string;
  /** Selector of `models run` (default `gold`: the gold schema). */
  models?: string;
  /** A kept state id (default: the published state). */
  state?: string;
  projectDir?: string;
  now?: Date;
}

export interface ManifestFile {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ManifestTable {
  table: string;
  folder: string;
  columns: { name: string; type: string; parquet_type: string }[];
  partition: { column: string; key: string; by: "month" } | null;
  rows: number;
  files: ManifestFile[];
}

export interface ExportManifest {
  format: 1;
  state_id: string;
  engine: "duckdb" | "postgres";
  models: string;
  exported_at: string;
  tables: ManifestTable[];
}

/** The table's main date column (see the header), or undefined. */
export function mainDateColumn(columns: readonly ResultColumn[]): string | undefined {
  const dates = columns.filter((c) => c.kind === "date");
  for (const name of PREFERRED_DATE_COLUMNS) if (dates.some((c) => c.name === name)) return name;
  return (dates.find((c) => c.name !== AS_OF_COLUMN) ?? dates[0])?.name;
}

/**
 * Model tables a selector names: `models run` syntax (names, `tag:x`, `schema:x`, `+`); a bare
 * schema name (`gold`, `silver`) that names no model means `schema:<name>`. Ephemeral
 * models have no table and are left out.
 */
export function selectExportTables(project: ModelProject, selector: string): string[] {
  const schemas = new Set([...project.nodes.values()].map((n) => n.schema));
  const terms = selector
    .split(/[\s,]+/)
    .filter((s) => s !== "")
    .map((t) => (schemas.has(t) && !project.byName.has(t) ? `schema:${t}` : t));
  const { nodes } = selectNodes(project, { select: terms });
  return nodes.filter((id) => {
    const n = project.nodes.get(id)!;
    return n.kind === "seed" || (n.config.materialized as string) !== "ephemeral";
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.name.endsWith(".parquet")) out.push(full);
  }
  return out.sort();
}

/** Writes one table's Parquet files; verifies them by reading their rows back. */
async function exportTable(
  session: WarehouseSession,
  sink: ParquetSink,
  id: string,
  localRoot: string,
): Promise<ManifestTable> {
  const [schema, name] = id.split(".") as [string, string];
  const result = await session.query(`SELECT * FROM ${qualifiedName(schema, name)}`);
  const folder = path.join(schema, name);
  const dir = path.join(localRoot, folder);
  await mkdir(dir, { recursive: true });
  const staged = await sink.stage(result.columns, result.rows);
  const dateColumn = mainDateColumn(result.columns);
  const key = result.columns.some((c) => c.name === "month") ? "partition_month" : "month";
  try {
    if (dateColumn === undefined) {
      await sink.writeFile(sink.typedSelect(staged, result.columns), path.join(dir, "part-0.parquet"));
    } else {
      const month = `strftime(CAST(${quoteIdentifier(dateColumn)} AS DATE), '%Y-%m') AS ${quoteIdentifier(key)}`;
      await sink.writePartitioned(sink.typedSelect(staged, result.columns, [month]), dir, key);
    }
  } finally {
    await sink.dropStaged(staged);
  }
  const files: ManifestFile[] = [];
  for (const file of await filesUnder(dir)) {
    files.push({
      path: path.relative(localRoot, file).split(path.sep).join("/"),
      rows: await sink.countRows([file]),
      bytes: (await stat(file)).size,
      sha256: await sha256OfFile(file),
    });
  }
  const rows = files.reduce((s, f) => s + f.rows, 0);
  if (rows !== result.rows.length) {
    throw new WarehouseError(
      `export of ${id}: the Parquet files hold ${rows} rows, the table ${result.rows.length}; nothing was published`,
    );
  }
  return {
    table: id,
    folder: folder.split(path.sep).join("/"),
    columns: result.columns.map((c) => ({ name: c.name, type: c.type, parquet_type: parquetTypeOf(c) })),
    partition: dateColumn === undefined ? null : { column: dateColumn, key, by: "month" },
    rows,
    files,
  };
}

export async function exportParquet(
  settings: Pick<Settings, "warehouse" | "keepGenerations"> & DestinationSettings,
  options: ExportOptions,
): Promise<ExportManifest> {
  const selector = options.models ?? "gold";
  const project = await loadProject(options.projectDir ?? DEFAULT_PROJECT_DIR);
  const ids = selectExportTables(project, selector);
  if (ids.length === 0) throw new UsageError(`--models ${selector}: selects no model table`);
  const destination = await openDestination(options.out, settings);
  if (await destination.exists("manifest.json")) {
    throw new UsageError(
      `${destination.location} already holds an export (manifest.json); choose an empty destination`,
    );
  }
  if (!destination.remote) {
    const entries = await readdir(destination.localDir).catch(() => []);
    if (entries.length > 0)
      throw new UsageError(`${destination.localDir} is not empty; choose an empty folder`);
  }
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  const sink = await ParquetSink.open();
  try {
    const session = options.state
      ? await warehouse.openState(options.state)
      : await warehouse.openPublished();
    try {
      const present = new Set((await session.listTables()).map((t) => `${t.schema}.${t.name}`));
      const missing = ids.filter((id) => !present.has(id));
      if (missing.length > 0) {
        throw new WarehouseError(
          `state ${session.stateId} has no table ${missing.join(", ")} (selected by --models ${selector}); build the models first`,
        );
      }
      const tables: ManifestTable[] = [];
      for (const id of ids) tables.push(await exportTable(session, sink, id, destination.localDir));
      const manifest: ExportManifest = {
        format: 1,
        state_id: session.stateId,
        engine: warehouse.engine,
        models: selector,
        exported_at: (options.now ?? new Date()).toISOString(),
        tables,
      };
      await writeFile(
        path.join(destination.localDir, "manifest.json"),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      await destination.publish([...tables.flatMap((t) => t.files.map((f) => f.path)), "manifest.json"]);
      return manifest;
    } finally {
      await session.close();
    }
  } finally {
    sink.close();
    await warehouse.close();
    await destination.cleanup();
  }
}
