/**
 * The frame of every dashboard page and its building blocks: navigation, language switch,
 * `Time basis:` / `Freshness:` lines, filter form, KPI cards, chart containers and detail
 * tables. Stable hooks for browser tests: `.chart[data-chart]`, `a.csv-download`,
 * `#lang-switch`, `form#filters`. No inline script or style: chart options travel as JSON in
 * `<script type="application/json">` data blocks read by /assets/dashboard.js.
 */
import { formatValue } from "../cli/output.js";
import type { FilterName, FilterOption, Filters } from "./filters/filters.js";
import { escapeHtml } from "./html.js";
import { columnLabel, t, type Lang, type LabelKey } from "./i18n/labels.js";
import { DASHBOARD_PAGES, type DashboardPage } from "./pages.js";

export type Row = Record<string, unknown>;

/** Keeps `lang` in a link when it is English (Japanese is the default). */
export function withLang(href: string, lang: Lang): string {
  if (lang === "ja") return href;
  return `${href}${href.includes("?") ? "&" : "?"}lang=en`;
}

function nav(lang: Lang, current: DashboardPage["key"]): string {
  const links = DASHBOARD_PAGES.map((p) => {
    const label = escapeHtml(t(lang, `page.${p.key}`));
    const attrs = p.key === current ? ' class="current" aria-current="page"' : "";
    return `<a href="${escapeHtml(withLang(p.path, lang))}"${attrs}>${label}</a>`;
  }).join("");
  return `<nav class="pages" aria-label="${escapeHtml(t(lang, "nav.label"))}">${links}</nav>`;
}

/** The same URL in the other language. */
function langSwitchHref(path: string, query: URLSearchParams, lang: Lang): string {
  const next = new URLSearchParams(query);
  if (lang === "ja") next.set("lang", "en");
  else next.delete("lang");
  const text = next.toString();
  return text ? `${path}?${text}` : path;
}

export interface FrameOptions {
  lang: Lang;
  page: DashboardPage;
  path: string;
  query: URLSearchParams;
  timeBasis: string;
  freshness: string;
  stale: boolean;
  asOf: string | null;
  body: string;
  filtersForm?: string;
  notes?: string[];
}

export function frame(o: FrameOptions): string {
  const title = t(o.lang, `page.${o.page.key}`);
  const heading = o.lang === "ja" ? `${title} ${t("en", `page.${o.page.key}`)}` : title;
  const notes = (o.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("");
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} · tokyobeta`)}</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/echarts.min.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header class="top">
<span class="brand">tokyobeta</span>
${nav(o.lang, o.page.key)}
<span class="tools"><a id="lang-switch" href="${escapeHtml(langSwitchHref(o.path, o.query, o.lang))}" hreflang="${o.lang === "ja" ? "en" : "ja"}">${escapeHtml(t(o.lang, "lang.switch"))}</a>
<a href="/__auth/logout">${escapeHtml(t(o.lang, "nav.signOut"))}</a></span>
</header>
<main>
<h1>${escapeHtml(heading)}</h1>
<p class="time-basis">${escapeHtml(o.timeBasis)}</p>
<p class="freshness${o.stale ? " stale" : ""}"${o.stale ? ' role="alert"' : ""}>${escapeHtml(o.freshness)}</p>
<p class="as-of">${escapeHtml(`${t(o.lang, "asOf")}${o.lang === "ja" ? " As-of date" : ""}: ${o.asOf ?? "—"}`)}</p>
${o.filtersForm ?? ""}
${notes}
${o.body}
</main>
</body>
</html>
`;
}

function select(
  lang: Lang,
  name: FilterName,
  options: readonly FilterOption[],
  value: string | undefined,
): string {
  const all = `<option value="">${escapeHtml(t(lang, "filter.all"))}</option>`;
  const items = options
    .map((o) => {
      const label = o.code === o[lang] ? o.code : `${o[lang]} (${o.code})`;
      return `<option value="${escapeHtml(o.code)}"${o.code === value ? " selected" : ""}>${escapeHtml(label)}</option>`;
    })
    .join("");
  return `<label>${escapeHtml(t(lang, `filter.${name}` as LabelKey))}<select name="${name}">${all}${items}</select></label>`;
}

