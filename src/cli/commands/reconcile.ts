import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { UsageError, WarehouseError } from "../../errors.js";
import {
  DEFINITIONS,
  buildReconcileSql,
  isInProgress,
  type Definition,
  type ReconcilePeriod,
} from "../../reconcile/build-reconcile-sql.js";
import {
  parseExternalCsv,
  type ExternalFigure,
  type ExternalMetric,
} from "../../reconcile/parse-external-csv.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { SqlValue, StateReader } from "../../warehouse/warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

interface ReconcileFlags extends CommonOptions {
  external: string;
  json?: boolean;
}

export type Mark = "matches" | "closest";

export interface ReconcileAlternative {
  key: string;
  /** (a), (b), ... in the order shown; (a) is the official definition. */
  letter: string;
  label: string;
  value: number | null;
  occupied_rooms?: number | null;
  total_rooms?: number | null;
  /** external - ours; NULL when we have no figure under this definition. */
  difference: number | null;
  mark: Mark | null;
  explanation: string;
  covered_from?: string | null;
  covered_to?: string | null;
  covered_days?: number | null;
}

export interface ReconcileResult {
  line: number;
  month: string;
  metric: ExternalMetric;
  external: number;
  external_text: string;
  /** The month's as-of date (the last fact day in the month). */
  as_of_date: string;
  period_from: string;
  period_to: string;
  in_progress: boolean;
  official: number | null;
  official_difference: number | null;
  /** "matches official", "matches (b) scheduled move-out date", "closest: ..." */
  verdict: string;
  alternatives: ReconcileAlternative[];
}

