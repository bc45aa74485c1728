/**
 * Data quality `/quality`: calendar of valid and gap days, the last runs, the step timings of
 * the latest run, failing tests and the freshness of the monitored tables (the same tables
 * and levels as `tokyobeta monitor freshness`, read from the published state).
 * Reads gold.data_quality_calendar and tokyobeta_meta.daily_runs, model_runs, test_results.
 */
import { hoursBetween, MONITORED_TABLES, snapshotMoment } from "../../monitor/check-freshness.js";
import { freshnessStatus } from "../../monitor/freshness-status.js";
import { buildWhere } from "../filters/filters.js";
import { CALENDAR_NAMES, columnLabel, t, type Lang } from "../i18n/labels.js";
import { chart, type Row } from "../layout.js";
import { DASHBOARD_PAGES } from "../pages.js";
import type { PublishedReader } from "../published-reader.js";
import { baseOption, num, type PageModule } from "./page-kit.js";

const LATEST_DAILY_RUN = "(SELECT run_id FROM tokyobeta_meta.daily_runs ORDER BY started_at DESC LIMIT 1)";
const LATEST_TEST_RUN = `(SELECT run_id FROM tokyobeta_meta.test_results ORDER BY "at" DESC LIMIT 1)`;

/** The pipeline steps of the latest daily run, from its run record. */
async function latestRunSteps(reader: PublishedReader): Promise<Row[]> {
  const result = await reader.cached(
    `SELECT run_id, record_json FROM tokyobeta_meta.daily_runs WHERE run_id = ${LATEST_DAILY_RUN}`,
  );
  const row = result?.rows[0];
  if (!row || typeof row.record_json !== "string") return [];
  const record = JSON.parse(row.record_json) as {
    steps?: { step: string; status: string; startedAt?: string; durationMs?: number }[];
  };
  return (record.steps ?? []).map((s) => ({
    run_id: row.run_id,
    step: s.step,
    status: s.status,
    started_at: s.startedAt ?? null,
    duration_ms: s.durationMs ?? null,
  }));
}

/** Latest date of each monitored table, its age at `now` and the freshness level. */
async function freshnessRows(reader: PublishedReader, now: Date): Promise<Row[]> {
  const rows: Row[] = [];
  for (const m of MONITORED_TABLES) {
    const target = `${m.schema}.${m.table}`;
    try {
      const result = await reader.cached(
        `SELECT CAST(MAX(${m.column}) AS VARCHAR) AS latest FROM ${target}${m.where ? ` WHERE ${m.where}` : ""}`,
      );
      const latest = result?.rows[0]?.latest;
      const date = typeof latest === "string" ? latest.slice(0, 10) : null;
      const age = date ? hoursBetween(snapshotMoment(date), now) : null;
      rows.push({
        target,
        latest: date,
        age_hours: age,
        level: age === null ? "critical" : freshnessStatus(age),
      });
    } catch {
      rows.push({ target, latest: null, age_hours: null, level: "critical" });
    }
  }
  return rows;
}

function calendarOption(lang: Lang, days: readonly Row[]): unknown {
  const dates = days.map((d) => String(d.calendar_date)).sort();
  const first = dates[0];
  const last = dates.at(-1);
  if (!first || !last) return baseOption({ series: [] });
  return {
    animation: false,
    tooltip: { trigger: "item" },
    visualMap: {
      type: "piecewise",
      orient: "horizontal",
      left: "center",
      top: 0,
      dimension: 1,
      pieces: [
        { value: 1, label: t(lang, "status.valid"), color: "#2e9e5b" },
        { value: 0, label: t(lang, "status.gap"), color: "#d64545" },
      ],
    },
    calendar: {
      // Room for the month names under the legend, and for the year left of the day names.
      top: 72,
      left: 84,
      right: 16,
      range: [first, last],
      cellSize: ["auto", 16],
      yearLabel: { show: true, margin: 44 },
      dayLabel: { firstDay: 1, nameMap: CALENDAR_NAMES[lang].days },
      monthLabel: { nameMap: CALENDAR_NAMES[lang].months },
    },
    series: [
      {
        type: "heatmap",
        coordinateSystem: "calendar",
        data: days.map((d) => [String(d.calendar_date), d.status === "valid" ? 1 : 0]),
      },
    ],
  };
}

function stepsOption(lang: Lang, allSteps: readonly Row[]): unknown {
  // The publish step of the run that wrote the state has no duration there: no bar rather than 0.
  const steps = allSteps.filter((s) => s.duration_ms !== null);
  return baseOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { show: false },
    xAxis: { type: "value", name: "ms", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", inverse: true, data: steps.map((s) => String(s.step)) },
    series: [
      {
        name: columnLabel(lang, "duration_ms"),
        type: "bar",
        data: steps.map((s) => num(s.duration_ms)),
        label: { show: true, position: "right" },
      },
    ],
  });
}

export const qualityPage: PageModule = {
  page: DASHBOARD_PAGES[6]!,
  filters: ["from", "to"],
  clockSensitive: true,
  tables: [
    {
      name: "calendar",
      title: "table.calendar",
      columns: ["calendar_date", "status", "reason_text", "source"],
      query: ({ filters }) => {
        const w = buildWhere(filters, { date: { column: "calendar_date", grain: "day" } });
        return {
          sql: `SELECT calendar_date, status, reason AS reason_text, source FROM gold.data_quality_calendar ${w.where} ORDER BY calendar_date`,
          params: w.params,
        };
      },
    },
    {
      name: "runs",
      title: "table.runs",
      columns: ["run_id", "target_date", "state", "started_at", "duration_ms", "failing_step", "warnings"],
      query: ({ filters }) => {
        const w = buildWhere(filters, { date: { column: "target_date", grain: "day" } });
        return {
          sql: `SELECT run_id, target_date, state, started_at, duration_ms, failing_step, warnings
FROM tokyobeta_meta.daily_runs ${w.where} ORDER BY started_at DESC LIMIT 30`,
          params: w.params,
        };
      },
    },
    {
      name: "steps",
      title: "table.steps",
      columns: ["run_id", "step", "status", "started_at", "duration_ms"],
      load: (reader) => latestRunSteps(reader),
    },
    {
      name: "model_runs",
      title: "table.model_runs",
      columns: ["node", "kind", "status", "duration_ms", "rows"],
      query: () => ({
        sql: `SELECT node, kind, status, duration_ms, rows FROM tokyobeta_meta.model_runs
WHERE run_id = ${LATEST_DAILY_RUN} ORDER BY duration_ms DESC, node`,
        params: [],
      }),
    },
    {
      name: "failing_tests",
      title: "table.failing_tests",
      columns: ["test", "node", "severity", "status", "failures"],
      query: () => ({
        sql: `SELECT test, node, severity, status, failures FROM tokyobeta_meta.test_results
WHERE run_id = ${LATEST_TEST_RUN} AND status <> 'pass' ORDER BY severity, test`,
        params: [],
      }),
    },
    {
      name: "freshness",
      title: "table.freshness",
      columns: ["target", "latest", "age_hours", "level"],
      load: (reader, q) => freshnessRows(reader, q.now),
    },
  ],
  async render(ctx) {
    return [
      `<div class="wide">${chart(ctx.lang, "calendar", "chart.calendar", calendarOption(ctx.lang, ctx.tables.calendar ?? []))}</div>`,
      chart(ctx.lang, "step-timings", "chart.step_timings", stepsOption(ctx.lang, ctx.tables.steps ?? [])),
    ].join("\n");
  },
};
