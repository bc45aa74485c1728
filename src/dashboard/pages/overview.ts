/**
 * Overview `/`: KPI cards (latest month vs the month before), the daily occupancy trend with
 * the fact/projection boundary, and the KPI version and trace line.
 * Reads gold.kpi_month_end_metrics, kpi_reference_trace, occupancy_daily_metrics,
 * occupancy_kpi_meta.
 */
import { buildWhere } from "../filters/filters.js";
import { escapeHtml } from "../html.js";
import { t, type Lang, type LabelKey } from "../i18n/labels.js";
import { chart, kpiCard, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { baseOption, num, rowsOf, type PageModule, type RenderContext } from "./page-kit.js";

const KPI_MONTHLY_COLUMNS = [
  "month_start",
  "occupancy_rate",
  "period_end_rooms",
  "total_rooms",
  "occupied_rooms_0000_next_day",
  "rent",
  "revpar",
  "recpar_cash",
] as const;

const DAILY_COLUMNS = [
  "snapshot_date",
  "occupancy_rate",
  "period_end_rooms",
  "total_rooms",
  "applications",
  "new_moveins",
  "new_moveouts",
  "is_projection",
] as const;

export interface KpiSpec {
  name: string;
  label: LabelKey;
  column: string;
  format: (v: number) => string;
  /** Rates change in percentage points, amounts in percent. */
  change: "points" | "percent";
}

const yen = (v: number) => `¥${Math.round(v).toLocaleString("en-US")}`;
export const KPIS: readonly KpiSpec[] = [
  {
    name: "occupancy_rate",
    label: "kpi.occupancy_rate",
    column: "occupancy_rate",
    format: (v) => `${(v * 100).toFixed(1)}%`,
    change: "points",
  },
  { name: "rent", label: "kpi.rent", column: "rent", format: yen, change: "percent" },
  { name: "revpar", label: "kpi.revpar", column: "revpar", format: yen, change: "percent" },
  { name: "recpar_cash", label: "kpi.recpar_cash", column: "recpar_cash", format: yen, change: "percent" },
  {
    name: "occupied_rooms_0000",
    label: "kpi.occupied_rooms_0000",
    column: "occupied_rooms_0000_next_day",
    format: (v) => Math.round(v).toLocaleString("en-US"),
    change: "percent",
  },
];

export function changeText(
  spec: KpiSpec,
  current: number,
  previous: number | null,
): { text: string; dir: "up" | "down" | "flat" } {
  if (previous === null) return { text: "—", dir: "flat" };
  const delta =
    spec.change === "points"
      ? (current - previous) * 100
      : previous === 0
        ? 0
        : ((current - previous) / previous) * 100;
  const dir = delta > 0.05 ? "up" : delta < -0.05 ? "down" : "flat";
  const sign = delta > 0 ? "+" : "";
  return { text: `${sign}${delta.toFixed(1)}${spec.change === "points" ? " pt" : "%"}`, dir };
}

/** Rooms occupied at 00:00 on the latest fact day (the month-end figure of a month not yet over). */
interface LatestRooms {
  date: string;
  rooms: number;
}

async function latestRooms0000(ctx: RenderContext): Promise<LatestRooms | null> {
  const rows = await rowsOf(ctx.reader, {
    sql: `SELECT snapshot_date, occupancy_room_count_0000 AS rooms FROM gold.occupancy_daily_metrics
WHERE NOT is_projection AND occupancy_room_count_0000 IS NOT NULL ORDER BY snapshot_date DESC LIMIT 1`,
    params: [],
  });
  const row = rows[0];
  return row ? { date: String(row.snapshot_date), rooms: num(row.rooms) } : null;
}

function kpiCards(lang: Lang, months: readonly Row[], latest: LatestRooms | null): string {
  const current = months.at(-1);
  if (!current) return `<p class="note">${escapeHtml(t(lang, "noData"))}</p>`;
  const previous = months.at(-2) ?? null;
  const cards = KPIS.map((spec) => {
    let raw = current[spec.column];
    let label = t(lang, spec.label);
    // The month is not over: its month-end room count is not known yet; show the latest day's.
    const inMonth = latest !== null && latest.date.slice(0, 7) === String(current.month_start).slice(0, 7);
    if ((raw === null || raw === undefined) && spec.name === "occupied_rooms_0000" && inMonth) {
      raw = latest.rooms;
      label = `${label} (${t(lang, "kpi.latestDay")} ${latest.date})`;
    }
    if (raw === null || raw === undefined) {
      return kpiCard({
        name: spec.name,
        label: t(lang, spec.label),
        value: "—",
        change: `${t(lang, "kpi.mom")} —`,
        direction: "flat",
      });
    }
    const value = num(raw);
    const before = previous?.[spec.column];
    const change = changeText(spec, value, before === null || before === undefined ? null : num(before));
    return kpiCard({
      name: spec.name,
      label,
      value: spec.format(value),
      change: `${t(lang, "kpi.mom")} ${change.text}`,
      direction: change.dir,
    });
  }).join("\n");
  return `<section class="card kpis"><h2>${escapeHtml(`${t(lang, "kpi.month")}: ${String(current.month_start).slice(0, 7)}`)}</h2>
<div class="kpi-grid">${cards}</div></section>`;
}

/** Fact days solid, projection days dashed and lighter, a vertical line at the boundary. */
export function occupancyTrendOption(
  lang: Lang,
  days: readonly Row[],
  firstProjection: string | null,
): unknown {
  const dates = days.map((d) => String(d.snapshot_date));
  const pct = (d: Row) => Math.round(num(d.occupancy_rate) * 10000) / 100;
  const lastFact = days.findLastIndex((d) => d.is_projection !== true);
  const fact = days.map((d) => (d.is_projection === true ? null : pct(d)));
  // The projection line starts at the last fact day so the two lines join.
  const projection = days.map((d, i) => (d.is_projection === true || i === lastFact ? pct(d) : null));
  const boundary = firstProjection && dates.includes(firstProjection) ? firstProjection : null;
  return baseOption({
    xAxis: { type: "category", data: dates },
    yAxis: { type: "value", name: "%", scale: true },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 4 }],
    grid: { left: 48, right: 24, top: 40, bottom: 56, containLabel: true },
    series: [
      { name: t(lang, "series.fact"), type: "line", data: fact, showSymbol: false, lineStyle: { width: 2 } },
      {
        name: t(lang, "series.projection"),
        type: "line",
        data: projection,
        showSymbol: false,
        lineStyle: { type: "dashed", width: 2, opacity: 0.55 },
        itemStyle: { opacity: 0.55 },
        markLine: boundary
          ? {
              symbol: "none",
              silent: true,
              lineStyle: { type: "solid", color: "#888" },
              label: { formatter: t(lang, "boundary"), position: "insideEndTop" },
              data: [{ xAxis: boundary }],
            }
          : undefined,
      },
    ],
  });
}

