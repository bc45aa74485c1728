/**
 * Move-ins `/moveins` and Move-outs `/moveouts`: profiles (tenant type, nationality, gender,
 * age band, identity, affiliation, rent band; for move-outs also tenure and reason) and weekly
 * counts; Move-outs adds move-out reasons by week.
 * Reads gold.movein_profile_monthly / moveout_profile_monthly, move_events_weekly and
 * moveouts_reason_weekly.
 */
import { buildWhere, DIMENSION_COLUMNS } from "../filters/filters.js";
import { columnLabel, t, type Lang, type LabelKey } from "../i18n/labels.js";
import { chart, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { baseOption, num, type DetailTable, type PageModule } from "./page-kit.js";

type Direction = "moveins" | "moveouts";

const WEEKLY_COLUMNS = [
  "week_start",
  "moveins",
  "scheduled_moveins",
  "moveouts",
  "scheduled_moveouts",
  "net_change",
] as const;
const PROFILE_COLUMNS = ["dimension", "value", "moveins", "share"] as const;
const REASON_COLUMNS = ["week_start", "reason", "moveouts", "share_of_week"] as const;

/** The dimensions of every tenant profile mart (macro tenant_profile_rows). */
const TENANT_DIMENSIONS = [
  "tenant_type",
  "nationality",
  "gender",
  "age_band",
  "personal_identity",
  "affiliation_type",
  "rent_band",
] as const;

const PROFILE_DIMENSIONS: Record<Direction, readonly string[]> = {
  moveins: TENANT_DIMENSIONS,
  moveouts: ["reason", "tenure_band", ...TENANT_DIMENSIONS],
};

const weeklyTable: DetailTable = {
  name: "weekly",
  title: "table.weekly",
  columns: WEEKLY_COLUMNS,
  query: ({ filters }) => {
    const w = buildWhere(filters, { date: { column: "week_start", grain: "week" }, ...DIMENSION_COLUMNS });
    return {
      sql: `SELECT week_start, CAST(sum(moveins) AS BIGINT) AS moveins, CAST(sum(scheduled_moveins) AS BIGINT) AS scheduled_moveins,
  CAST(sum(moveouts) AS BIGINT) AS moveouts, CAST(sum(scheduled_moveouts) AS BIGINT) AS scheduled_moveouts,
  CAST(sum(net_change) AS BIGINT) AS net_change
FROM gold.move_events_weekly ${w.where} GROUP BY week_start ORDER BY week_start`,
      params: w.params,
    };
  },
};

const SEGMENT_COLUMNS = [
  "week_start",
  "tenant_type",
  "nationality",
  "asset_id_hj",
  "building",
  "municipality",
  "moveins",
  "scheduled_moveins",
  "moveouts",
  "scheduled_moveouts",
  "net_change",
] as const;

/** The weekly mart's own rows (week x tenant type x nationality x building), for Excel. */
const segmentsTable: DetailTable = {
  name: "segments",
  title: "table.segments",
  columns: SEGMENT_COLUMNS,
  previewOnly: true,
  query: ({ filters, lang }) => {
    const w = buildWhere(filters, { date: { column: "week_start", grain: "week" }, ...DIMENSION_COLUMNS });
    return {
      sql: `SELECT week_start, tenant_type_${lang} AS tenant_type, nationality_${lang} AS nationality, asset_id_hj,
  apartment_name AS building, municipality_${lang} AS municipality, CAST(moveins AS BIGINT) AS moveins,
  CAST(scheduled_moveins AS BIGINT) AS scheduled_moveins, CAST(moveouts AS BIGINT) AS moveouts,
  CAST(scheduled_moveouts AS BIGINT) AS scheduled_moveouts, CAST(net_change AS BIGINT) AS net_change
FROM gold.move_events_weekly ${w.where} ORDER BY week_start, asset_id_hj, tenant_type, nationality_code`,
      params: w.params,
    };
  },
};

function profileTable(direction: Direction): DetailTable {
  const mart = direction === "moveins" ? "movein_profile_monthly" : "moveout_profile_monthly";
  const columns =
    direction === "moveins" ? PROFILE_COLUMNS : (["dimension", "value", "moveouts", "share"] as const);
  return {
    name: "profile",
    title: "table.profile",
    columns,
    query: ({ filters, lang }) => {
      const w = buildWhere(filters, {
        date: { column: "month_start", grain: "month" },
        ...DIMENSION_COLUMNS,
      });
      // share: of the filtered move-ins/outs of the same dimension (marts.yml: divide by the filtered sum).
      return {
        sql: `SELECT dimension, min(value_${lang}) AS value, CAST(sum(${direction}) AS BIGINT) AS ${direction},
  CAST(sum(${direction}) AS DOUBLE PRECISION) / NULLIF(sum(sum(${direction})) OVER (PARTITION BY dimension), 0) AS share
FROM gold.${mart} ${w.where} GROUP BY dimension, value_code ORDER BY dimension, min(value_sort), value_code`,
        params: w.params,
      };
    },
  };
}

const reasonsTable: DetailTable = {
  name: "reasons",
  title: "table.reasons",
  columns: REASON_COLUMNS,
  ignores: ["tenant_type", "nationality", "building", "municipality"],
  query: ({ filters, lang }) => {
    const w = buildWhere(filters, { date: { column: "week_start", grain: "week" } });
    return {
      sql: `SELECT week_start, reason_${lang} AS reason, moveout_count AS moveouts, share_of_week
FROM gold.moveouts_reason_weekly ${w.where} ORDER BY week_start, reason_code`,
      params: w.params,
    };
  },
};

function weeklyOption(lang: Lang, weeks: readonly Row[], direction: Direction): unknown {
  const scheduled = direction === "moveins" ? "scheduled_moveins" : "scheduled_moveouts";
  return baseOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: weeks.map((w) => String(w.week_start)) },
    yAxis: { type: "value" },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 4 }],
    grid: { left: 48, right: 24, top: 40, bottom: 56, containLabel: true },
    series: [
      // Scheduled events are part of the count; drawn lighter on top of the confirmed ones.
      {
        name: columnLabel(lang, direction),
        type: "bar",
        stack: "n",
        data: weeks.map((w) => num(w[direction]) - num(w[scheduled])),
      },
      {
        name: columnLabel(lang, scheduled),
        type: "bar",
        stack: "n",
        itemStyle: { opacity: 0.45 },
        data: weeks.map((w) => num(w[scheduled])),
      },
      ...(direction === "moveins"
        ? [
            {
              name: columnLabel(lang, "net_change"),
              type: "line",
              showSymbol: false,
              data: weeks.map((w) => num(w.net_change)),
            },
          ]
        : []),
    ],
  });
}

