/**
 * Pricing `/pricing`: conversion and share of applications / move-ins by rent band, the rent
 * distribution of move-ins, and conversion by month.
 * Reads gold.funnel_application_to_movein_segment_share and funnel_application_to_movein_periodized.
 */
import { buildWhere, DIMENSION_COLUMNS } from "../filters/filters.js";
import { columnLabel, type Lang } from "../i18n/labels.js";
import { chart, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { periodizedQuery } from "./funnel.js";
import { baseOption, num, type PageModule } from "./page-kit.js";

const BAND_COLUMNS = [
  "rent_band",
  "applications",
  "moveins",
  "share_of_applications",
  "share_of_moveins",
  "conversion",
] as const;
const MONTH_COLUMNS = [
  "month_start",
  "inquiries",
  "applications",
  "moveins",
  "cancellations",
  "conversion",
] as const;

const pct = (v: unknown) => (v === null || v === undefined ? null : Math.round(num(v) * 1000) / 10);

function bandOption(lang: Lang, bands: readonly Row[]): unknown {
  return baseOption({
    xAxis: { type: "category", data: bands.map((b) => String(b.rent_band)) },
    yAxis: { type: "value", name: "%" },
    series: [
      {
        name: columnLabel(lang, "share_of_applications"),
        type: "bar",
        data: bands.map((b) => pct(b.share_of_applications)),
      },
      {
        name: columnLabel(lang, "share_of_moveins"),
        type: "bar",
        data: bands.map((b) => pct(b.share_of_moveins)),
      },
      { name: columnLabel(lang, "conversion"), type: "line", data: bands.map((b) => pct(b.conversion)) },
    ],
  });
}

function distributionOption(lang: Lang, bands: readonly Row[]): unknown {
  return baseOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: bands.map((b) => String(b.rent_band)) },
    yAxis: { type: "value" },
    series: [
      { name: columnLabel(lang, "applications"), type: "bar", data: bands.map((b) => num(b.applications)) },
      { name: columnLabel(lang, "moveins"), type: "bar", data: bands.map((b) => num(b.moveins)) },
    ],
  });
}

function monthlyOption(lang: Lang, months: readonly Row[]): unknown {
  return baseOption({
    xAxis: { type: "category", data: months.map((m) => String(m.month_start).slice(0, 7)) },
    yAxis: { type: "value", name: "%", max: 100 },
    dataZoom: [{ type: "inside" }],
    series: [
      { name: columnLabel(lang, "conversion"), type: "line", data: months.map((m) => pct(m.conversion)) },
    ],
  });
}

export const pricingPage: PageModule = {
  page: DASHBOARD_PAGES[3]!,
  filters: ["from", "to", "tenant_type", "nationality", "building", "municipality"],
  optionsFrom: "funnel_application_to_movein_segment_share",
  tables: [
    {
      name: "rent_bands",
      title: "table.rent_bands",
      columns: BAND_COLUMNS,
      query: ({ filters, lang }) => {
        const w = buildWhere(
          filters,
          { date: { column: "month_start", grain: "month" }, ...DIMENSION_COLUMNS },
          [{ sql: "segment_type = 'rent_band'" }],
        );
        return {
          sql: `SELECT min(segment_${lang}) AS rent_band,
  CAST(sum(applications) AS BIGINT) AS applications, CAST(sum(moveins) AS BIGINT) AS moveins,
  CAST(sum(applications) AS DOUBLE PRECISION) / NULLIF(sum(sum(applications)) OVER (), 0) AS share_of_applications,
  CAST(sum(moveins) AS DOUBLE PRECISION) / NULLIF(sum(sum(moveins)) OVER (), 0) AS share_of_moveins,
  CAST(sum(applications_moved_in_60d) AS DOUBLE PRECISION) / NULLIF(sum(applications), 0) AS conversion
FROM gold.funnel_application_to_movein_segment_share ${w.where}
GROUP BY segment_value ORDER BY min(segment_sort), segment_value`,
          params: w.params,
        };
      },
    },
    {
      name: "monthly_conversion",
      title: "table.monthly_conversion",
      columns: MONTH_COLUMNS,
      query: ({ filters }) => periodizedQuery(filters, "month", "month_start"),
    },
  ],
  async render(ctx) {
    const bands = ctx.tables.rent_bands ?? [];
    return [
      chart(ctx.lang, "rent-band-conversion", "chart.rent_band_conversion", bandOption(ctx.lang, bands)),
      chart(ctx.lang, "rent-distribution", "chart.rent_distribution", distributionOption(ctx.lang, bands)),
      chart(
        ctx.lang,
        "monthly-conversion",
        "chart.monthly_conversion",
        monthlyOption(ctx.lang, ctx.tables.monthly_conversion ?? []),
      ),
    ].join("\n");
  },
};
