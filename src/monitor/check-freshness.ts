/**
 * The freshness check (operations.md, "Freshness and upstream staleness"): each monitored
 * table's latest date against `now`, and upstream staleness from the latest manifest in the
 * dump store. Anything the check cannot read is itself CRITICAL, with a message: the result
 * is never a silent partial success.
 *
 * I/O is passed in (warehouse, store, clock); levels come from the pure freshnessStatus().
 */
import type { Settings } from "../config/settings.js";
import { parseManifest, type Manifest } from "../store/manifest.js";
import type { DumpStore } from "../store/dump-store.js";
import { loadCatalog } from "../store/store-layout.js";
import type { Warehouse, WarehouseSession } from "../warehouse/warehouse.js";
import {
  DEFAULT_THRESHOLDS,
  freshnessStatus,
  worstLevel,
  type FreshnessLevel,
  type FreshnessThresholds,
} from "./freshness-status.js";

/** One monitored table: where its latest business date comes from. */
export interface MonitoredTable {
  schema: string;
  table: string;
  /** SQL expression of the date column; the check takes its MAX. */
  column: string;
  /** Optional filter, e.g. fact days only. */
  where?: string;
  /** What the date means, for people. */
  describes: string;
}

export const MONITORED_TABLES: readonly MonitoredTable[] = [
  {
    schema: "staging",
    table: "tenant_daily_snapshots",
    column: "snapshot_date",
    describes: "latest loaded snapshot",
  },
  {
    schema: "tokyobeta_meta",
    table: "snapshot_ledger",
    column: "snapshot_date",
    where: "status = 'loaded'",
    describes: "latest date recorded as loaded",
  },
  {
    schema: "silver",
    table: "tenant_room_snapshot_daily",
    column: "snapshot_date",
    describes: "latest silver snapshot",
  },
  {
    schema: "gold",
    table: "occupancy_daily_metrics",
    column: "snapshot_date",
    where: "NOT is_projection",
    describes: "latest fact day (projections excluded)",
  },
  {
    schema: "gold",
    table: "kpi_month_end_metrics",
    column: "as_of_date",
    describes: "latest KPI as-of date",
  },
];

/** Upstream tables whose MAX(updated_at) must be recent; inquiries are excluded on purpose. */
export const UPSTREAM_TABLES = ["movings", "tenants", "rooms", "apartments"] as const;

export interface FreshnessCheckRow {
  /** `table`, `upstream`, `warehouse` or `store`. */
  kind: "table" | "upstream" | "warehouse" | "store";
  /** What was checked: `gold.occupancy_daily_metrics`, `upstream.movings`, ... */
  target: string;
  level: FreshnessLevel;
  /** Latest date or timestamp found, when there was one. */
  latest: string | null;
  /** Hours between `latest` and the reference moment, rounded to 0.1. */
  ageHours: number | null;
  message: string;
}

export interface FreshnessReport {
  level: FreshnessLevel;
  checkedAt: string;
  rows: FreshnessCheckRow[];
}

/** A value, or how to get it (so a failure to open is caught and reported like any other). */
export type Provider<T> = T | (() => T | Promise<T>);

export interface CheckFreshnessInput {
  warehouse: Provider<Warehouse>;
  store: Provider<DumpStore>;
  settings: Pick<Settings, "upstreamSyncStaleHours" | "dumpPrefix">;
  now: Date;
  thresholds?: FreshnessThresholds;
  tables?: readonly MonitoredTable[];
}

const HOUR_MS = 3_600_000;

/** The moment a business date's snapshot shows the PMS: 05:30 Asia/Tokyo of that date. */
export function snapshotMoment(date: string): Date {
  return new Date(`${date}T05:30:00+09:00`);
}

/** Hours from `from` to `to`, rounded to 0.1. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / HOUR_MS) * 10) / 10;
}

/** Manifest timestamps: ISO-8601; without a zone they are PMS (Asia/Tokyo) wall time. */
export function parseSourceTimestamp(text: string): Date | undefined {
  let t = text.trim().replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += "T00:00:00";
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(t)) t += "+09:00";
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function provide<T>(p: Provider<T>): Promise<T> {
  return typeof p === "function" ? await (p as () => T | Promise<T>)() : p;
}

export async function checkFreshness(input: CheckFreshnessInput): Promise<FreshnessReport> {
  const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
  const rows = [...(await checkWarehouse(input, thresholds)), ...(await checkUpstream(input, thresholds))];
  return {
    level: worstLevel(rows.map((r) => r.level)),
    checkedAt: input.now.toISOString(),
    rows,
  };
}

async function checkWarehouse(
  input: CheckFreshnessInput,
  thresholds: FreshnessThresholds,
): Promise<FreshnessCheckRow[]> {
  const tables = input.tables ?? MONITORED_TABLES;
  let warehouse: Warehouse | undefined;
  let reader: WarehouseSession | undefined;
  try {
    warehouse = await provide(input.warehouse);
    reader = await warehouse.openPublished();
  } catch (err) {
    return [
      {
        kind: "warehouse",
        target: warehouse?.location ?? "warehouse",
        level: "critical",
        latest: null,
        ageHours: null,
        message: `cannot read the published warehouse state: ${errorText(err)}`,
      },
    ];
  }
  try {
    const present = new Set((await reader.listTables()).map((t) => `${t.schema}.${t.name}`));
    const rows: FreshnessCheckRow[] = [];
    for (const t of tables) rows.push(await checkTable(reader, present, t, input.now, thresholds));
    return rows;
  } catch (err) {
    return [
      {
        kind: "warehouse",
        target: warehouse.location,
        level: "critical",
        latest: null,
        ageHours: null,
        message: `cannot list the warehouse tables: ${errorText(err)}`,
      },
    ];
  } finally {
    await reader.close().catch(() => undefined);
    await warehouse.close().catch(() => undefined);
  }
}

