/**
 * An alert: what every channel delivers (the webhook's JSON body as is, the e-mail's subject
 * and text from formatAlertMessage), and the per-channel delivery result.
 */
export type AlertKind = "run_failed" | "run_timeout" | "freshness_critical" | "drill";

export interface Alert {
  kind: AlertKind;
  level: "critical" | "warn";
  /** The run the alert is about (null when none, e.g. a freshness check). */
  run_id: string | null;
  /** The failing step (`load`, `models`, `freshness`, ...), null when none. */
  step: string | null;
  reason: string;
  /** The next thing an operator should try. */
  next_action: string;
  /** ISO-8601 time the alert was raised. */
  at: string;
  details: Record<string, unknown>;
}

export interface ChannelResult {
  /** Which channel, safe to print (no credentials, no webhook path tokens). */
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

/** Subject and plain-text body naming run, step, reason and the next thing to try. Pure. */
export function formatAlertMessage(alert: Alert): { subject: string; text: string } {
  const what: Record<Alert["kind"], string> = {
    run_failed: "daily run FAILED",
    run_timeout: "daily run TIMEOUT",
    freshness_critical: "freshness CRITICAL",
    drill: "alert DRILL (intentional failure)",
  };
  const subject =
    `[tokyobeta ${alert.level.toUpperCase()}] ${what[alert.kind]}` +
    (alert.run_id ? ` - run ${alert.run_id}` : "") +
    (alert.step ? ` at step ${alert.step}` : "");
  const detailLines = Object.entries(alert.details).map(
    ([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`,
  );
  const text = [
    `${what[alert.kind]}`,
    "",
    `run:         ${alert.run_id ?? "(none)"}`,
    `step:        ${alert.step ?? "(none)"}`,
    `reason:      ${alert.reason}`,
    `next action: ${alert.next_action}`,
    `at:          ${alert.at}`,
    ...(detailLines.length > 0 ? ["", "details:", ...detailLines] : []),
    "",
  ].join("\n");
  return { subject, text };
}
