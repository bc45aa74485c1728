/**
 * Backfill: builds the snapshot history from a range of historical dumps, oldest first.
 *
 * Valid dates are loaded (staging, snapshot slices, then the caller's per-date step, e.g. the
 * incremental snapshot model); invalid, missing or quarantined dates are recorded as gaps with
 * their reason. Work happens in one warehouse state per checkpoint: every `checkpointEvery`
 * dates the state is published and a new one begun, so an interrupted backfill loses at most
 * the dates since the last checkpoint, and a second call continues after the last date the
 * published state has recorded (an interrupted date is redone from scratch).
 */
import { formatBusinessDate, parseBusinessDate } from "../calendar/business-date.js";
import { UsageError } from "../errors.js";
import {
  ChecksumCache,
  evaluateCandidate,
  openStore,
  prepareCandidateChecks,
  type CandidateEvaluation,
} from "../store/index.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateWriter } from "../warehouse/warehouse.js";
import { loadCandidate, recordLoad, type IngestSettings } from "./ingest.js";
import { appendSnapshotSlices } from "./snapshot-history.js";
import { ledgerDates, recordInLedger } from "./snapshot-ledger.js";

export interface BackfillOptions {
  from: string;
  to: string;
  /** Publish a checkpoint after this many dates (default 10). */
  checkpointEvery?: number;
  /** Runs after a date's slices are appended, in the same state (e.g. the snapshot model). */
  afterDate?: (writer: StateWriter, date: string) => Promise<void>;
  onDate?: (report: BackfillDateReport) => void;
  /** Checksum cache for candidate checks (tests point it at a temp folder). */
  cacheDir?: string;
}

export interface BackfillDateReport {
  date: string;
  status: "loaded" | "gap";
  /** Rejection code for gaps (missing_dump, not_valid_for_etl, quarantined, source_drift, checksum_mismatch, ...). */
  reason?: string;
  detail?: string;
  tenantRows?: number;
  seconds: number;
}

export interface BackfillResult {
  dates: BackfillDateReport[];
  /** Dates of the range already recorded by an earlier (interrupted or finished) backfill. */
  alreadyDone: number;
  checkpoints: number;
}

export async function backfill(settings: IngestSettings, options: BackfillOptions): Promise<BackfillResult> {
  const from = parseBusinessDate(options.from, "--from");
  const to = parseBusinessDate(options.to, "--to");
  if (to < from) throw new UsageError("--to is before --from");
  const every = Math.max(1, options.checkpointEvery ?? 10);
  const store = openStore(settings);
  const checks = await prepareCandidateChecks(store, settings, {
    cache: new ChecksumCache(options.cacheDir),
  });
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  const result: BackfillResult = { dates: [], alreadyDone: 0, checkpoints: 0 };
  try {
    const done = await recordedDates(warehouse);
    const todo: string[] = [];
    for (let d = from; d <= to; d++) {
      const date = formatBusinessDate(d);
      if (done.has(date)) result.alreadyDone++;
      else todo.push(date);
    }
    let writer: StateWriter | null = null;
    let sinceCheckpoint = 0;
    try {
      for (const date of todo) {
        writer ??= await warehouse.beginState({ label: `backfill ${options.from}..${options.to}` });
        const report = await backfillDate(writer, store, settings, checks, date, options);
        result.dates.push(report);
        options.onDate?.(report);
        if (++sinceCheckpoint >= every) {
          await writer.publish();
          result.checkpoints++;
          writer = null;
          sinceCheckpoint = 0;
        }
      }
      if (writer) {
        await writer.publish();
        result.checkpoints++;
        writer = null;
      }
    } finally {
      if (writer) await (writer as StateWriter).abandon("backfill interrupted");
      await checks.cache?.save();
    }
  } finally {
    await warehouse.close();
  }
  return result;
}

async function backfillDate(
  writer: StateWriter,
  store: ReturnType<typeof openStore>,
  settings: IngestSettings,
  checks: Awaited<ReturnType<typeof prepareCandidateChecks>>,
  date: string,
  options: BackfillOptions,
): Promise<BackfillDateReport> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  // Checksums are verified before loading (from the cache when known), so a corrupted dump is a
  // gap rather than a half-replaced staging in the middle of a long job.
  const evaluation = await evaluateCandidate(checks, date, {
    checksum: "cached",
    targetDate: date,
    maxStaleDays: 0,
  });
  if (!evaluation.valid || !evaluation.dumpKey || !evaluation.manifest) {
    const { reason, detail } = gapReason(evaluation);
    await recordInLedger(writer, date, "gap", reason, detail);
    return { date, status: "gap", reason, detail, seconds: seconds() };
  }
  const candidate = { ...evaluation, dumpKey: evaluation.dumpKey, manifest: evaluation.manifest };
  const load = await loadCandidate(writer, store, settings, candidate);
  const slices = await appendSnapshotSlices(writer, date);
  await options.afterDate?.(writer, date);
  await recordLoad(writer, load, date);
  await recordInLedger(writer, date, "loaded");
  return { date, status: "loaded", tenantRows: slices.tenantRows, seconds: seconds() };
}

function gapReason(evaluation: CandidateEvaluation): { reason: string; detail: string } {
  const first = evaluation.rejections[0];
  return {
    reason: first?.code ?? "invalid",
    detail: evaluation.rejections.map((r) => r.message).join("; "),
  };
}

/** Dates the published state has already recorded (loaded or gap). */
async function recordedDates(warehouse: Awaited<ReturnType<typeof openWarehouse>>): Promise<Set<string>> {
  if ((await warehouse.publishedStateId()) === null) return new Set();
  const reader = await warehouse.openPublished();
  try {
    return await ledgerDates(reader);
  } finally {
    await reader.close();
  }
}
