import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { SqlValue } from "../../warehouse/warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, render } from "../output.js";

const CARD_METRICS = [
  "occupancy_rate",
  "rent",
  "revpar",
  "recpar_cash",
  "occupied_rooms_0000_next_day",
] as const;

interface KpiFlags extends CommonOptions {
  month?: string;
  days: string;
  json?: boolean;
}

function num(v: SqlValue | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** `tokyobeta kpi`: the month-end cards (with month-over-month change) and the daily series around the as-of date. */
export async function kpiReport(flags: KpiFlags): Promise<number> {
  if (flags.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(flags.month))
    throw new UsageError(`--month: expected YYYY-MM, got '${flags.month}'`);
  const settings = settingsFrom(flags).values;
  const warehouse = await openWarehouse(settings.warehouse);
  try {
    const reader = await warehouse.openPublished();
    try {
      const months = (await reader.query("SELECT * FROM gold.kpi_month_end_metrics ORDER BY month_start"))
        .rows;
      if (months.length === 0)
        throw new UsageError("no month-end KPIs in the published state yet: run `tokyobeta run daily` first");
      const wanted = flags.month ? `${flags.month}-01` : String(months.at(-1)!.month_start);
      const index = months.findIndex((m) => m.month_start === wanted);
      if (index < 0)
        throw new UsageError(
          `no KPIs for ${flags.month}; months available: ${months.map((m) => String(m.month_start).slice(0, 7)).join(", ")}`,
        );
      const current = months[index]!;
      const previous = index > 0 ? months[index - 1]! : undefined;
      const cards = CARD_METRICS.map((metric) => {
        const value = num(current[metric]);
        const before = previous ? num(previous[metric]) : null;
        return {
          metric,
          value,
          previous_month: before,
          change: value !== null && before !== null ? value - before : null,
        };
      });
      const window = Math.max(1, Number(flags.days));
      const daily = (
        await reader.query(
          `SELECT snapshot_date, is_projection, period_start_rooms, period_end_rooms, new_moveins, new_moveouts, total_rooms, occupancy_rate
           FROM gold.occupancy_daily_metrics
           WHERE snapshot_date BETWEEN CAST(? AS DATE) - CAST(? AS INTEGER) AND CAST(? AS DATE) + CAST(? AS INTEGER)
           ORDER BY snapshot_date`,
          [current.as_of_date as string, window, current.as_of_date as string, window],
        )
      ).rows;
      const alignment =
        (await reader.query("SELECT status FROM gold.kpi_version_alignment")).rows[0]?.status ?? "unknown";
      const result = {
        month: String(current.month_start).slice(0, 7),
        as_of_date: current.as_of_date,
        kpi_definition_version: current.kpi_definition_version,
        same_day_policy: current.same_day_policy,
        version_alignment: alignment,
        cards,
        daily,
      };
      if (flags.json) {
        console.log(JSON.stringify(result, jsonReplacer));
        return 0;
      }
      console.log(
        `KPIs for ${result.month} (as of ${String(result.as_of_date)}; ${String(result.kpi_definition_version)}, versions ${String(alignment)})`,
      );
      console.log(
        render(
          cards.map((c) => ({
            ...c,
            value: fmt(c.metric, c.value),
            previous_month: fmt(c.metric, c.previous_month),
            change: fmt(c.metric, c.change),
          })),
          "table",
        ),
      );
      console.log("");
      const rows = daily.map((d) => ({
        date: d.snapshot_date,
        kind: d.is_projection ? "projection" : "fact",
        start: d.period_start_rooms,
        end: d.period_end_rooms,
        in: d.new_moveins,
        out: d.new_moveouts,
        total: d.total_rooms,
        rate: fmt("occupancy_rate", num(d.occupancy_rate)),
      }));
      const boundary = rows.findIndex((r) => r.kind === "projection");
      const lines = render(rows, "table").split("\n");
      // Mark the fact/projection boundary inside the table (after the header and rule lines).
      if (boundary > 0)
        lines.splice(
          boundary + 2,
          0,
          `---- as of ${String(rows[boundary - 1]!.date)} (latest snapshot): projections below ----`,
        );
      console.log(lines.join("\n"));
      return 0;
    } finally {
      await reader.close();
    }
  } finally {
    await warehouse.close();
  }
}

function fmt(metric: string, v: number | null): string {
  if (v === null) return "";
  if (metric === "occupancy_rate") return `${(v * 100).toFixed(2)} %`;
  return Math.round(v).toLocaleString("en-US");
}

export function registerKpiCommand(program: Command): void {
  withCommonOptions(
    program
      .command("kpi")
      .description("month-end KPI cards and the daily occupancy series around the as-of date"),
  )
    .option("--month <YYYY-MM>", "the month (default: the latest)")
    .option("--days <n>", "days of the daily series on each side of the as-of date", "7")
    .option("--json", "one JSON object")
    .action(action((flags: KpiFlags) => kpiReport(flags)));
}