function profileOption(lang: Lang, rows: readonly Row[], direction: Direction): unknown {
  return baseOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { show: false },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", inverse: true, data: rows.map((r) => String(r.value)) },
    series: [
      {
        name: columnLabel(lang, direction),
        type: "bar",
        data: rows.map((r) => num(r[direction])),
        label: { show: true, position: "right" },
      },
    ],
  });
}

function reasonsWeeklyOption(lang: Lang, rows: readonly Row[]): unknown {
  const weeks = [...new Set(rows.map((r) => String(r.week_start)))];
  const reasons = [...new Set(rows.map((r) => String(r.reason)))];
  const count = new Map(rows.map((r) => [`${String(r.week_start)}|${String(r.reason)}`, num(r.moveouts)]));
  return baseOption({
    xAxis: { type: "category", data: weeks },
    yAxis: { type: "value" },
    dataZoom: [{ type: "inside" }],
    grid: { left: 48, right: 24, top: 64, bottom: 40, containLabel: true },
    series: reasons.map((reason) => ({
      name: reason,
      type: "bar",
      stack: "reasons",
      data: weeks.map((w) => count.get(`${w}|${reason}`) ?? 0),
    })),
  });
}

function profileCharts(lang: Lang, rows: readonly Row[], direction: Direction): string {
  return PROFILE_DIMENSIONS[direction]
    .map((dim) =>
      chart(
        lang,
        `profile-${dim}`,
        `dim.${dim}` as LabelKey,
        profileOption(
          lang,
          rows.filter((r) => r.dimension === dim),
          direction,
        ),
      ),
    )
    .join("\n");
}

export const moveinsPage: PageModule = {
  page: DASHBOARD_PAGES[4]!,
  filters: ["from", "to", "tenant_type", "nationality", "building", "municipality"],
  optionsFrom: "move_events_weekly",
  tables: [weeklyTable, profileTable("moveins"), segmentsTable],
  async render(ctx) {
    return [
      `<div class="wide">${chart(ctx.lang, "weekly-moveins", "chart.weekly_moveins", weeklyOption(ctx.lang, ctx.tables.weekly ?? [], "moveins"))}</div>`,
      profileCharts(ctx.lang, ctx.tables.profile ?? [], "moveins"),
    ].join("\n");
  },
};

export const moveoutsPage: PageModule = {
  page: DASHBOARD_PAGES[5]!,
  filters: ["from", "to", "tenant_type", "nationality", "building", "municipality"],
  optionsFrom: "move_events_weekly",
  tables: [weeklyTable, profileTable("moveouts"), reasonsTable, segmentsTable],
  async render(ctx) {
    const reasonsNote = ["tenant_type", "nationality", "building", "municipality"].some(
      (f) => ctx.filters[f as "building"] !== undefined,
    )
      ? t(ctx.lang, "note.unfiltered")
      : undefined;
    return [
      `<div class="wide">${chart(ctx.lang, "weekly-moveouts", "chart.weekly_moveouts", weeklyOption(ctx.lang, ctx.tables.weekly ?? [], "moveouts"))}</div>`,
      `<div class="wide">${chart(ctx.lang, "reasons-weekly", "chart.reasons_weekly", reasonsWeeklyOption(ctx.lang, ctx.tables.reasons ?? []), reasonsNote)}</div>`,
      profileCharts(ctx.lang, ctx.tables.profile ?? [], "moveouts"),
    ].join("\n");
  },
};