function num(v: SqlValue | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function str(v: SqlValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}

function lastDayOfMonth(monthStart: string): string {
  const [y, m] = monthStart.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Our value equals the external one at the precision the external figure was given with. */
export function sameAtPrecision(ours: number, external: number, decimals: number): boolean {
  return ours.toFixed(decimals) === external.toFixed(decimals);
}

/**
 * Marks the definitions whose value equals the external figure ("matches"), or, when none
 * does, those nearest to it ("closest").
 */
export function markAlternatives(
  alternatives: { value: number | null }[],
  external: number,
  decimals: number,
): (Mark | null)[] {
  const matches = alternatives.map((a) => a.value !== null && sameAtPrecision(a.value, external, decimals));
  if (matches.some(Boolean)) return matches.map((m) => (m ? "matches" : null));
  const distances = alternatives.map((a) => (a.value === null ? Infinity : Math.abs(a.value - external)));
  const best = Math.min(...distances);
  if (best === Infinity) return alternatives.map(() => null);
  return distances.map((d) => (d - best <= 1e-12 ? "closest" : null));
}

interface MonthRow {
  month_start: string;
  as_of_date: string;
}

/** The months we have figures for (one per month with a fact day) and the latest as-of date. */
async function monthsOf(reader: StateReader): Promise<MonthRow[]> {
  let rows: Record<string, SqlValue>[];
  try {
    rows = (
      await reader.query(
        "SELECT month_start, as_of_date FROM gold.kpi_month_end_metrics ORDER BY month_start",
      )
    ).rows;
  } catch (err) {
    throw new WarehouseError(
      `the published state has no readable gold.kpi_month_end_metrics (${(err as Error).message.split("\n")[0]}): run \`tokyobeta run daily\` first`,
    );
  }
  if (rows.length === 0)
    throw new WarehouseError("no month-end KPIs in the published state yet: run `tokyobeta run daily` first");
  return rows.map((r) => ({ month_start: String(r.month_start), as_of_date: String(r.as_of_date) }));
}

function groupOf(metric: ExternalMetric): keyof typeof DEFINITIONS {
  return metric === "moveins" || metric === "moveouts" ? metric : "occupancy";
}

/** Reconciles every external figure against the published warehouse. */
export async function reconcileFigures(
  reader: StateReader,
  figures: readonly ExternalFigure[],
  file = "the CSV",
): Promise<ReconcileResult[]> {
  const months = await monthsOf(reader);
  const byMonth = new Map(months.map((m) => [m.month_start.slice(0, 7), m]));
  const missing = figures.filter((f) => !byMonth.has(f.month));
  if (missing.length > 0)
    throw new UsageError(
      missing
        .map((f) => `${file}:${f.line}: field 'month': no data for ${f.month}`)
        .concat(`months available: ${months.map((m) => m.month_start.slice(0, 7)).join(", ")}`)
        .join("\n"),
    );
  const latestAsOf = months.map((m) => m.as_of_date).reduce((a, b) => (a > b ? a : b));
  const results: ReconcileResult[] = [];
  for (const figure of figures) {
    const month = byMonth.get(figure.month)!;
    const monthEnd = lastDayOfMonth(month.month_start);
    const period: ReconcilePeriod = {
      monthStart: month.month_start,
      monthEnd,
      periodEnd: monthEnd < latestAsOf ? monthEnd : latestAsOf,
      asOfDate: month.as_of_date,
    };
    const { sql, params } = buildReconcileSql(figure.metric, period);
    const rows = new Map((await reader.query(sql, params)).rows.map((r) => [String(r.definition), r]));
    const isRooms = figure.metric === "occupied_rooms";
    const definitions = DEFINITIONS[groupOf(figure.metric)].filter(
      (d) => rows.has(d.key) && !(isRooms && d.rateOnly),
    );
    const periodDays = daysBetween(period.monthStart, period.periodEnd);
    const alternatives = definitions.map((d, i) => {
      const r = rows.get(d.key)!;
      const value = isRooms ? num(r.occupied_rooms) : num(r.value);
      const alternative: ReconcileAlternative = {
        key: d.key,
        letter: `(${String.fromCharCode(97 + i)})`,
        label: d.label,
        value,
        difference: value === null ? null : figure.value - value,
        mark: null,
        explanation: explain(d, r, periodDays, value),
      };
      if (groupOf(figure.metric) === "occupancy") {
        alternative.occupied_rooms = num(r.occupied_rooms);
        alternative.total_rooms = num(r.total_rooms);
      }
      if (r.covered_days !== null && r.covered_days !== undefined) {
        alternative.covered_from = str(r.covered_from);
        alternative.covered_to = str(r.covered_to);
        alternative.covered_days = num(r.covered_days);
      }
      return alternative;
    });
    markAlternatives(alternatives, figure.value, figure.decimals).forEach(
      (m, i) => (alternatives[i]!.mark = m),
    );
    const official = alternatives[0]!;
    results.push({
      line: figure.line,
      month: figure.month,
      metric: figure.metric,
      external: figure.value,
      external_text: figure.text,
      as_of_date: period.asOfDate,
      period_from: period.monthStart,
      period_to: period.periodEnd,
      in_progress: isInProgress(period),
      official: official.value,
      official_difference: official.difference,
      verdict: verdictOf(alternatives),
      alternatives,
    });
  }
  return results;
}

function explain(
  d: Definition,
  r: Record<string, SqlValue>,
  periodDays: number,
  value: number | null,
): string {
  let text = d.explanation;
  const covered = num(r.covered_days);
  if (covered !== null && covered < periodDays)
    text +=
      covered === 0
        ? `; no usable day in the month`
        : `; saw only ${covered} of ${periodDays} days (${str(r.covered_from)}..${str(r.covered_to)})`;
  if (value === null && d.key === "next_day_0000") text += "; no fact day right after the month yet";
  else if (value === null) text += "; no figure";
  return text;
}

function verdictOf(alternatives: ReconcileAlternative[]): string {
  const names = (mark: Mark) =>
    alternatives
      .filter((a) => a.mark === mark)
      .map((a) => `${a.letter} ${a.label}`)
      .join("; ");
  if (alternatives[0]!.mark === "matches") {
    const others = alternatives.slice(1).filter((a) => a.mark === "matches");
    return others.length === 0
      ? "matches our official figure"
      : `matches our official figure (and ${others.map((a) => `${a.letter} ${a.label}`).join("; ")})`;
  }
  if (alternatives.some((a) => a.mark === "matches")) return `the other side matches ${names("matches")}`;
  if (alternatives.some((a) => a.mark === "closest"))
    return `no definition matches exactly; closest: ${names("closest")}`;
  return "no figure to compare";
}

function fmtValue(metric: ExternalMetric, v: number | null | undefined): string {
  if (v === null || v === undefined) return "n/a";
  if (metric === "occupancy_rate") return `${(v * 100).toFixed(2)}%`;
  return Number.isInteger(v)
    ? v.toLocaleString("en-US")
    : v.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function fmtDifference(metric: ExternalMetric, v: number | null): string {
  if (v === null) return "";
  if (Math.abs(v) < 5e-9) return metric === "occupancy_rate" ? "0 pt" : "0";
  const sign = v > 0 ? "+" : v < 0 ? "-" : "";
  if (metric === "occupancy_rate") return `${sign}${Math.abs(v * 100).toFixed(2)} pt`;
  return `${sign}${fmtValue(metric, Math.abs(v))}`;
}

/** The text report of one external figure. */
export function renderResult(r: ReconcileResult): string {
  const period = r.in_progress
    ? `${r.period_from}..${r.period_to}, month in progress`
    : `${r.period_from}..${r.period_to}`;
  const head =
    `${r.metric} ${r.month} (line ${r.line}; ${period}; as-of snapshot ${r.as_of_date}): ` +
    `external ${fmtValue(r.metric, r.external)}, ours (official) ${fmtValue(r.metric, r.official)}, ` +
    `difference ${fmtDifference(r.metric, r.official_difference) || "0"}`;
  const table = render(
    r.alternatives.map((a) => ({
      mark: a.mark ?? "",
      definition: `${a.letter} ${a.label}`,
      ours: fmtValue(r.metric, a.value),
      external: fmtValue(r.metric, r.external),
      "ext - ours": fmtDifference(r.metric, a.difference),
      explanation:
        r.metric === "occupancy_rate" && a.occupied_rooms != null && a.total_rooms != null
          ? `${fmtValue("occupied_rooms", a.occupied_rooms)} / ${fmtValue("occupied_rooms", a.total_rooms)} rooms: ${a.explanation}`
          : a.explanation,
    })),
    "table",
  );
  return [head, `=> ${r.verdict}`, table].join("\n");
}

/** `tokyobeta reconcile --external FILE.csv`: our figures under every definition next to another report's. */
export async function reconcileReport(flags: ReconcileFlags, io: CommandIO = processIO): Promise<number> {
  if (!flags.external) throw new UsageError("--external FILE.csv is required");
  let text: string;
  try {
    text = readFileSync(flags.external, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${flags.external}: ${(err as Error).message}`);
  }
  const figures = parseExternalCsv(text, flags.external);
  const settings = settingsFrom(flags).values;
  const warehouse = await openWarehouse(settings.warehouse);
  try {
    const reader = await warehouse.openPublished();
    try {
      const results = await reconcileFigures(reader, figures, flags.external);
      if (flags.json) {
        for (const r of results) io.out(JSON.stringify(r, jsonReplacer));
        return 0;
      }
      io.out(results.map(renderResult).join("\n\n"));
      return 0;
    } finally {
      await reader.close();
    }
  } finally {
    await warehouse.close();
  }
}

export function registerReconcileCommand(program: Command): void {
  withCommonOptions(
    program
      .command("reconcile")
      .description(
        "compare another report's monthly move-ins / move-outs / occupancy with ours under every common definition",
      ),
  )
    .requiredOption(
      "--external <file.csv>",
      "CSV with the header month,metric,value (metric: moveins, moveouts, occupancy_rate, occupied_rooms)",
    )
    .option("--json", "one JSON object per external row")
    .action(action((flags: ReconcileFlags) => reconcileReport(flags)));
}
