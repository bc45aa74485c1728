/**
 * What a dashboard page is made of: the filters it accepts, the mart whose distinct values
 * allow-list its categorical filters, its detail tables (each one query selecting exactly the
 * filtered rows: the page shows them, the CSV download streams them) and its charts.
 */
import type { SqlParam } from "../../warehouse/warehouse.js";
import type { CategoricalFilter, FilterName, Filters } from "../filters/filters.js";
import type { Lang, LabelKey } from "../i18n/labels.js";
import type { Row } from "../layout.js";
import type { DashboardPage } from "../pages.js";
import type { PublishedReader } from "../published-reader.js";

export interface TableQuery {
  sql: string;
  params: SqlParam[];
}

export interface QueryContext {
  filters: Filters;
  lang: Lang;
  /** Latest fact day of the published state (null when unknown). */
  asOf: string | null;
  /** The request's clock (freshness ages). */
  now: Date;
}

export interface DetailTable {
  /** `?table=<name>` of the CSV download. */
  name: string;
  title: LabelKey;
  /** Columns in order: SQL aliases, the CSV header and the keys of COLUMN_LABELS. */
  columns: readonly string[];
  /** The query selecting exactly the filtered rows (bound parameters only). */
  query?(q: QueryContext): TableQuery;
  /** For rows not made by one query (e.g. the freshness check): loads them itself. */
  load?(reader: PublishedReader, q: QueryContext): Promise<Row[]>;
  /**
   * A large table (raw mart rows) that no chart reads: the page fetches only its first rows and
   * its count; the CSV download streams all of them.
   */
  previewOnly?: boolean;
  /** Page filters the table's mart has no column for (a note says so when they are set). */
  ignores?: readonly CategoricalFilter[];
}

/** The first rows and the row count of a previewOnly table. */
export async function previewTable(
  reader: PublishedReader,
  table: DetailTable,
  q: QueryContext,
  limit: number,
): Promise<{ rows: Row[]; total: number }> {
  if (!table.query) return { rows: [], total: 0 };
  const { sql, params } = table.query(q);
  const rows = (await reader.cached(`SELECT * FROM (${sql}) AS detail LIMIT ${limit}`, params))?.rows ?? [];
  const count = await reader.cached(`SELECT count(*) AS n FROM (${sql}) AS detail`, params);
  return { rows, total: num(count?.rows[0]?.n) };
}

/** The rows of a detail table (throws when its mart cannot be read). */
export async function loadTable(
  reader: PublishedReader,
  table: DetailTable,
  q: QueryContext,
  options: { cached: boolean },
): Promise<Row[]> {
  if (table.load) return table.load(reader, q);
  if (!table.query) return [];
  const { sql, params } = table.query(q);
  const result = options.cached ? await reader.cached(sql, params) : await reader.query(sql, params);
  return result?.rows ?? [];
}

export interface RenderContext extends QueryContext {
  reader: PublishedReader;
  /** Rows of each detail table (already queried), by table name; missing when it failed. */
  tables: Record<string, readonly Row[] | undefined>;
}

export interface PageModule {
  page: DashboardPage;
  filters: readonly FilterName[];
  /** Gold table holding the categorical filter dimensions, for the allow-lists and options. */
  optionsFrom?: string;
  /** Which categorical filters `optionsFrom` has (default: all four). */
  optionDimensions?: readonly ("tenant_type" | "nationality" | "building" | "municipality")[];
  tables: readonly DetailTable[];
  /**
   * Set when the page shows ages finer than the freshness line's hours (the freshness check,
   * 0.1 h): its rendered page is kept for 6 minutes at most.
   */
  clockSensitive?: boolean;
  /** KPI cards and charts (HTML), drawn from the detail table rows or small extra queries. */
  render(ctx: RenderContext): Promise<string>;
}

/** Rows of a query on the published state, [] when nothing is published or the mart is missing. */
export async function rowsOf(reader: PublishedReader, q: TableQuery): Promise<Row[]> {
  try {
    return (await reader.cached(q.sql, q.params))?.rows ?? [];
  } catch {
    return [];
  }
}

/** A number from a warehouse value (HUGEINT arrives as bigint, DECIMAL as text). */
export function num(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value !== "") return Number(value);
  return 0;
}

/** The ECharts base every chart shares: legend on top, tooltip, room for axis labels. */
export function baseOption(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 48, right: 24, top: 40, bottom: 40, containLabel: true },
    ...extra,
  };
}
