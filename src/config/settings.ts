/**
 * Settings: every value a command needs, resolved with the precedence
 * flag > environment variable > config file > default.
 *
 * Each setting is declared once in SETTINGS with its config-file path, its environment
 * variable and how to parse it; commands read the resolved, typed object and can show
 * where each value came from (`tokyobeta config`).
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { Cron } from "croner";
import { z } from "zod";
import { ConfigError } from "../errors.js";

export type SettingSource = "flag" | "env" | "file" | "default";

interface SettingSpec<T> {
  /** Dotted path in the config file, e.g. `expected_source.host`. */
  file: string;
  env: string;
  schema: z.ZodType<T>;
  default: T;
  description: string;
  /** Never printed (API keys, passwords): `tokyobeta config` shows *** instead. */
  secret?: boolean;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
const intFromText = z.coerce.number().int();
const boolFromText = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => ["true", "1", "yes"].includes(v)),
]);

/** A list: comma-separated text (environment, flag) or a YAML/JSON list (config file). */
const listFromText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(",")).map((item) => item.trim()).filter((item) => item !== ""),
  );

/** A cron expression croner accepts (5 fields, or 6 with seconds), or `off` for a disabled schedule. */
const cronExpression = z
  .string()
  .trim()
  .superRefine((expr, ctx) => {
    if (expr === "off") return;
    try {
      new Cron(expr, { paused: true }).stop();
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `not a cron expression: ${(err as Error).message}` });
    }
  });

/** An IANA time zone name, e.g. Asia/Tokyo. */
const timeZone = z.string().superRefine((tz, ctx) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    ctx.addIssue({ code: "custom", message: "not an IANA time zone (e.g. Asia/Tokyo)" });
  }
});

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

