/**
 * The alert for a failed or timed-out run, and for CRITICAL freshness: pure functions, so the
 * wording (run, step, reason, next thing to try) is tested without any channel.
 */
import type { Alert } from "./alert.js";
import type { FreshnessReport } from "./check-freshness.js";

export interface RunFailure {
  runId: string;
  targetDate: string;
  /** The step that failed or was running when the time limit struck. */
  step: string;
  reason: string;
  state: "FAILED" | "TIMEOUT";
  /** When the run ended (ISO-8601). */
  at: string;
  /** Overrides the suggested next action. */
  nextAction?: string;
  details?: Record<string, unknown>;
}

/** What to try next, by step: the command that shows more, then the usual fix. */
export function suggestNextAction(failure: Pick<RunFailure, "step" | "state" | "targetDate">): string {
  const d = failure.targetDate;
  if (failure.state === "TIMEOUT") {
    return `look at the step timings with 'tokyobeta runs show', then re-run 'tokyobeta run daily --date ${d}' (raise the run time limit if the data grew)`;
  }
  const byStep: Record<string, string> = {
    select: `'tokyobeta dumps list --from ${d}' shows why no dump qualifies; wait for the upstream dump or quarantine a bad one, then 'tokyobeta run daily --date ${d}'`,
    load: `'tokyobeta dumps verify ${d}' checks the dump; quarantine it if corrupt ('tokyobeta dumps quarantine ${d} --reason CODE'), then re-run 'tokyobeta run daily --date ${d}'`,
    enrich: `'tokyobeta enrich review' lists unresolved values; fix overrides, then 'tokyobeta run daily --date ${d}'`,
    models: `'tokyobeta models build --select <model>' reproduces the error; fix the model, then 'tokyobeta run daily --date ${d}'`,
    tests: `'tokyobeta models test' lists the failing rows; fix the data or the model, then 'tokyobeta run daily --date ${d}'`,
    publish: `check free disk space and 'tokyobeta states', then re-run 'tokyobeta run daily --date ${d}'`,
    archive: `check the store's processed/ area and permissions; the published data is fine`,
  };
  return (
    byStep[failure.step] ??
    `read the run record ('tokyobeta runs show'), fix the cause, then 'tokyobeta run daily --date ${d}'; readers still see the previous published state`
  );
}

export function describeRunFailure(failure: RunFailure): Alert {
  return {
    kind: failure.state === "TIMEOUT" ? "run_timeout" : "run_failed",
    level: "critical",
    run_id: failure.runId,
    step: failure.step,
    reason: failure.reason,
    next_action: failure.nextAction ?? suggestNextAction(failure),
    at: failure.at,
    details: { target_date: failure.targetDate, state: failure.state, ...(failure.details ?? {}) },
  };
}

/** The alert for a CRITICAL freshness report: every critical row in the reason. */
export function describeFreshnessCritical(report: FreshnessReport): Alert {
  const critical = report.rows.filter((r) => r.level === "critical");
  return {
    kind: "freshness_critical",
    level: "critical",
    run_id: null,
    step: "freshness",
    reason: critical.map((r) => `${r.target}: ${r.message}`).join("; ") || "freshness is critical",
    next_action:
      "'tokyobeta freshness' for the details; if the warehouse is behind, check the last run ('tokyobeta status') and re-run 'tokyobeta run daily'; if upstream is stale, ask the PMS team whether the sync is running",
    at: report.checkedAt,
    details: { critical: critical.map((r) => r.target) },
  };
}
