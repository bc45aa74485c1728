/**
 * What every page shows about the data's age: the as-of date of the published warehouse and
 * the two lines every page carries (`Time basis:`, `Freshness:`). Japanese by default.
 */
import type { PublishedReader } from "./published-reader.js";

/** Used when the published state has no KPI meta (the KPI definition's own default). */
export const DEFAULT_STALE_AFTER_HOURS = 36;

/**
 * The freshness threshold of the published KPI definition (gold.occupancy_kpi_meta, model var
 * `freshness_threshold_hours`): the dashboard warns exactly when the KPIs call their data stale.
 */
export async function freshnessThresholdHours(reader: PublishedReader): Promise<number> {
  try {
    const result = await reader.cached(
      "SELECT CAST(max(freshness_threshold_hours) AS DOUBLE PRECISION) AS hours FROM gold.occupancy_kpi_meta",
    );
    const hours = result?.rows[0]?.hours;
    return typeof hours === "number" && hours > 0 ? hours : DEFAULT_STALE_AFTER_HOURS;
  } catch {
    return DEFAULT_STALE_AFTER_HOURS;
  }
}

/** The latest fact (non-projection) snapshot date, or null when there is none. */
export async function asOfDate(reader: PublishedReader): Promise<string | null> {
  try {
    const result = await reader.cached(
      "SELECT CAST(max(snapshot_date) AS VARCHAR) AS as_of FROM gold.occupancy_daily_metrics WHERE NOT is_projection",
    );
    const value = result?.rows[0]?.as_of;
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export function freshnessLines(options: {
  asOf: string | null;
  now: Date;
  staleAfterHours: number;
  lang: "ja" | "en";
}): { timeBasis: string; freshness: string; stale: boolean } {
  const ja = options.lang === "ja";
  const timeBasis = ja
    ? "時間基準 Time basis: スナップショット 05:30 JST 取得、週は月曜始まり (snapshot taken 05:30 JST; weeks start Monday)"
    : "Time basis: snapshot taken 05:30 JST; weeks start Monday";
  if (options.asOf === null) {
    return {
      timeBasis,
      freshness: ja ? "鮮度 Freshness: データなし (no published data)" : "Freshness: no published data",
      stale: true,
    };
  }
  const taken = Date.parse(`${options.asOf}T05:30:00+09:00`);
  const hours = Math.max(0, Math.floor((options.now.getTime() - taken) / 3_600_000));
  const stale = hours > options.staleAfterHours;
  const warnJa = stale ? ` ⚠ 警告: ${options.staleAfterHours} 時間より古いデータ` : "";
  const warnEn = stale ? ` ⚠ warning: older than ${options.staleAfterHours} hours` : "";
  return {
    timeBasis,
    freshness: ja
      ? `鮮度 Freshness: ${options.asOf} 時点、経過 ${hours} 時間 (as of ${options.asOf}, ${hours} hours old)${warnJa}`
      : `Freshness: as of ${options.asOf}, ${hours} hours old${warnEn}`,
    stale,
  };
}
