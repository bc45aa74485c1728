/**
 * Our monthly figures under the official definition (kpis.md) and under the alternative
 * definitions people commonly use, one builder per metric. Pure: each returns one SQL
 * statement and its parameters; the statement returns one row per definition with the
 * columns
 *
 *   definition      key of the definition (see DEFINITIONS)
 *   value           the figure (a count; a rate as a fraction for occupancy)
 *   occupied_rooms  occupancy only: the numerator
 *   total_rooms     occupancy only: the denominator
 *   covered_from, covered_to, covered_days
 *                   for definitions that only see some days (snapshot changes, fact days):
 *                   the days they saw; NULL otherwise
 *
 * Reads the published warehouse: silver.stg_movings (M), staging.movings (M before
 * de-duplication), silver.stg_tenants, silver.tenant_room_snapshot_daily,
 * silver.room_snapshot_daily, gold.data_quality_calendar, gold.occupancy_daily_metrics and
 * gold.kpi_month_end_metrics. Standard SQL (DuckDB and PostgreSQL): dates come in as
 * parameters, status sets as integer lists.
 */
import type { SqlParam } from "../warehouse/warehouse.js";

/** Status code sets of source.md. */
export const OCCUPYING = [7, 9, 10, 11, 12, 13, 14, 15] as const;
export const NOTICE_STATUSES = [10, 11, 12, 15] as const;
export const SCHEDULED_MOVEIN = [4, 5] as const;
export const MOVEIN_HISTORY = [4, 5, 6, 7, 9] as const;
const OCCUPYING_WITHOUT_NOTICE = OCCUPYING.filter((s) => !(NOTICE_STATUSES as readonly number[]).includes(s));
const OCCUPYING_PLUS_SCHEDULED = [...SCHEDULED_MOVEIN, ...OCCUPYING];

/** The days a month's figures cover. */
export interface ReconcilePeriod {
  /** First day of the month, YYYY-MM-DD. */
  monthStart: string;
  /** Last day of the month. */
  monthEnd: string;
  /** Last day counted: the month end, or the latest snapshot date when the month is in progress. */
  periodEnd: string;
  /** The month's as-of date (kpi_month_end_metrics.as_of_date: the last fact day in the month). */
  asOfDate: string;
}

export interface BuiltSql {
  sql: string;
  params: SqlParam[];
}

export type DefinitionGroup = "moveins" | "moveouts" | "occupancy";

export interface Definition {
  key: string;
  label: string;
  /** One line: what this definition counts and when someone would use it. */
  explanation: string;
  /** Occupancy: the definitions that only change the denominator do not apply to occupied_rooms. */
  rateOnly?: boolean;
}