async function traceLine(ctx: RenderContext): Promise<string> {
  const meta = (await rowsOf(ctx.reader, { sql: "SELECT * FROM gold.occupancy_kpi_meta", params: [] }))[0];
  const trace = (await rowsOf(ctx.reader, { sql: "SELECT * FROM gold.kpi_reference_trace", params: [] }))[0];
  if (!meta && !trace) return "";
  const dump = trace
    ? String(trace.dump_file ?? "")
        .split("/")
        .at(-1)
    : "";
  const sha = trace ? String(trace.dump_sha256 ?? "").slice(0, 12) : "";
  const parts = [
    `${t(ctx.lang, "trace.version")}: ${String(meta?.kpi_definition_version ?? trace?.kpi_definition_version ?? "—")}`,
    `${t(ctx.lang, "trace.dump")}: ${dump}${sha ? ` (sha256 ${sha}…)` : ""}`,
    `${t(ctx.lang, "trace.built")}: ${String(meta?.gold_built_at ?? trace?.trace_generated_at ?? "—")}`,
  ];
  return `<p class="trace" data-trace>${escapeHtml(parts.join(" · "))}</p>`;
}

async function firstProjectionDate(ctx: RenderContext): Promise<string | null> {
  const meta = await rowsOf(ctx.reader, {
    sql: "SELECT first_projection_date FROM gold.occupancy_kpi_meta",
    params: [],
  });
  const value = meta[0]?.first_projection_date;
  return typeof value === "string" ? value : null;
}

export const overviewPage: PageModule = {
  page: DASHBOARD_PAGES[0]!,
  filters: ["from", "to"],
  tables: [
    {
      name: "kpi_monthly",
      title: "table.kpi_monthly",
      columns: KPI_MONTHLY_COLUMNS,
      query: ({ filters }) => {
        const w = buildWhere(filters, { date: { column: "month_start", grain: "month" } });
        return {
          sql: `SELECT ${KPI_MONTHLY_COLUMNS.join(", ")} FROM gold.kpi_month_end_metrics ${w.where} ORDER BY month_start`,
          params: w.params,
        };
      },
    },
    {
      name: "occupancy_daily",
      title: "table.occupancy_daily",
      columns: DAILY_COLUMNS,
      query: ({ filters }) => {
        const w = buildWhere(filters, { date: { column: "snapshot_date", grain: "day" } });
        return {
          sql: `SELECT ${DAILY_COLUMNS.join(", ")} FROM gold.occupancy_daily_metrics ${w.where} ORDER BY snapshot_date`,
          params: w.params,
        };
      },
    },
  ],
  async render(ctx) {
    const months = (ctx.tables.kpi_monthly ?? []).filter(
      (m) => !ctx.asOf || String(m.month_start) <= ctx.asOf,
    );
    const days = ctx.tables.occupancy_daily ?? [];
    const trend = occupancyTrendOption(ctx.lang, days, await firstProjectionDate(ctx));
    return [
      kpiCards(ctx.lang, months, await latestRooms0000(ctx)),
      `<div class="wide">${chart(ctx.lang, "occupancy-trend", "chart.occupancy_trend", trend)}</div>`,
      await traceLine(ctx),
    ].join("\n");
  },
};
