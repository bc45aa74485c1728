/**
 * Funnel `/funnel`: inquiries -> applications -> move-ins by day, week or month (`?grain=`),
 * conversion (applications moved in within 60 days) and cancellations.
 * Reads gold.funnel_application_to_movein_periodized and funnel_application_to_movein_daily.
 */
import { buildWhere, DIMENSION_COLUMNS, type Filters } from "../filters/filters.js";
import { columnLabel, type Lang } from "../i18n/labels.js";
import { chart, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { baseOption, num, type PageModule, type TableQuery } from "./page-kit.js";

const PERIOD_COLUMNS = [
  "period_start",
  "inquiries",
  "applications",
  "moveins",
  "cancellations",
  "conversion",
] as const;
const DAILY_COLUMNS = ["day", "inquiries", "applications", "moveins", "cancellations"] as const;

/** Sums of the funnel counts (as BIGINT so they arrive as plain numbers). */
export const FUNNEL_SUMS = `CAST(sum(inquiries) AS BIGINT) AS inquiries, CAST(sum(applications) AS BIGINT) AS applications,
  CAST(sum(moveins) AS BIGINT) AS moveins, CAST(sum(cancellations) AS BIGINT) AS cancellations`;

/** Conversion: applications that moved in within 60 days / applications. */
export const CONVERSION =
  "CAST(sum(applications_moved_in_60d) AS DOUBLE PRECISION) / NULLIF(sum(applications), 0) AS conversion";

export function periodizedQuery(
  filters: Filters,
  grain: "day" | "week" | "month",
  alias = "period_start",
): TableQuery {
  const w = buildWhere(filters, { date: { column: "period_start", grain }, ...DIMENSION_COLUMNS }, [
    { sql: "period_type = ?", params: [grain] },
  ]);
  return {
    sql: `SELECT period_start AS ${alias}, ${FUNNEL_SUMS}, ${CONVERSION}
FROM gold.funnel_application_to_movein_periodized ${w.where} GROUP BY period_start ORDER BY period_start`,
    params: w.params,
  };
}

function funnelOption(lang: Lang, days: readonly Row[]): unknown {
  const total = (c: string) => days.reduce((s, d) => s + num(d[c]), 0);
  const steps = [
    { name: columnLabel(lang, "inquiries"), value: total("inquiries") },
    { name: columnLabel(lang, "applications"), value: total("applications") },
    { name: columnLabel(lang, "moveins"), value: total("moveins") },
    { name: columnLabel(lang, "cancellations"), value: total("cancellations") },
  ];
  return baseOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { show: false },
    xAxis: { type: "value" },
    yAxis: { type: "category", inverse: true, data: steps.map((s) => s.name) },
    series: [{ type: "bar", data: steps.map((s) => s.value), label: { show: true, position: "right" } }],
  });
}

function trendOption(lang: Lang, periods: readonly Row[]): unknown {
  const x = periods.map((p) => String(p.period_start));
  const bar = (key: "inquiries" | "applications" | "moveins" | "cancellations") => ({
    name: columnLabel(lang, key),
    type: "bar",
    data: periods.map((p) => num(p[key])),
  });
  return baseOption({
    xAxis: { type: "category", data: x },
    yAxis: [{ type: "value" }, { type: "value", name: "%", max: 100, splitLine: { show: false } }],
    dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 4 }],
    grid: { left: 48, right: 48, top: 40, bottom: 56, containLabel: true },
    series: [
      bar("inquiries"),
      bar("applications"),
      bar("moveins"),
      bar("cancellations"),
      {
        name: columnLabel(lang, "conversion"),
        type: "line",
        yAxisIndex: 1,
        showSymbol: false,
        data: periods.map((p) => (p.conversion === null ? null : Math.round(num(p.conversion) * 1000) / 10)),
      },
    ],
  });
}

const SEGMENT_COLUMNS = [
  "day",
  "tenant_type",
  "nationality",
  "asset_id_hj",
  "building",
  "municipality",
  "inquiries",
  "applications",
  "moveins",
  "cancellations",
] as const;

export const funnelPage: PageModule = {
  page: DASHBOARD_PAGES[1]!,
  filters: ["from", "to", "grain", "tenant_type", "nationality", "building", "municipality"],
  optionsFrom: "funnel_application_to_movein_daily",
  tables: [
    {
      name: "periods",
      title: "table.funnel_periods",
      columns: PERIOD_COLUMNS,
      query: ({ filters }) => periodizedQuery(filters, filters.grain ?? "week"),
    },
    {
      name: "daily",
      title: "table.funnel_daily",
      columns: DAILY_COLUMNS,
      query: ({ filters }) => {
        const w = buildWhere(filters, { date: { column: "day", grain: "day" }, ...DIMENSION_COLUMNS });
        return {
          sql: `SELECT day, ${FUNNEL_SUMS} FROM gold.funnel_application_to_movein_daily ${w.where} GROUP BY day ORDER BY day`,
          params: w.params,
        };
      },
    },
    {
      // The daily mart's own rows (day x tenant type x nationality x building), for Excel.
      name: "daily_segments",
      title: "table.funnel_daily_segments",
      columns: SEGMENT_COLUMNS,
      previewOnly: true,
      query: ({ filters, lang }) => {
        const w = buildWhere(filters, { date: { column: "day", grain: "day" }, ...DIMENSION_COLUMNS });
        return {
          sql: `SELECT day, tenant_type_${lang} AS tenant_type, nationality_${lang} AS nationality, asset_id_hj,
  apartment_name AS building, municipality_${lang} AS municipality, CAST(inquiries AS BIGINT) AS inquiries,
  CAST(applications AS BIGINT) AS applications, CAST(moveins AS BIGINT) AS moveins,
  CAST(cancellations AS BIGINT) AS cancellations
FROM gold.funnel_application_to_movein_daily ${w.where} ORDER BY day, asset_id_hj, tenant_type, nationality_code`,
          params: w.params,
        };
      },
    },
  ],
  async render(ctx) {
    return [
      chart(ctx.lang, "funnel", "chart.funnel", funnelOption(ctx.lang, ctx.tables.daily ?? [])),
      chart(ctx.lang, "funnel-trend", "chart.funnel_trend", trendOption(ctx.lang, ctx.tables.periods ?? [])),
    ].join("\n");
  },
};