/** Every definition, in the order they are shown; the first of each group is the official one. */
export const DEFINITIONS: Record<DefinitionGroup, readonly Definition[]> = {
  moveins: [
    {
      key: "official",
      label: "official: non-cancelled movings by move-in date",
      explanation:
        "kpis.md: movings of M (latest dump, de-duplicated), not cancelled, move_in_date in the month",
    },
    {
      key: "cancelled_included",
      label: "cancelled included",
      explanation: "as official, but cancelled applications (is_cancelled = 1) are counted too",
    },
    {
      key: "duplicates_kept",
      label: "duplicates not removed",
      explanation: "raw staging.movings rows, not cancelled: PMS duplicates of one stay are counted twice",
    },
    {
      key: "raw_rows",
      label: "raw rows (duplicates and cancelled)",
      explanation: "COUNT(*) of raw movings rows by move_in_date: no de-duplication, no cancelled filter",
    },
    {
      key: "snapshot_changes",
      label: "from the daily snapshots",
      explanation:
        "tenant-room pairs occupying in a snapshot dated in the month but not in the previous one (as each day's dump saw it, not the latest state)",
    },
    {
      key: "daily_fact_days",
      label: "sum of the daily KPI over fact days",
      explanation: "sum of occupancy_daily_metrics.new_moveins over the month's fact days (gap days count 0)",
    },
    {
      key: "application_date",
      label: "by application date",
      explanation: "non-cancelled movings whose application_date (申込) is in the month",
    },
    {
      key: "contract_date",
      label: "by contract date",
      explanation: "non-cancelled movings whose contract_date is in the month",
    },
    {
      key: "whole_month_projected",
      label: "whole month incl. projected",
      explanation:
        "month in progress: official to the as-of date plus scheduled move-ins after it (tenant status 4/5, the projection rule)",
    },
  ],
  moveouts: [
    {
      key: "official",
      label: "official: confirmed move-out date",
      explanation: "kpis.md: movings of M whose moveout_plans_date (confirmed) is in the month",
    },
    {
      key: "scheduled_date",
      label: "scheduled move-out date",
      explanation: "movings of M whose moveout_date (scheduled at notice) is in the month, confirmed or not",
    },
    {
      key: "cancelled_excluded",
      label: "cancelled excluded",
      explanation: "as official, without movings flagged cancelled",
    },
    {
      key: "duplicates_kept",
      label: "duplicates not removed",
      explanation: "raw staging.movings rows by moveout_plans_date: PMS duplicates counted twice",
    },
    {
      key: "snapshot_changes",
      label: "from the daily snapshots",
      explanation:
        "tenant-room pairs occupying in the previous snapshot but not in a snapshot dated in the month (a move on the month's last day shows next month)",
    },
    {
      key: "daily_fact_days",
      label: "sum of the daily KPI over fact days",
      explanation:
        "sum of occupancy_daily_metrics.new_moveouts over the month's fact days (gap days count 0)",
    },
    {
      key: "notice_date",
      label: "by notice date",
      explanation: "movings of M whose moveout_notice_date is in the month: notices received, not move-outs",
    },
    {
      key: "whole_month_projected",
      label: "whole month incl. projected",
      explanation:
        "month in progress: official to the as-of date plus unconfirmed scheduled move-outs after it (the projection rule)",
    },
  ],
  occupancy: [
    {
      key: "official",
      label: "official: month's as-of snapshot",
      explanation:
        "kpi_month_end_metrics: rooms with an occupying status {7,9,10-15} in the as-of snapshot / room inventory",
    },
    {
      key: "next_day_0000",
      label: "00:00 of the next day",
      explanation:
        "occupied_rooms_0000_next_day: rooms occupied at 00:00 of the first day after the month (same-day move-ins excluded)",
    },
    {
      key: "end_of_day",
      label: "end of the as-of day",
      explanation: "occupancy_room_count_eod of the as-of day: 00:00 count + same-day move-ins - move-outs",
    },
    {
      key: "tenant_pairs",
      label: "tenants, not rooms",
      explanation: "occupying tenant-room pairs: a room with two occupying tenants counts twice",
    },
    {
      key: "without_notice",
      label: "status set without notice statuses",
      explanation: `occupying statuses {${OCCUPYING_WITHOUT_NOTICE.join(",")}}: tenants who gave notice {${NOTICE_STATUSES.join(",")}} not counted`,
    },
    {
      key: "with_scheduled_movein",
      label: "status set plus scheduled move-ins",
      explanation: `statuses {${OCCUPYING_PLUS_SCHEDULED.join(",")}}: applied / initial rent paid {${SCHEDULED_MOVEIN.join(",")}} counted as occupied`,
    },
    {
      key: "movein_history_set",
      label: "move-in history status set",
      explanation: `statuses {${MOVEIN_HISTORY.join(",")}} (the set for move-in history, not for occupancy)`,
    },
    {
      key: "month_average",
      label: "average over the month's fact days",
      explanation: "mean of the daily figure over the month's fact days instead of the month-end figure",
    },
    {
      key: "all_rooms",
      label: "denominator: all rooms",
      explanation:
        "official occupied rooms / every room in the as-of snapshot (inactive rooms and unopened or closed buildings included)",
      rateOnly: true,
    },
  ],
};

const list = (codes: readonly number[]) => codes.join(", ");

/** The month is in progress: figures stop at the latest snapshot before the month ends. */
export function isInProgress(p: ReconcilePeriod): boolean {
  return p.periodEnd < p.monthEnd;
}

