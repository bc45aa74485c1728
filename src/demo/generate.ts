/**
 * `tokyobeta demo generate`: simulates the operator and writes one mysqldump file and one
 * manifest per day of [from, to], plus the incidents, a quarantine index, the world's
 * source (source.json) and a config file that points the CLI at the world.
 */
import { mkdirSync, truncateSync, writeFileSync, statSync } from "node:fs";
import path from "node:path";
import { compactBusinessDate, formatBusinessDate, monthStart } from "../calendar/business-date.js";
import { UsageError } from "../errors.js";
import {
  AUXILIARY_TABLES,
  auxiliaryCreateTable,
  auxiliaryRowCount,
  auxiliaryRows,
} from "./auxiliary-tables.js";
import { DEFAULT_EPOCH } from "./calibration.js";
import { CoreTableRenderer } from "./core-tables.js";
import { DumpSink } from "./dump-sink.js";
import { planIncidents, type IncidentKind } from "./incidents.js";
import { MysqldumpWriter } from "./mysqldump-writer.js";
import { Random } from "./random.js";
import { formatDateTime } from "./sql-literal.js";
import { DemoWorld } from "./world.js";
import { MINUTES_PER_DAY as DAY } from "./world-model.js";

export const DEMO_SOURCE = { host: "pms-db-01.gghouse.internal", database: "gghouse" } as const;
const DECOMMISSIONED_HOST = "pms-db-legacy.gghouse.internal";
const SERVER_VERSION = "8.0.36";
/** Dumps start at 05:30 Tokyo time. */
const DUMP_MINUTE = 330;
/** Manifests before this day still use the legacy field name source_table_max_updated_at. */
const LEGACY_MANIFEST_BEFORE = Date.UTC(2025, 0, 1) / 86_400_000;

export interface GenerateOptions {
  out: string;
  from: number;
  to: number;
  scale: number;
  seed: number;
  gzip: boolean;
  incidents: boolean;
  auxMb: number;
  prefix?: string;
  /** Called after each day with what was written. */
  onDay?: (report: DayReport) => void;
}

export interface DayReport {
  date: string;
  incident: IncidentKind | null;
  dumpFile: string | null;
  bytes: number;
}

export interface GenerateResult {
  days: DayReport[];
  world: DemoWorld;
}

export async function generateDemoWorld(options: GenerateOptions): Promise<GenerateResult> {
  validate(options);
  const prefix = options.prefix ?? "gghouse";
  const dumpsDir = path.join(options.out, "dumps");
  const manifestDir = path.join(options.out, "dumps-manifest");
  mkdirSync(dumpsDir, { recursive: true });
  mkdirSync(manifestDir, { recursive: true });

  const epoch = Math.min(DEFAULT_EPOCH, monthStart(options.from - 400));
  const world = new DemoWorld({ seed: options.seed, scale: options.scale, epoch });
  const renderer = new CoreTableRenderer(world);
  const incidents = planIncidents(options.from, options.to, options.seed, options.incidents);
  const days: DayReport[] = [];

  for (let day = options.from; day <= options.to; day++) {
    world.advanceTo(day);
    const incident = incidents.byDay.get(day) ?? null;
    const report: DayReport = { date: formatBusinessDate(day), incident, dumpFile: null, bytes: 0 };
    if (incident !== "missing") {
      const name = `${prefix}_${compactBusinessDate(day)}.sql${options.gzip ? ".gz" : ""}`;
      const file = path.join(dumpsDir, name);
      const drift = incident === "source_drift";
      // A decommissioned server is a replica that stopped syncing three weeks earlier.
      const seenAt = (drift ? day - 21 : day) * DAY + DUMP_MINUTE;
      const host = drift ? DECOMMISSIONED_HOST : DEMO_SOURCE.host;
      const written = await writeDump(file, renderer, seenAt, day, host, options);
      const manifest = buildManifest(day, host, name, written, options.seed, incident);
      writeFileSync(
        path.join(manifestDir, `${prefix}_${compactBusinessDate(day)}.json`),
        JSON.stringify(manifest, null, 2) + "\n",
      );
      if (incident === "checksum_mismatch") truncateSync(file, Math.floor(written.bytes * 0.7));
      report.dumpFile = file;
      report.bytes = statSync(file).size;
    }
    days.push(report);
    options.onDay?.(report);
  }
  writeQuarantineIndex(manifestDir, incidents.byDay, options.from);
  writeWorldFiles(options, days);
  return { days, world };
}

function validate(o: GenerateOptions): void {
  if (o.to < o.from) throw new UsageError("--to is before --from");
  if (!(o.scale > 0 && o.scale <= 4)) throw new UsageError("--scale must be in (0, 4]");
  if (!(o.auxMb >= 0)) throw new UsageError("--aux-mb must be >= 0");
  if (!Number.isInteger(o.seed)) throw new UsageError("--seed must be an integer");
}

interface WrittenDump {
  sha256: string;
  bytes: number;
  maxUpdatedAt: Record<string, number>;
}

