/**
 * The dashboard pages and their CSV downloads: `GET <page.path>` renders the page,
 * `GET <page.csvPath>?table=<name>&<filters>` streams exactly the rows the page's table shows.
 * Filters are parsed in filters/filters.ts (400 naming the parameter when invalid).
 */
import { Hono, type Context } from "hono";
import type { DashboardEnv } from "../dashboard-env.js";
import { csvFileName, csvStream, pagedCsvStream } from "../csv/csv-stream.js";
import {
  CATEGORICAL_FILTERS,
  filtersQuery,
  parseFilters,
  type AllowedValues,
  type CategoricalFilter,
  type FilterOption,
  type Filters,
} from "../filters/filters.js";
import { langOf, t, type Lang } from "../i18n/labels.js";
import {
  detailTable,
  errorPage,
  filtersForm,
  frame,
  TABLE_PREVIEW_ROWS,
  withLang,
  type Row,
} from "../layout.js";
import {
  loadTable,
  previewTable,
  type DetailTable,
  type PageModule,
  type QueryContext,
  type TableQuery,
} from "../pages/page-kit.js";
import type { PublishedReader } from "../published-reader.js";
import { asOfDate, freshnessLines, freshnessThresholdHours } from "../freshness-lines.js";

export interface PageRouteOptions {
  reader: PublishedReader;
  now: () => Date;
  /** Overrides the published KPI definition's freshness threshold (hours). */
  staleAfterHours?: number;
  pages: readonly PageModule[];
  /** Rows per query of a large table's CSV download (default 10,000). */
  csvPageRows?: number;
}

/** The columns of each categorical filter in the contract marts: code, Japanese, English. */
const OPTION_COLUMNS: Record<CategoricalFilter, [string, string, string]> = {
  tenant_type: ["tenant_type", "tenant_type_ja", "tenant_type_en"],
  nationality: ["nationality_code", "nationality_ja", "nationality_en"],
  building: ["asset_id_hj", "apartment_name", "apartment_name"],
  municipality: ["municipality_ja", "municipality_ja", "municipality_en"],
};

/** The allow-lists of a page: distinct values of its mart (cached per published state). */
async function allowedValues(reader: PublishedReader, page: PageModule): Promise<AllowedValues> {
  const allowed: AllowedValues = {};
  if (!page.optionsFrom) return allowed;
  for (const name of page.optionDimensions ?? CATEGORICAL_FILTERS) {
    if (!page.filters.includes(name)) continue;
    const [code, ja, en] = OPTION_COLUMNS[name];
    try {
      const result = await reader.cached(
        `SELECT ${code} AS code, min(${ja}) AS ja, min(${en}) AS en FROM gold.${page.optionsFrom} WHERE ${code} IS NOT NULL GROUP BY ${code} ORDER BY 1`,
      );
      allowed[name] = (result?.rows ?? []).map((r): FilterOption => ({
        code: String(r.code),
        ja: String(r.ja ?? r.code),
        en: String(r.en ?? r.code),
      }));
    } catch {
      allowed[name] = [];
    }
  }
  return allowed;
}

interface Prepared {
  lang: Lang;
  filters: Filters;
  allowed: AllowedValues;
  asOf: string | null;
}

/** Language, as-of date and the validated filters, or the 400 response. */
async function prepare(
  c: Context<DashboardEnv>,
  o: PageRouteOptions,
  page: PageModule,
): Promise<Prepared | Response> {
  const lang = langOf(c.req.query("lang"));
  const allowed = await allowedValues(o.reader, page);
  const parsed = parseFilters(c.req.query(), page.filters, allowed);
  if (!parsed.ok) {
    return c.html(errorPage(lang, 400, t(lang, "badFilters"), parsed.errors), 400);
  }
  return { lang, filters: parsed.filters, allowed, asOf: await asOfDate(o.reader) };
}

async function tableRows(o: PageRouteOptions, page: PageModule, q: QueryContext) {
  const tables: Record<string, readonly Row[] | undefined> = {};
  const totals: Record<string, number> = {};
  for (const table of page.tables) {
    try {
      if (table.previewOnly) {
        const preview = await previewTable(o.reader, table, q, TABLE_PREVIEW_ROWS);
        tables[table.name] = preview.rows;
        totals[table.name] = preview.total;
      } else {
        tables[table.name] = await loadTable(o.reader, table, q, { cached: true });
      }
    } catch {
      tables[table.name] = undefined;
    }
  }
  return { tables, totals };
}

function ignoresSetFilter(table: DetailTable, filters: Filters): boolean {
  return (table.ignores ?? []).some((name) => filters[name] !== undefined);
}

/**
 * Rendered pages kept per published state, URL and freshness line: under load (every
 * morning, everyone opens the Overview) a page is built once per state and hour. A publish
 * changes the state id and starts a new cache.
 */
