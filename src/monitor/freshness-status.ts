/**
 * Freshness as a pure function of age (like dbt's `status(age)`), the order of levels and
 * the exit code each level ends a command with.
 */
export type FreshnessLevel = "ok" | "warn" | "critical";

export interface FreshnessThresholds {
  /** Older than this (hours) is WARN. */
  warnHours: number;
  /** Older than this (hours) is CRITICAL. */
  criticalHours: number;
}

/** WARN when older than one day, CRITICAL when older than two (operations.md). */
export const DEFAULT_THRESHOLDS: FreshnessThresholds = { warnHours: 24, criticalHours: 48 };

/** "ok" up to and including `warnHours`, "warn" above it, "critical" above `criticalHours`. */
export function freshnessStatus(
  ageHours: number,
  thresholds: FreshnessThresholds = DEFAULT_THRESHOLDS,
): FreshnessLevel {
  if (!Number.isFinite(ageHours) || ageHours > thresholds.criticalHours) return "critical";
  if (ageHours > thresholds.warnHours) return "warn";
  return "ok";
}

const RANK: Record<FreshnessLevel, number> = { ok: 0, warn: 1, critical: 2 };

/** The worst of several levels ("ok" for none). */
export function worstLevel(levels: Iterable<FreshnessLevel>): FreshnessLevel {
  let worst: FreshnessLevel = "ok";
  for (const level of levels) if (RANK[level] > RANK[worst]) worst = level;
  return worst;
}

/** Exit codes: 0 ok, 1 warn, 2 critical. */
export function exitCodeOf(level: FreshnessLevel): 0 | 1 | 2 {
  return RANK[level] as 0 | 1 | 2;
}
