/**
 * The one module that reads filters from the URL and turns them into SQL conditions.
 *
 * - `from`, `to`: dates, must match YYYY-MM-DD and be real calendar dates, from <= to.
 * - `tenant_type`, `nationality`, `building` (asset code), `municipality` (Japanese name):
 *   allow-listed against the distinct values of the page's mart, and only ever passed to SQL
 *   as bound `?` parameters.
 * - `grain` (Funnel): day, week or month.
 * Anything invalid is refused (the page answers 400 naming the parameter); an empty value
 * means "not filtered" (what an HTML form sends for "All").
 */
import type { SqlParam } from "../../warehouse/warehouse.js";

export const CATEGORICAL_FILTERS = ["tenant_type", "nationality", "building", "municipality"] as const;
export type CategoricalFilter = (typeof CATEGORICAL_FILTERS)[number];
export type FilterName = "from" | "to" | CategoricalFilter | "grain";
export const GRAINS = ["day", "week", "month"] as const;
export type Grain = (typeof GRAINS)[number];

export interface Filters {
  from?: string;
  to?: string;
  tenant_type?: string;
  nationality?: string;
  building?: string;
  municipality?: string;
  grain?: Grain;
}

/** The allowed values of each categorical filter, code -> labels (also the form's options). */
export type FilterOption = { code: string; ja: string; en: string };
export type AllowedValues = Partial<Record<CategoricalFilter, readonly FilterOption[]>>;

export type ParsedFilters = { ok: true; filters: Filters } | { ok: false; errors: string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Shortens a user value for an error message (it is HTML-escaped by the page). */
function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/**
 * Reads the filters `accepted` by a page from the query string; parameters the page does not
 * accept are ignored (they may belong to another page of a shared link).
 */
export function parseFilters(
  query: Record<string, string | undefined>,
  accepted: readonly FilterName[],
  allowed: AllowedValues,
): ParsedFilters {
  const filters: Filters = {};
  const errors: string[] = [];
  for (const name of accepted) {
    const value = query[name];
    if (value === undefined || value === "") continue;
    if (name === "from" || name === "to") {
      if (isCalendarDate(value)) filters[name] = value;
      else errors.push(`${name}: expected a date YYYY-MM-DD, got '${shown(value)}'`);
    } else if (name === "grain") {
      if ((GRAINS as readonly string[]).includes(value)) filters.grain = value as Grain;
      else errors.push(`grain: expected one of ${GRAINS.join(", ")}, got '${shown(value)}'`);
    } else {
      const options = allowed[name] ?? [];
      if (options.some((o) => o.code === value)) filters[name] = value;
      else errors.push(`${name}: unknown value '${shown(value)}'`);
    }
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.push(`from (${filters.from}) is after to (${filters.to})`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filters };
}

/** Columns of a mart for each filter; a filter without a column does not apply to it. */
export interface FilterColumns {
  date?: { column: string; grain: Grain };
  tenant_type?: string;
  nationality?: string;
  building?: string;
  municipality?: string;
}

/** The usual dimension columns of the contract marts (marts.yml). */
export const DIMENSION_COLUMNS = {
  tenant_type: "tenant_type",
  nationality: "nationality_code",
  building: "asset_id_hj",
  municipality: "municipality_ja",
} as const;

export interface SqlCondition {
  /** `WHERE ...` (empty string when nothing applies). */
  where: string;
  params: SqlParam[];
}

/** Monday of the week of a YYYY-MM-DD date. */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** First day of the month of a YYYY-MM-DD date. */
export function monthStartOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/**
 * The WHERE clause selecting the filtered rows of a mart. A period row (week, month) is kept
 * when the period overlaps [from, to]. Values are bound parameters, never SQL text; column
 * names come from the page code, never from the request.
 */
export function buildWhere(
  filters: Filters,
  columns: FilterColumns,
  extra: readonly { sql: string; params?: SqlParam[] }[] = [],
): SqlCondition {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  const add = (sql: string, value: SqlParam) => {
    parts.push(sql);
    params.push(value);
  };
  const date = columns.date;
  if (date && filters.from) {
    const start =
      date.grain === "week"
        ? mondayOf(filters.from)
        : date.grain === "month"
          ? monthStartOf(filters.from)
          : filters.from;
    add(`${date.column} >= CAST(? AS DATE)`, start);
  }
  if (date && filters.to) add(`${date.column} <= CAST(? AS DATE)`, filters.to);
  for (const name of CATEGORICAL_FILTERS) {
    const column = columns[name];
    const value = filters[name];
    if (column && value !== undefined) add(`${column} = ?`, value);
  }
  for (const e of extra) {
    parts.push(e.sql);
    params.push(...(e.params ?? []));
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "", params };
}

/** The query string of the filters (for links, CSV downloads and the language switch). */
export function filtersQuery(filters: Filters, more: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...more })) if (v) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
}