/** Changes of tenant-room pairs into and out of the occupying set between consecutive valid snapshots. */
const SNAPSHOT_CHANGES = `
valid_days AS (
  SELECT c.calendar_date AS snapshot_date,
         LAG(c.calendar_date) OVER (ORDER BY c.calendar_date) AS previous_snapshot_date
  FROM gold.data_quality_calendar c
  WHERE c.status = 'valid'
),
days AS (
  SELECT v.snapshot_date, v.previous_snapshot_date
  FROM valid_days v, p
  WHERE v.previous_snapshot_date IS NOT NULL AND v.snapshot_date BETWEEN p.from_day AND p.to_day
),
occ AS (
  SELECT s.snapshot_date, s.tenant_id, s.apartment_id, s.room_id
  FROM silver.tenant_room_snapshot_daily s
  WHERE s.status IN (${list(OCCUPYING)})
    AND s.snapshot_date >= (SELECT MIN(previous_snapshot_date) FROM days)
    AND s.snapshot_date <= (SELECT MAX(snapshot_date) FROM days)
),
entered AS (
  SELECT c.snapshot_date
  FROM days d JOIN occ c ON c.snapshot_date = d.snapshot_date
  WHERE NOT EXISTS (
    SELECT 1 FROM occ o
    WHERE o.snapshot_date = d.previous_snapshot_date
      AND o.tenant_id = c.tenant_id AND o.apartment_id = c.apartment_id AND o.room_id = c.room_id)
),
exited AS (
  SELECT d.snapshot_date
  FROM days d JOIN occ o ON o.snapshot_date = d.previous_snapshot_date
  WHERE NOT EXISTS (
    SELECT 1 FROM occ c
    WHERE c.snapshot_date = d.snapshot_date
      AND c.tenant_id = o.tenant_id AND c.apartment_id = o.apartment_id AND c.room_id = o.room_id)
),
fact_days AS (
  SELECT o.* FROM gold.occupancy_daily_metrics o, p
  WHERE NOT o.is_projection AND o.snapshot_date BETWEEN p.from_day AND p.to_day
)`;

const NO_COVERAGE =
  "CAST(NULL AS DATE) AS covered_from, CAST(NULL AS DATE) AS covered_to, CAST(NULL AS INTEGER) AS covered_days";
const SNAPSHOT_COVERAGE =
  "(SELECT MIN(snapshot_date) FROM days) AS covered_from, (SELECT MAX(snapshot_date) FROM days) AS covered_to, (SELECT COUNT(*) FROM days) AS covered_days";
const FACT_COVERAGE =
  "(SELECT MIN(snapshot_date) FROM fact_days) AS covered_from, (SELECT MAX(snapshot_date) FROM fact_days) AS covered_to, (SELECT COUNT(*) FROM fact_days) AS covered_days";

function flowSql(rows: { key: string; value: string; coverage?: string }[]): string {
  return rows
    .map(
      (r, i) =>
        `SELECT '${r.key}' AS definition, ${i + 1} AS ord, ${r.value} AS value, CAST(NULL AS DOUBLE PRECISION) AS occupied_rooms, CAST(NULL AS DOUBLE PRECISION) AS total_rooms, ${r.coverage ?? NO_COVERAGE}`,
    )
    .join("\nUNION ALL\n");
}

function periodParams(p: ReconcilePeriod): SqlParam[] {
  return [p.monthStart, p.periodEnd, p.monthEnd];
}

const PERIOD_CTE = `p AS (SELECT CAST(? AS DATE) AS from_day, CAST(? AS DATE) AS to_day, CAST(? AS DATE) AS month_end)`;