/** The filter form (GET, so a filtered view is a shareable link). */
export function filtersForm(o: {
  lang: Lang;
  path: string;
  accepted: readonly FilterName[];
  filters: Filters;
  options: Partial<Record<FilterName, readonly FilterOption[]>>;
}): string {
  if (o.accepted.length === 0) return "";
  const fields: string[] = [];
  for (const name of o.accepted) {
    if (name === "from" || name === "to") {
      fields.push(
        `<label>${escapeHtml(t(o.lang, `filter.${name}`))}<input type="date" name="${name}" value="${escapeHtml(o.filters[name] ?? "")}" pattern="\\d{4}-\\d{2}-\\d{2}"></label>`,
      );
    } else if (name === "grain") {
      const grains = (["day", "week", "month"] as const).map((g) => ({
        code: g,
        ja: t("ja", `grain.${g}`),
        en: t("en", `grain.${g}`),
      }));
      fields.push(select(o.lang, name, grains, o.filters.grain));
    } else {
      fields.push(select(o.lang, name, o.options[name] ?? [], o.filters[name]));
    }
  }
  const lang = o.lang === "en" ? '<input type="hidden" name="lang" value="en">' : "";
  return `<form id="filters" class="filters" method="get" action="${escapeHtml(o.path)}">
<fieldset><legend>${escapeHtml(t(o.lang, "filter.title"))}</legend>
${fields.join("\n")}
${lang}<button type="submit">${escapeHtml(t(o.lang, "filter.apply"))}</button>
<a class="reset" href="${escapeHtml(withLang(o.path, o.lang))}">${escapeHtml(t(o.lang, "filter.reset"))}</a>
</fieldset>
</form>`;
}

/** JSON for a data block: `<` escaped so the text can never close the script element. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)).replace(
    /</g,
    "\\u003c",
  );
}

/** A chart container plus its ECharts option as a JSON data block. */
export function chart(lang: Lang, name: string, title: LabelKey, option: unknown, note?: string): string {
  return `<section class="card chart-card">
<h2>${escapeHtml(t(lang, title))}</h2>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ""}<div class="chart" data-chart="${escapeHtml(name)}" role="img" aria-label="${escapeHtml(t(lang, title))}"></div>
<script type="application/json" id="chart-data-${escapeHtml(name)}">${jsonForHtml(option)}</script>
</section>`;
}

/** A number as people read it: integers with separators, fractions with up to 3 decimals. */
export function formatCell(value: unknown, column: string): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "bigint") return value.toLocaleString("en-US");
  if (typeof value === "number") {
    if (/rate|share|conversion/.test(column)) return `${(value * 100).toFixed(1)}%`;
    return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(3);
  }
  return formatValue(value);
}

/** Rows shown on the page; the CSV download holds all of them. */
export const TABLE_PREVIEW_ROWS = 100;

export function detailTable(o: {
  lang: Lang;
  name: string;
  title: LabelKey;
  rows: readonly Row[];
  /** Rows the filters select, when `rows` holds only the first ones (large tables). */
  total?: number;
  columns: readonly string[];
  csvHref: string;
  note?: string;
}): string {
  const total = o.total ?? o.rows.length;
  const head = o.columns.map((c) => `<th scope="col">${escapeHtml(columnLabel(o.lang, c))}</th>`).join("");
  const body = o.rows
    .slice(0, TABLE_PREVIEW_ROWS)
    .map((r) => `<tr>${o.columns.map((c) => `<td>${escapeHtml(formatCell(r[c], c))}</td>`).join("")}</tr>`)
    .join("\n");
  const shown = Math.min(o.rows.length, TABLE_PREVIEW_ROWS);
  const count =
    o.lang === "ja"
      ? `${total} ${t("ja", "table.of")} ${shown} ${t("ja", "table.rows")}${t("ja", "table.showing")}`
      : `${t("en", "table.showing")} ${shown} ${t("en", "table.of")} ${total} ${t("en", "table.rows")}`;
  return `<section class="card table-card" data-table="${escapeHtml(o.name)}">
<h2>${escapeHtml(t(o.lang, o.title))}</h2>
${o.note ? `<p class="note">${escapeHtml(o.note)}</p>` : ""}<p class="table-meta"><span class="row-count" data-rows="${total}">${escapeHtml(count)}</span>
<a class="csv-download" href="${escapeHtml(o.csvHref)}" download>${escapeHtml(t(o.lang, "table.download"))}</a></p>
<div class="table-scroll"><table><thead><tr>${head}</tr></thead>
<tbody>
${o.rows.length === 0 ? `<tr><td colspan="${o.columns.length}">${escapeHtml(t(o.lang, "noData"))}</td></tr>` : body}
</tbody></table></div>
</section>`;
}

/** A KPI card: value and month-over-month change. */
export function kpiCard(o: {
  label: string;
  value: string;
  change: string;
  direction: "up" | "down" | "flat";
  name: string;
}): string {
  return `<div class="kpi" data-kpi="${escapeHtml(o.name)}"><span class="kpi-label">${escapeHtml(o.label)}</span>
<span class="kpi-value">${escapeHtml(o.value)}</span>
<span class="kpi-change ${o.direction}">${escapeHtml(o.change)}</span></div>`;
}

export function errorPage(lang: Lang, status: number, title: string, lines: readonly string[]): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
<body><main><h1>${status} ${escapeHtml(title)}</h1>
<ul class="errors">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>
<p><a href="${lang === "en" ? "/?lang=en" : "/"}">${escapeHtml(t(lang, "page.overview"))}</a></p></main></body></html>
`;
}