export const SETTINGS = {
  store: setting({
    file: "store",
    env: "TOKYOBETA_STORE",
    schema: z.string().min(1),
    default: "./demo-world",
    description: "dump store: a folder path or s3://bucket/prefix",
  }),
  warehouse: setting({
    file: "warehouse",
    env: "TOKYOBETA_WAREHOUSE",
    schema: z.string().min(1),
    default: "./var/warehouse",
    description: "warehouse: a folder for the embedded DuckDB engine",
  }),
  dumpPrefix: setting({
    file: "dump_prefix",
    env: "TOKYOBETA_DUMP_PREFIX",
    schema: z.string().regex(/^[A-Za-z0-9_-]+$/),
    default: "gghouse",
    description: "file-name prefix of dumps and manifests",
  }),
  expectedSourceHost: setting<string | undefined>({
    file: "expected_source.host",
    env: "TOKYOBETA_EXPECTED_SOURCE_HOST",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "source_host a manifest must name",
  }),
  expectedSourceDatabase: setting<string | undefined>({
    file: "expected_source.database",
    env: "TOKYOBETA_EXPECTED_SOURCE_DATABASE",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "source_database a manifest must name",
  }),
  s3Endpoint: setting<string | undefined>({
    file: "s3.endpoint",
    env: "TOKYOBETA_S3_ENDPOINT",
    schema: z.string().url().optional(),
    default: undefined,
    description: "S3-compatible endpoint URL (empty: AWS)",
  }),
  s3Region: setting({
    file: "s3.region",
    env: "AWS_REGION",
    schema: z.string().min(1),
    default: "ap-northeast-1",
    description: "S3 region",
  }),
  s3ForcePathStyle: setting({
    file: "s3.force_path_style",
    env: "TOKYOBETA_S3_FORCE_PATH_STYLE",
    schema: boolFromText,
    default: false,
    description: "use path-style S3 addressing (most S3-compatible servers)",
  }),
  maxDumpStaleDays: setting({
    file: "daily.max_dump_stale_days",
    env: "DAILY_MAX_DUMP_STALE_DAYS",
    schema: intFromText.pipe(z.number().min(0)),
    default: 0,
    description: "how many days older than the target date the chosen dump may be",
  }),
  targetDate: setting<string | undefined>({
    file: "daily.target_date",
    env: "DAILY_TARGET_DATE",
    schema: isoDate.optional(),
    default: undefined,
    description: "business date to process (default: today in Asia/Tokyo)",
  }),
  forceRebuildSnapshotDate: setting<string | undefined>({
    file: "daily.force_rebuild_snapshot_date",
    env: "DAILY_FORCE_REBUILD_SNAPSHOT_DATE",
    schema: isoDate.optional(),
    default: undefined,
    description: "delete and re-insert this snapshot date in the snapshot history",
  }),
  occupancyRebuildStartDate: setting<string | undefined>({
    file: "daily.occupancy_rebuild_start_date",
    env: "DAILY_OCCUPANCY_REBUILD_START_DATE",
    schema: isoDate.optional(),
    default: undefined,
    description: "recompute occupancy KPIs from this date instead of the KPI window",
  }),
  lookbackDays: setting({
    file: "daily.lookback_days",
    env: "LOOKBACK_DAYS",
    schema: intFromText.pipe(z.number().min(0).max(366)),
    default: 3,
    description: "KPI window: days before the as-of date recomputed by each run",
  }),
  forwardDays: setting({
    file: "daily.forward_days",
    env: "FORWARD_DAYS",
    schema: intFromText.pipe(z.number().min(0).max(366)),
    default: 90,
    description: "KPI window: projection days after the as-of date",
  }),
  failOnArchiveError: setting({
    file: "daily.fail_on_archive_error",
    env: "DAILY_FAIL_ON_ARCHIVE_ERROR",
    schema: boolFromText,
    default: false,
    description: "strict archive: a failed archive step fails the run",
  }),
  dailyRunTimeoutMinutes: setting({
    file: "daily.run_timeout_minutes",
    env: "DAILY_RUN_TIMEOUT_MINUTES",
    schema: z.coerce.number().positive(),
    default: 60,
    description: "time limit of a daily run in minutes (fractions allowed); a longer run ends as TIMEOUT",
  }),
  upstreamSyncStaleHours: setting({
    file: "freshness.upstream_sync_stale_hours",
    env: "UPSTREAM_SYNC_STALE_HOURS",
    schema: intFromText.pipe(z.number().min(1)),
    default: 24,
    description: "upstream staleness threshold for the freshness check",
  }),
  alertWebhookUrls: setting<string[]>({
    file: "alerts.webhook_urls",
    env: "ALERT_WEBHOOK_URLS",
    schema: listFromText.pipe(z.array(z.string().url())),
    default: [],
    description: "alert webhooks: URLs that receive a JSON POST, comma-separated",
    secret: true,
  }),
  alertWebhookSecret: setting<string | undefined>({
    file: "alerts.webhook_secret",
    env: "ALERT_WEBHOOK_SECRET",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "shared secret: webhook bodies are signed (X-Tokyobeta-Signature: sha256=HMAC)",
    secret: true,
  }),
  alertWebhookAttempts: setting({
    file: "alerts.webhook_attempts",
    env: "ALERT_WEBHOOK_ATTEMPTS",
    schema: intFromText.pipe(z.number().min(1).max(10)),
    default: 3,
    description: "tries per webhook delivery (first try plus retries with exponential backoff)",
  }),
  alertEmails: setting<string[]>({
    file: "alerts.emails",
    env: "ALERT_EMAILS",
    schema: listFromText.pipe(z.array(z.string().email())),
    default: [],
    description: "alert e-mail recipients, comma-separated (needs SMTP_URL)",
  }),
  alertEmailFrom: setting({
    file: "alerts.email_from",
    env: "ALERT_EMAIL_FROM",
    schema: z.string().min(1),
    default: "tokyobeta@localhost",
    description: "sender address of alert e-mails",
  }),
  smtpUrl: setting<string | undefined>({
    file: "alerts.smtp_url",
    env: "SMTP_URL",
    schema: z
      .string()
      .regex(/^smtps?:\/\/[^/]+/i, "expected smtp://[user:pass@]host[:port] or smtps://...")
      .optional(),
    default: undefined,
    description: "SMTP server for alert e-mails: smtp:// (STARTTLS when offered) or smtps:// (TLS)",
    secret: true,
  }),
  smtpRejectUnauthorized: setting({
    file: "alerts.smtp_reject_unauthorized",
    env: "SMTP_REJECT_UNAUTHORIZED",
    schema: boolFromText,
    default: true,
    description: "refuse SMTP servers whose TLS certificate does not verify (false: self-signed)",
  }),
  referenceScale: setting({
    file: "kpi.reference_scale",
    env: "TOKYOBETA_REFERENCE_SCALE",
    schema: z.coerce.number().positive(),
    default: 1,
    description: "scale of count guardrails (1 in production; the demo world's --scale)",
  }),
  keepGenerations: setting({
    file: "warehouse_keep_generations",
    env: "TOKYOBETA_KEEP_GENERATIONS",
    schema: intFromText.pipe(z.number().min(1)),
    default: 7,
    description: "published warehouse states kept for rollback",
  }),
  enrichOverrides: setting<string | undefined>({
    file: "enrich.overrides",
    env: "TOKYOBETA_ENRICH_OVERRIDES",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "enrichment overrides file(s), YAML or CSV, comma-separated (see src/enrich/README.md)",
  }),
  enrichLlmUrl: setting<string | undefined>({
    file: "enrich.llm_url",
    env: "TOKYOBETA_ENRICH_LLM_URL",
    schema: z.string().url().optional(),
    default: undefined,
    description: "OpenAI-compatible base URL for the nationality resolver (off when empty)",
  }),
  enrichLlmModel: setting<string | undefined>({
    file: "enrich.llm_model",
    env: "TOKYOBETA_ENRICH_LLM_MODEL",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "model name for the nationality resolver (off when empty)",
  }),
  enrichLlmApiKey: setting<string | undefined>({
    file: "enrich.llm_api_key",
    env: "TOKYOBETA_ENRICH_LLM_API_KEY",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "bearer key for the nationality resolver",
    secret: true,
  }),
  enrichLlmTimeoutMs: setting({
    file: "enrich.llm_timeout_ms",
    env: "TOKYOBETA_ENRICH_LLM_TIMEOUT_MS",
    schema: intFromText.pipe(z.number().min(1)),
    default: 5000,
    description: "timeout of one resolver request, milliseconds",
  }),
  dashboardHost: setting({
    file: "dashboard.host",
    env: "TOKYOBETA_DASHBOARD_HOST",
    schema: z.string().min(1),
    default: "127.0.0.1",
    description: "address the dashboard listens on (tokyobeta serve)",
  }),
  dashboardPort: setting({
    file: "dashboard.port",
    env: "TOKYOBETA_DASHBOARD_PORT",
    schema: intFromText.pipe(z.number().min(0).max(65535)),
    default: 8080,
    description: "port the dashboard listens on (tokyobeta serve)",
  }),
  dashboardUsersFile: setting<string | undefined>({
    file: "dashboard.users_file",
    env: "TOKYOBETA_DASHBOARD_USERS_FILE",
    schema: z.string().min(1).optional(),
    default: undefined,
    description: "dashboard users (name + argon2 hash), JSON (default: <warehouse>/users.json)",
  }),
  dashboardSessionSecret: setting<string | undefined>({
    file: "dashboard.session_secret",
    env: "TOKYOBETA_DASHBOARD_SESSION_SECRET",
    schema: z.string().min(16).optional(),
    default: undefined,
    description: "key signing the login form's CSRF tokens (default: random per server start)",
    secret: true,
  }),
  dashboardTrustProxy: setting({
    file: "dashboard.trust_proxy",
    env: "TOKYOBETA_DASHBOARD_TRUST_PROXY",
    schema: boolFromText,
    default: false,
    description: "trust X-Forwarded-Proto / X-Forwarded-For from a reverse proxy (Secure cookie, client IP)",
  }),
  scheduleDaily: setting({
    file: "schedule.daily",
    env: "TOKYOBETA_SCHEDULE_DAILY",
    schema: cronExpression,
    default: "0 7 * * *",
    description: "cron expression of the daily run in `tokyobeta serve` (in schedule.timezone; off: never)",
  }),
  scheduleFreshness: setting({
    file: "schedule.freshness",
    env: "TOKYOBETA_SCHEDULE_FRESHNESS",
    schema: cronExpression,
    default: "0 9 * * *",
    description:
      "cron expression of the freshness check in `tokyobeta serve` (in schedule.timezone; off: never)",
  }),
  scheduleTimezone: setting({
    file: "schedule.timezone",
    env: "TOKYOBETA_SCHEDULE_TIMEZONE",
    schema: timeZone,
    default: "Asia/Tokyo",
    description: "IANA time zone the schedules are read in",
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]: (typeof SETTINGS)[K]["default"] };
export type SettingOrigins = Record<SettingName, SettingSource>;

export interface ResolvedSettings {
  values: Settings;
  origins: SettingOrigins;
  /** The config file that was read, if any. */
  configFile?: string;
}

/** Reads a JSON or YAML config file; errors name the file and what is wrong. */
export function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new ConfigError(`config file ${file} does not exist`);
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} does not parse: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file}: expected a mapping of settings at the top level`);
  }
  checkUnknownKeys(file, parsed as Record<string, unknown>);
  return parsed as Record<string, unknown>;
}

function checkUnknownKeys(file: string, obj: Record<string, unknown>): void {
  const known = new Set(Object.values(SETTINGS).map((s) => s.file));
  const prefixes = new Set([...known].flatMap((k) => k.split(".").slice(0, -1)));
  const walk = (node: Record<string, unknown>, at: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const p = [...at, key].join(".");
      if (known.has(p)) continue;
      if (prefixes.has(p) && value && typeof value === "object" && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, [...at, key]);
        continue;
      }
      throw new ConfigError(`config file ${file}: unknown setting '${p}'`);
    }
  };
  walk(obj, []);
}

function lookup(obj: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = obj;
  for (const part of dotted.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Resolves every setting. `flags` holds values given on the command line (undefined when
 * not given), keyed by setting name.
 */
export function resolveSettings(input: {
  flags?: Partial<Record<SettingName, unknown>>;
  env?: NodeJS.ProcessEnv;
  configFile?: string;
}): ResolvedSettings {
  const env = input.env ?? process.env;
  const configFile = input.configFile ?? env.TOKYOBETA_CONFIG;
  const fileValues = configFile ? readConfigFile(configFile) : {};
  const values: Record<string, unknown> = {};
  const origins: Record<string, SettingSource> = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][]) {
    const candidates: [SettingSource, unknown, string][] = [
      ["flag", input.flags?.[name], `flag for ${name}`],
      ["env", emptyToUndefined(env[spec.env]), `environment variable ${spec.env}`],
      ["file", lookup(fileValues, spec.file), `config file ${configFile}: '${spec.file}'`],
    ];
    const chosen = candidates.find(([, raw]) => raw !== undefined);
    if (!chosen) {
      values[name] = spec.default;
      origins[name] = "default";
      continue;
    }
    const [source, raw, where] = chosen;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => i.message).join("; ");
      throw new ConfigError(`${where}: invalid value ${JSON.stringify(raw)} (${reason})`);
    }
    values[name] =
      source === "file" && configFile ? relativeToFile(name, parsed.data, configFile) : parsed.data;
    origins[name] = source;
  }
  const resolved: ResolvedSettings = { values: values as Settings, origins: origins as SettingOrigins };
  if (configFile) resolved.configFile = path.resolve(configFile);
  return resolved;
}

/** Folder settings written in a config file are relative to that file, not to the caller's cwd. */
function relativeToFile(name: SettingName, value: unknown, configFile: string): unknown {
  if (name !== "store" && name !== "warehouse" && name !== "enrichOverrides" && name !== "dashboardUsersFile")
    return value;
  if (typeof value !== "string" || /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || path.isAbsolute(value))
    return value;
  return path.resolve(path.dirname(configFile), value);
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