/** Move-ins of the month under every definition of DEFINITIONS.moveins. */
export function buildMoveinsSql(period: ReconcilePeriod): BuiltSql {
  const inMonth = (col: string) => `${col} BETWEEN p.from_day AND p.to_day`;
  const rows = [
    {
      key: "official",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND ${inMonth("m.move_in_date")})`,
    },
    {
      key: "cancelled_included",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE ${inMonth("m.move_in_date")})`,
    },
    {
      key: "duplicates_kept",
      value: `(SELECT COUNT(*) FROM staging.movings r, p WHERE (r.is_cancelled IS NULL OR r.is_cancelled <> 1) AND ${inMonth("r.move_in_date")})`,
    },
    {
      key: "raw_rows",
      value: `(SELECT COUNT(*) FROM staging.movings r, p WHERE ${inMonth("r.move_in_date")})`,
    },
    { key: "snapshot_changes", value: "(SELECT COUNT(*) FROM entered)", coverage: SNAPSHOT_COVERAGE },
    {
      key: "daily_fact_days",
      value: "(SELECT COALESCE(SUM(new_moveins), 0) FROM fact_days)",
      coverage: FACT_COVERAGE,
    },
    {
      key: "application_date",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND ${inMonth("m.application_date")})`,
    },
    {
      key: "contract_date",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND ${inMonth("m.contract_date")})`,
    },
  ];
  if (isInProgress(period))
    rows.push({
      key: "whole_month_projected",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND ${inMonth("m.move_in_date")})
        + (SELECT COUNT(*) FROM silver.stg_movings m JOIN silver.stg_tenants t ON t.tenant_id = m.tenant_id CROSS JOIN p
           WHERE NOT m.is_cancelled AND t.status IN (${list(SCHEDULED_MOVEIN)})
             AND m.move_in_date > p.to_day AND m.move_in_date <= p.month_end)`,
    });
  return {
    sql: `WITH ${PERIOD_CTE},${SNAPSHOT_CHANGES}\n${flowSql(rows)}\nORDER BY ord`,
    params: periodParams(period),
  };
}

/** Move-outs of the month under every definition of DEFINITIONS.moveouts. */
export function buildMoveoutsSql(period: ReconcilePeriod): BuiltSql {
  const inMonth = (col: string) => `${col} BETWEEN p.from_day AND p.to_day`;
  const rows = [
    {
      key: "official",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE ${inMonth("m.moveout_plans_date")})`,
    },
    {
      key: "scheduled_date",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE ${inMonth("m.moveout_date")})`,
    },
    {
      key: "cancelled_excluded",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND ${inMonth("m.moveout_plans_date")})`,
    },
    {
      key: "duplicates_kept",
      value: `(SELECT COUNT(*) FROM staging.movings r, p WHERE ${inMonth("r.moveout_plans_date")})`,
    },
    { key: "snapshot_changes", value: "(SELECT COUNT(*) FROM exited)", coverage: SNAPSHOT_COVERAGE },
    {
      key: "daily_fact_days",
      value: "(SELECT COALESCE(SUM(new_moveouts), 0) FROM fact_days)",
      coverage: FACT_COVERAGE,
    },
    {
      key: "notice_date",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE ${inMonth("m.moveout_notice_date")})`,
    },
  ];
  if (isInProgress(period))
    rows.push({
      key: "whole_month_projected",
      value: `(SELECT COUNT(*) FROM silver.stg_movings m, p WHERE ${inMonth("m.moveout_plans_date")})
        + (SELECT COUNT(*) FROM silver.stg_movings m, p
           WHERE NOT m.is_cancelled AND m.moveout_plans_date IS NULL
             AND m.moveout_date > p.to_day AND m.moveout_date <= p.month_end)`,
    });
  return {
    sql: `WITH ${PERIOD_CTE},${SNAPSHOT_CHANGES}\n${flowSql(rows)}\nORDER BY ord`,
    params: periodParams(period),
  };
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Occupancy of the month (occupied rooms, total rooms, rate) under every definition of
 * DEFINITIONS.occupancy; `value` is the rate.
 */
export function buildOccupancySql(period: ReconcilePeriod): BuiltSql {
  const rooms = (codes: readonly number[]) =>
    `(SELECT COUNT(*) FROM (SELECT DISTINCT s.apartment_id, s.room_id FROM snap s WHERE s.status IN (${list(codes)})) x)`;
  const row = (key: string, occupied: string, total: string, coverage = NO_COVERAGE) =>
    `SELECT '${key}' AS definition, o.occupied_rooms, o.total_rooms, ${coverage} FROM (SELECT ${occupied} AS occupied_rooms, ${total} AS total_rooms) o`;
  const rows = [
    row("official", "(SELECT period_end_rooms FROM k)", "(SELECT total_rooms FROM k)"),
    row(
      "next_day_0000",
      "(SELECT occupied_rooms_0000_next_day FROM k)",
      "COALESCE((SELECT total_rooms FROM gold.occupancy_daily_metrics d, p WHERE NOT d.is_projection AND d.snapshot_date = p.next_day), (SELECT total_rooms FROM k))",
    ),
    row(
      "end_of_day",
      "(SELECT occupancy_room_count_eod FROM gold.occupancy_daily_metrics d, p WHERE NOT d.is_projection AND d.snapshot_date = p.as_of_day)",
      "(SELECT total_rooms FROM k)",
    ),
    row(
      "tenant_pairs",
      `(SELECT COUNT(*) FROM snap s WHERE s.status IN (${list(OCCUPYING)}))`,
      "(SELECT total_rooms FROM k)",
    ),
    row("without_notice", rooms(OCCUPYING_WITHOUT_NOTICE), "(SELECT total_rooms FROM k)"),
    row("with_scheduled_movein", rooms(OCCUPYING_PLUS_SCHEDULED), "(SELECT total_rooms FROM k)"),
    row("movein_history_set", rooms(MOVEIN_HISTORY), "(SELECT total_rooms FROM k)"),
    row(
      "month_average",
      "(SELECT AVG(CAST(period_end_rooms AS DOUBLE PRECISION)) FROM fact_days)",
      "(SELECT AVG(CAST(total_rooms AS DOUBLE PRECISION)) FROM fact_days)",
      "(SELECT MIN(snapshot_date) FROM fact_days) AS covered_from, (SELECT MAX(snapshot_date) FROM fact_days) AS covered_to, (SELECT COUNT(*) FROM fact_days) AS covered_days",
    ),
    row(
      "all_rooms",
      "(SELECT period_end_rooms FROM k)",
      "(SELECT COUNT(*) FROM silver.room_snapshot_daily r, p WHERE r.snapshot_date = p.as_of_day)",
    ),
  ];
  // The average of the daily rates, not the ratio of the averages (the two differ when the
  // inventory changes during the month).
  const sql = `WITH p AS (
  SELECT CAST(? AS DATE) AS month_start, CAST(? AS DATE) AS from_day, CAST(? AS DATE) AS to_day,
         CAST(? AS DATE) AS as_of_day, CAST(? AS DATE) AS next_day
),
k AS (SELECT m.* FROM gold.kpi_month_end_metrics m, p WHERE m.month_start = p.month_start),
snap AS (
  SELECT s.* FROM silver.tenant_room_snapshot_daily s, p WHERE s.snapshot_date = p.as_of_day
),
fact_days AS (
  SELECT o.* FROM gold.occupancy_daily_metrics o, p
  WHERE NOT o.is_projection AND o.snapshot_date BETWEEN p.from_day AND p.to_day
),
defs AS (
${rows.join("\nUNION ALL\n")}
)
SELECT
  d.definition,
  CASE
    WHEN d.definition = 'month_average' THEN (SELECT AVG(occupancy_rate) FROM fact_days)
    WHEN d.total_rooms > 0 THEN CAST(d.occupied_rooms AS DOUBLE PRECISION) / d.total_rooms
  END AS value,
  CAST(d.occupied_rooms AS DOUBLE PRECISION) AS occupied_rooms,
  CAST(d.total_rooms AS DOUBLE PRECISION) AS total_rooms,
  d.covered_from, d.covered_to, d.covered_days
FROM defs d`;
  return {
    sql,
    params: [
      period.monthStart,
      period.monthStart,
      period.periodEnd,
      period.asOfDate,
      nextDay(period.asOfDate),
    ],
  };
}

/** The builder for an external metric. */
export function buildReconcileSql(
  metric: "moveins" | "moveouts" | "occupancy_rate" | "occupied_rooms",
  period: ReconcilePeriod,
): BuiltSql {
  if (metric === "moveins") return buildMoveinsSql(period);
  if (metric === "moveouts") return buildMoveoutsSql(period);
  return buildOccupancySql(period);
}
