/** Monitoring: the freshness check and alerts (webhook, e-mail) for runs and freshness. */
export { freshnessStatus, worstLevel, exitCodeOf, DEFAULT_THRESHOLDS } from "./freshness-status.js";
export type { FreshnessLevel, FreshnessThresholds } from "./freshness-status.js";
export {
  checkFreshness,
  snapshotMoment,
  parseSourceTimestamp,
  MONITORED_TABLES,
  UPSTREAM_TABLES,
  type CheckFreshnessInput,
  type FreshnessCheckRow,
  type FreshnessReport,
  type MonitoredTable,
} from "./check-freshness.js";
export { formatAlertMessage, type Alert, type AlertKind, type ChannelResult } from "./alert.js";
export {
  deliverWebhook,
  signBody,
  verifySignature,
  SIGNATURE_HEADER,
  type WebhookChannel,
} from "./webhook-channel.js";
export { deliverEmail, type EmailChannel } from "./email-channel.js";
export { sendAlert, channelsFromSettings, type AlertChannel, type AlertSettings } from "./send-alert.js";
export {
  describeRunFailure,
  describeFreshnessCritical,
  suggestNextAction,
  type RunFailure,
} from "./describe-run-failure.js";
export { alertIfRunFailed, alertOnRunFailure } from "./alert-on-run-failure.js";