async function writeDump(
  file: string,
  renderer: CoreTableRenderer,
  at: number,
  day: number,
  host: string,
  options: GenerateOptions,
): Promise<WrittenDump> {
  const sink = new DumpSink(file, { gzip: options.gzip });
  const writer = new MysqldumpWriter(sink);
  writer.header({ host, database: DEMO_SOURCE.database, serverVersion: SERVER_VERSION });
  const core = renderer.tablesAt(at);
  const tables = [
    ...core.map((t) => ({ name: t.name, write: () => writer.table(t.name, t.createSql, t.rows()) })),
    ...AUXILIARY_TABLES.map((t) => {
      const count = auxiliaryRowCount(t, options.auxMb * 1_000_000, day, options.seed);
      return {
        name: t.name,
        write: () =>
          writer.table(
            t.name,
            auxiliaryCreateTable(t, count + 1),
            auxiliaryRows(t, count, day, options.seed),
          ),
      };
    }),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const t of tables) await t.write();
  const finishedSecond = 30 + (day % 29);
  writer.footer(mysqldumpClock(at + 1 + Math.floor(tables.length / 20), finishedSecond));
  const { sha256, bytes } = await sink.close();
  return { sha256, bytes, maxUpdatedAt: Object.fromEntries(core.map((t) => [t.name, t.maxUpdatedAt()])) };
}

/** mysqldump's "Dump completed on" clock: 'YYYY-MM-DD H:MM:SS' with the hour space-padded. */
function mysqldumpClock(minute: number, second: number): string {
  const text = formatDateTime(minute, second);
  const hour = Number(text.slice(11, 13));
  return `${text.slice(0, 10)} ${String(hour).padStart(2, " ")}${text.slice(13)}`;
}

function isoTokyo(minute: number): string {
  return `${formatDateTime(minute).replace(" ", "T")}+09:00`;
}

function buildManifest(
  day: number,
  host: string,
  dumpName: string,
  written: WrittenDump,
  seed: number,
  incident: IncidentKind | null,
): Record<string, unknown> {
  const stamps = Object.fromEntries(Object.entries(written.maxUpdatedAt).map(([t, m]) => [t, isoTokyo(m)]));
  const runId = `dump-${compactBusinessDate(day)}-0530-${new Random(seed, day).next32().toString(16).padStart(8, "0")}`;
  const manifest: Record<string, unknown> = {
    source_host: host,
    source_database: DEMO_SOURCE.database,
    run_id: runId,
    dump_sha256: written.sha256,
    valid_for_etl: incident !== "invalid",
  };
  if (incident === "invalid")
    manifest.invalid_reason = "dump taken during PMS maintenance (tables locked mid-dump)";
  manifest[day < LEGACY_MANIFEST_BEFORE ? "source_table_max_updated_at" : "max_updated_at_by_table"] = stamps;
  manifest.generated_at = isoTokyo(day * DAY + DUMP_MINUTE + 4);
  manifest.dump_bytes = written.bytes;
  manifest.dump_key = `dumps/${dumpName}`;
  return manifest;
}

function writeQuarantineIndex(dir: string, byDay: Map<number, IncidentKind>, from: number): void {
  const entries = [...byDay.entries()]
    .filter(([, kind]) => kind === "invalid")
    .map(([day]) => ({ date: formatBusinessDate(day), reason: "pms_maintenance" }));
  if (entries.length === 0) return;
  const file = path.join(dir, `quarantine_index_${compactBusinessDate(from)}.json`);
  writeFileSync(file, JSON.stringify({ entries }, null, 2) + "\n");
}

function writeWorldFiles(options: GenerateOptions, days: DayReport[]): void {
  const source = { source_host: DEMO_SOURCE.host, source_database: DEMO_SOURCE.database };
  writeFileSync(path.join(options.out, "source.json"), JSON.stringify(source, null, 2) + "\n");
  writeFileSync(
    path.join(options.out, "tokyobeta.yaml"),
    [
      "# Written by `tokyobeta demo generate`: points the CLI at this demo world.",
      "store: .",
      "warehouse: ./warehouse",
      "expected_source:",
      `  host: ${DEMO_SOURCE.host}`,
      `  database: ${DEMO_SOURCE.database}`,
      "# Count guardrails (rooms occupied at 00:00) scale with the world.",
      "kpi:",
      `  reference_scale: ${options.scale}`,
      "",
    ].join("\n"),
  );
  const description = {
    generator: "tokyobeta demo generate",
    options: {
      from: formatBusinessDate(options.from),
      to: formatBusinessDate(options.to),
      scale: options.scale,
      seed: options.seed,
      gzip: options.gzip,
      incidents: options.incidents,
      aux_mb: options.auxMb,
    },
    incidents: days.filter((d) => d.incident).map((d) => ({ date: d.date, kind: d.incident })),
  };
  writeFileSync(path.join(options.out, "demo-world.json"), JSON.stringify(description, null, 2) + "\n");
}