async function checkTable(
  reader: WarehouseSession,
  present: Set<string>,
  t: MonitoredTable,
  now: Date,
  thresholds: FreshnessThresholds,
): Promise<FreshnessCheckRow> {
  const target = `${t.schema}.${t.table}`;
  const row = (level: FreshnessLevel, latest: string | null, ageHours: number | null, message: string) => ({
    kind: "table" as const,
    target,
    level,
    latest,
    ageHours,
    message,
  });
  if (!present.has(target)) return row("critical", null, null, `table ${target} is missing`);
  let latest: string | null;
  try {
    const result = await reader.query(
      `SELECT CAST(MAX(${t.column}) AS VARCHAR) AS latest FROM ${t.schema}.${t.table}` +
        (t.where ? ` WHERE ${t.where}` : ""),
    );
    const value = result.rows[0]?.latest;
    latest = value === null || value === undefined ? null : String(value).slice(0, 10);
  } catch (err) {
    return row("critical", null, null, `cannot read ${target}: ${errorText(err)}`);
  }
  if (latest === null) return row("critical", null, null, `${target} has no rows (${t.describes})`);
  const age = hoursBetween(snapshotMoment(latest), now);
  const level = freshnessStatus(age, thresholds);
  return row(level, latest, age, `${t.describes}: ${latest} (${describeAge(age)}, ${level})`);
}

function describeAge(hours: number): string {
  return hours < 48 ? `${hours} h old` : `${(hours / 24).toFixed(1)} days old`;
}

async function checkUpstream(
  input: CheckFreshnessInput,
  thresholds: FreshnessThresholds,
): Promise<FreshnessCheckRow[]> {
  const storeRow = (
    level: FreshnessLevel,
    target: string,
    message: string,
    latest: string | null = null,
  ) => ({
    kind: "store" as const,
    target,
    level,
    latest,
    ageHours: null,
    message,
  });
  let store: DumpStore | undefined;
  let manifestDate: string;
  let key: string;
  let manifest: Manifest;
  try {
    store = await provide(input.store);
    const catalog = await loadCatalog(store, input.settings.dumpPrefix);
    const dates = [...catalog.manifests.keys()].sort();
    const latest = dates.at(-1);
    if (latest === undefined) {
      return [
        storeRow("critical", store.location, `no manifest in ${store.location}: upstream cannot be checked`),
      ];
    }
    manifestDate = latest;
    key = catalog.manifests.get(latest)!.key;
    const text = await store.readText(key);
    if (text === undefined)
      return [storeRow("critical", key, `manifest ${key} disappeared while reading it`)];
    const parsed = parseManifest(text);
    if (!parsed.ok) {
      return [
        storeRow(
          "critical",
          key,
          `latest manifest ${key} is unusable: ${parsed.problems.map((p) => p.message).join("; ")}`,
          latest,
        ),
      ];
    }
    manifest = parsed.manifest;
  } catch (err) {
    return [
      storeRow("critical", store?.location ?? "store", `cannot read the dump store: ${errorText(err)}`),
    ];
  }

  const dumpAge = hoursBetween(snapshotMoment(manifestDate), input.now);
  const dumpLevel = freshnessStatus(dumpAge, thresholds);
  const rows: FreshnessCheckRow[] = [
    {
      kind: "store",
      target: key,
      level: dumpLevel,
      latest: manifestDate,
      ageHours: dumpAge,
      message: `latest manifest: ${manifestDate} (${describeAge(dumpAge)}, ${dumpLevel})`,
    },
  ];
  const generatedAt = manifest.generated_at ? parseSourceTimestamp(manifest.generated_at) : undefined;
  const reference = generatedAt ?? snapshotMoment(manifestDate);
  const referenceText = generatedAt ? `generated_at ${manifest.generated_at}` : `${manifestDate} 05:30 JST`;
  const staleHours = input.settings.upstreamSyncStaleHours;
  for (const table of UPSTREAM_TABLES) {
    const target = `upstream.${table}`;
    const stamp = manifest.max_updated_at_by_table[table];
    const row = (level: FreshnessLevel, ageHours: number | null, message: string) => ({
      kind: "upstream" as const,
      target,
      level,
      latest: stamp ?? null,
      ageHours,
      message,
    });
    if (stamp === undefined) {
      rows.push(row("critical", null, `manifest ${key} has no max_updated_at for ${table}`));
      continue;
    }
    if (stamp === null) {
      rows.push(row("critical", null, `manifest ${key}: ${table} was empty upstream (no updated_at)`));
      continue;
    }
    const updated = parseSourceTimestamp(stamp);
    if (!updated) {
      rows.push(row("critical", null, `manifest ${key}: ${table} updated_at '${stamp}' does not parse`));
      continue;
    }
    const lag = hoursBetween(updated, reference);
    const stale = lag > staleHours;
    rows.push(
      row(
        stale ? "critical" : "ok",
        lag,
        stale
          ? `${table} last updated ${stamp}, ${lag} h before ${referenceText} (> UPSTREAM_SYNC_STALE_HOURS=${staleHours}): the PMS sync may have stopped`
          : `${table} last updated ${stamp}, ${lag} h before ${referenceText}`,
      ),
    );
  }
  return rows;
}
