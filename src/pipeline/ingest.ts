/**
 * Ingestion: a dump becomes a new published warehouse state, or nothing changes.
 *
 * - `ingestDate`: the daily path. Selects the candidate for a business date from the store
 *   (every rejected candidate named), streams it into staging while hashing its bytes,
 *   refuses it when the hash differs from the manifest, appends that date's snapshot slices
 *   and publishes.
 * - `loadDumpFile`: the ad-hoc / emergency path for one file without a manifest.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Settings } from "../config/settings.js";
import { DumpRejectedError, UsageError } from "../errors.js";
import {
  openStore,
  requireDumpCandidate,
  sha256OfObject,
  type CandidateEvaluation,
  type DumpStore,
  type Manifest,
  type StoreSettings,
} from "../store/index.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateInfo, StateWriter } from "../warehouse/warehouse.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";
import { loadDumpIntoStaging, type LoadOptions, type LoadReport, type OpenReading } from "./load-staging.js";
import { readDumpInWorker, type DumpSource } from "./read-dump-in-worker.js";
import { appendSnapshotSlices, type SnapshotSliceReport } from "./snapshot-history.js";
import { recordInLedger } from "./snapshot-ledger.js";

export interface IngestResult {
  state: StateInfo;
  load: LoadReport;
  snapshotDate?: string;
  slices?: SnapshotSliceReport;
}

export type ProgressHandler = (p: { bytesRead: number; totalBytes: number; table: string | null }) => void;

export type IngestSettings = Pick<
  Settings,
  | "store"
  | "warehouse"
  | "dumpPrefix"
  | "expectedSourceHost"
  | "expectedSourceDatabase"
  | "maxDumpStaleDays"
  | "s3Endpoint"
  | "s3Region"
  | "s3ForcePathStyle"
  | "keepGenerations"
>;

/** Loads the valid dump for `targetDate` and publishes it with that date's snapshot slices. */
export async function ingestDate(
  settings: IngestSettings,
  targetDate: string,
  onProgress?: ProgressHandler,
): Promise<IngestResult> {
  const store = openStore(settings);
  // The checksum is verified while streaming the load, so the dump is read once.
  const candidate = await requireDumpCandidate(store, targetDate, settings, { checksum: "skip" });
  return buildPublishedState(settings, `ingest ${candidate.date}`, async (writer) => {
    const load = await loadCandidate(writer, store, settings, candidate, onProgress);
    const slices = await appendSnapshotSlices(writer, candidate.date);
    await recordLoad(writer, load, candidate.date);
    await recordInLedger(writer, candidate.date, "loaded");
    return { load, snapshotDate: candidate.date, slices };
  });
}

/** A candidate chosen by the store's rules: a date, its dump object and its manifest. */
export type LoadableCandidate = Pick<CandidateEvaluation, "date" | "dumpBytes"> & {
  dumpKey: string;
  manifest: Manifest;
};

/**
 * Streams a candidate into staging of `writer` and proves its bytes: the SHA-256 computed
 * while reading must equal the manifest's. Bytes that fail to parse are hashed in full, so a
 * corrupted dump is reported as the checksum mismatch it is.
 */
export async function loadCandidate(
  writer: StateWriter,
  store: DumpStore,
  settings: StoreSettings,
  candidate: LoadableCandidate,
  onProgress?: ProgressHandler,
): Promise<LoadReport> {
  const file = `${store.location.replace(/\/$/, "")}/${candidate.dumpKey}`;
  const totalBytes = candidate.dumpBytes ?? 0;
  const expectedSha = candidate.manifest.dump_sha256;
  const mismatch = (actual: string, bytes: string, detail = "") =>
    new DumpRejectedError(
      `dump for ${candidate.date} (${file}): checksum mismatch: the manifest says sha256 ${expectedSha}, ` +
        `the ${bytes} bytes hash to ${actual}${detail}; nothing was published`,
    );
  let load: LoadReport;
  try {
    load = await loadDumpIntoStaging(writer, readingOn({ kind: "store", settings, key: candidate.dumpKey }), {
      file,
      onProgress: onProgress && ((p) => onProgress({ ...p, totalBytes })),
    });
  } catch (err) {
    const { sha256: actual } = await sha256OfObject(store, candidate.dumpKey);
    if (actual !== expectedSha)
      throw mismatch(actual, "stored", ` (and reading them failed: ${(err as Error).message})`);
    throw err;
  }
  if (load.sha256 !== expectedSha) throw mismatch(load.sha256, String(load.storedBytes));
  return load;
}

/** Loads one dump file (plain or gzip) into staging without a manifest, and publishes. */
export async function loadDumpFile(
  settings: Pick<Settings, "warehouse" | "keepGenerations">,
  file: string,
  options: Pick<LoadOptions, "tables" | "exclude"> = {},
  onProgress?: ProgressHandler,
): Promise<IngestResult> {
  if (!existsSync(file)) throw new UsageError(`dump file ${file} does not exist`);
  const totalBytes = statSync(file).size;
  return buildPublishedState(settings, `load-dump ${path.basename(file)}`, async (writer) => {
    const load = await loadDumpIntoStaging(writer, readingOn({ kind: "file", path: file }), {
      file,
      ...options,
      onProgress: onProgress && ((p) => onProgress({ ...p, totalBytes })),
    });
    await recordLoad(writer, load, null);
    return { load };
  });
}

/** Parsing runs on a worker thread while this thread appends to the warehouse. */
function readingOn(source: DumpSource): OpenReading {
  return (request) => readDumpInWorker(source, request);
}

/** Runs `build` on a new state; publishes it on success, abandons it on any error. */
export async function buildPublishedState(
  settings: Pick<Settings, "warehouse" | "keepGenerations">,
  label: string,
  build: (writer: StateWriter) => Promise<Omit<IngestResult, "state">>,
): Promise<IngestResult> {
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  try {
    const writer = await warehouse.beginState({ label });
    try {
      const built = await build(writer);
      const state = await writer.publish();
      return { state, ...built };
    } catch (err) {
      await writer.abandon(err instanceof Error ? err.message.slice(0, 500) : String(err));
      throw err;
    }
  } finally {
    await warehouse.close();
  }
}

const LOADS = qualifiedName("tokyobeta_meta", "loads");

/** One row per load, kept with the data: what was loaded, from where, with which bytes. */
export async function recordLoad(
  writer: StateWriter,
  load: LoadReport,
  snapshotDate: string | null,
): Promise<void> {
  await writer.createSchema("tokyobeta_meta");
  await writer.exec(`CREATE TABLE IF NOT EXISTS ${LOADS} (
    loaded_at TIMESTAMP NOT NULL, snapshot_date DATE, dump_file VARCHAR NOT NULL, dump_sha256 VARCHAR NOT NULL,
    stored_bytes BIGINT NOT NULL, tables INTEGER NOT NULL, total_rows BIGINT NOT NULL, zero_dates BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL)`);
  const rows = load.tables.reduce((s, t) => s + t.rows, 0);
  const zeroDates = load.tables.reduce((s, t) => s + t.zeroDates, 0);
  await writer.exec(
    `INSERT INTO ${LOADS} VALUES (CAST(? AS TIMESTAMP), CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?)`,
    [
      new Date().toISOString().replace("T", " ").replace("Z", ""),
      snapshotDate,
      load.file,
      load.sha256,
      load.storedBytes,
      load.tables.length,
      rows,
      zeroDates,
      load.seconds,
    ],
  );
}