function createPageCache() {
  let state: string | null = null;
  let pages = new Map<string, string>();
  return {
    get(stateId: string, key: string): string | undefined {
      if (stateId !== state) {
        state = stateId;
        pages = new Map();
      }
      return pages.get(key);
    },
    set(stateId: string, key: string, html: string): void {
      if (stateId !== state) return;
      if (pages.size >= 500) pages = new Map();
      pages.set(key, html);
    },
  };
}

type PageCache = ReturnType<typeof createPageCache>;

async function renderPage(
  c: Context<DashboardEnv>,
  o: PageRouteOptions,
  page: PageModule,
  cache: PageCache,
): Promise<Response> {
  const stateId = await o.reader.stateId();
  const prepared = await prepare(c, o, page);
  if (prepared instanceof Response) return prepared;
  const { lang, filters, allowed, asOf } = prepared;
  const staleAfterHours = o.staleAfterHours ?? (await freshnessThresholdHours(o.reader));
  const lines = freshnessLines({ asOf, now: o.now(), staleAfterHours, lang });
  const url = new URL(c.req.url);
  const clock = page.clockSensitive ? `${Math.floor(o.now().getTime() / 360_000)}|` : "";
  const key = `${clock}${lines.freshness}|${page.page.path}?${url.searchParams.toString()}`;
  const kept = stateId ? cache.get(stateId, key) : undefined;
  if (kept) return c.html(kept);
  const q: QueryContext = { filters, lang, asOf, now: o.now() };
  const { tables, totals } = await tableRows(o, page, q);
  const charts = await page.render({ ...q, reader: o.reader, tables });
  const csvQuery = (name: string) =>
    withLang(`${page.page.csvPath}${filtersQuery(filters, { table: name })}`, lang);
  const detail = page.tables
    .map((table) =>
      detailTable({
        lang,
        name: table.name,
        title: table.title,
        columns: table.columns,
        rows: tables[table.name] ?? [],
        total: totals[table.name],
        csvHref: csvQuery(table.name),
        note:
          tables[table.name] === undefined
            ? t(lang, "table.unavailable")
            : ignoresSetFilter(table, filters)
              ? t(lang, "note.unfiltered")
              : undefined,
      }),
    )
    .join("\n");
  const body = frame({
    lang,
    page: page.page,
    path: page.page.path,
    query: url.searchParams,
    asOf,
    ...lines,
    filtersForm: filtersForm({
      lang,
      path: page.page.path,
      accepted: page.filters,
      filters,
      options: allowed,
    }),
    notes: asOf === null ? [t(lang, "noPublished")] : [],
    body: `<div class="charts">${charts}</div>\n<div class="tables">${detail}</div>`,
  });
  if (stateId) cache.set(stateId, key, body);
  return c.html(body);
}

async function downloadCsv(
  c: Context<DashboardEnv>,
  o: PageRouteOptions,
  page: PageModule,
): Promise<Response> {
  const prepared = await prepare(c, o, page);
  if (prepared instanceof Response) return prepared;
  const name = c.req.query("table");
  const table = page.tables.find((tb) => tb.name === name);
  if (!table) {
    const known = page.tables.map((tb) => tb.name).join(", ");
    return c.text(`table: expected one of ${known}, got '${String(name ?? "").slice(0, 60)}'`, 400);
  }
  const q = { filters: prepared.filters, lang: prepared.lang, asOf: prepared.asOf, now: o.now() };
  const file = csvFileName(page.page.key, table.name, prepared.filters, prepared.asOf);
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", `attachment; filename="${file}"`);
  if (table.previewOnly && table.query) return c.body(await pagedCsv(o, table.columns, table.query(q)));
  let rows: readonly Row[];
  try {
    // Not cached: a download may be large and is read once.
    rows = await loadTable(o.reader, table, q, { cached: false });
  } catch (err) {
    return c.text(`cannot read ${table.name}: ${err instanceof Error ? err.message : String(err)}`, 503);
  }
  c.header("x-row-count", String(rows.length));
  return c.body(csvStream(table.columns, rows));
}

/**
 * A large table's CSV: pages of its query (which ends with a total ORDER BY, so LIMIT/OFFSET
 * pages are stable) read from one pinned state, so a publish during the download cannot mix
 * two states.
 */
async function pagedCsv(o: PageRouteOptions, columns: readonly string[], q: TableQuery) {
  const pinned = await o.reader.pin();
  let offset = 0;
  const pageRows = o.csvPageRows ?? 10_000;
  let exhausted = pinned === null;
  return pagedCsvStream(
    columns,
    async () => {
      if (exhausted || !pinned) return [];
      const page = await pinned.query(`${q.sql} LIMIT ${pageRows} OFFSET ${offset}`, q.params);
      offset += page.rows.length;
      exhausted = page.rows.length < pageRows;
      return page.rows;
    },
    () => pinned?.release(),
  );
}

export function pageRoutes(o: PageRouteOptions): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  const cache = createPageCache();
  for (const page of o.pages) {
    app.get(page.page.path, (c) => renderPage(c, o, page, cache));
    app.get(page.page.csvPath, (c) => downloadCsv(c, o, page));
  }
  return app;
}
