/**
 * Quarantining a date: its dump and manifest move (never deleted) to
 * `quarantine/<CODE>/<DATE>/`, an invalid manifest is written beside them, and the date is
 * added to `dumps-manifest/quarantine_index_manual.json` so every later check refuses it,
 * even if the upstream job publishes the same date again.
 *
 * The index is written first: a run interrupted half-way leaves the date refused, and
 * running the command again finishes the move.
 */
import { UsageError } from "../errors.js";
import { requireBusinessDate } from "./dates.js";
import type { DumpStore } from "./dump-store.js";
import { REASON_CODE } from "./quarantine-index.js";
import { StoreError } from "./store-error.js";
import { baseName, dumpKeys, manifestKey, MANIFESTS_DIR, QUARANTINE_DIR } from "./store-layout.js";

/** The index file this tool writes; other `quarantine_index_*.json` files are only read. */
export const MANUAL_QUARANTINE_INDEX = `${MANIFESTS_DIR}/quarantine_index_manual.json`;

export interface QuarantineOptions {
  prefix: string;
  now?: Date;
}

export interface QuarantineResult {
  date: string;
  reason: string;
  /** Key prefix of the quarantine folder, e.g. `quarantine/bad_dump/2026-01-10/`. */
  folder: string;
  moved: { from: string; to: string }[];
  /** Objects written (the invalid manifest). */
  written: string[];
  indexKey: string;
  /** False when the index already listed this date with this reason. */
  indexUpdated: boolean;
}

export async function quarantineDump(
  store: DumpStore,
  date: string,
  reasonCode: string,
  options: QuarantineOptions,
): Promise<QuarantineResult> {
  requireBusinessDate(date);
  if (!REASON_CODE.test(reasonCode)) {
    throw new UsageError(
      `reason code '${reasonCode}' must be letters, digits, '_', '.' or '-' (e.g. bad_dump)`,
    );
  }
  const now = (options.now ?? new Date()).toISOString();
  const folder = `${QUARANTINE_DIR}/${reasonCode}/${date}/`;
  const keys = dumpKeys(options.prefix, date);
  const mKey = manifestKey(options.prefix, date);
  const mBase = baseName(mKey).replace(/\.json$/, "");
  const plan: { from: string; to: string }[] = [];
  for (const k of [keys.sql, keys.gz])
    if (await store.stat(k)) plan.push({ from: k, to: folder + baseName(k) });
  const manifestText = await store.readText(mKey);
  const invalidKey = `${folder}${mBase}.json`;
  if (manifestText !== undefined) plan.push({ from: mKey, to: `${folder}${mBase}.original.json` });

  // Refuse before touching anything if the destination is taken: nothing is overwritten.
  const taken = [...plan.map((p) => p.to), ...(plan.length > 0 ? [invalidKey] : [])];
  for (const key of taken) {
    if (await store.stat(key)) {
      throw new StoreError(
        `${store.location}/${key} already exists: ${date} was quarantined as ${reasonCode} before; nothing was moved`,
      );
    }
  }

  const indexUpdated = await addIndexEntry(store, {
    date,
    reason: reasonCode,
    quarantined_at: now,
    moved_to: folder,
  });

  const result: QuarantineResult = {
    date,
    reason: reasonCode,
    folder,
    moved: [],
    written: [],
    indexKey: MANUAL_QUARANTINE_INDEX,
    indexUpdated,
  };
  for (const step of plan) {
    await store.move(step.from, step.to);
    result.moved.push(step);
  }
  if (plan.length > 0) {
    await store.put(invalidKey, invalidManifest(manifestText, reasonCode, now, plan));
    result.written.push(invalidKey);
  }
  return result;
}

function invalidManifest(
  originalText: string | undefined,
  reasonCode: string,
  now: string,
  plan: { from: string; to: string }[],
): string {
  let original: Record<string, unknown> = {};
  if (originalText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(originalText);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        original = parsed as Record<string, unknown>;
    } catch {
      // The original is kept byte for byte in *.original.json; this one only says why it is here.
    }
  }
  const doc = {
    ...original,
    valid_for_etl: false,
    invalid_reason: `quarantined: ${reasonCode}`,
    quarantined_at: now,
    quarantined_from: plan.map((p) => p.from),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

interface IndexEntry {
  date: string;
  reason: string;
  quarantined_at: string;
  moved_to: string;
}

async function addIndexEntry(store: DumpStore, entry: IndexEntry): Promise<boolean> {
  const text = await store.readText(MANUAL_QUARANTINE_INDEX);
  let entries: unknown[] = [];
  let doc: Record<string, unknown> = {};
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new StoreError(
        `${store.location}/${MANUAL_QUARANTINE_INDEX} is not valid JSON (${(err as Error).message}); fix it before quarantining more dates`,
      );
    }
    if (Array.isArray(parsed)) entries = parsed;
    else if (
      parsed &&
      typeof parsed === "object" &&
      Array.isArray((parsed as { entries?: unknown }).entries)
    ) {
      doc = parsed as Record<string, unknown>;
      entries = doc.entries as unknown[];
    } else {
      throw new StoreError(
        `${store.location}/${MANUAL_QUARANTINE_INDEX}: expected {"entries": [...]}; fix it before quarantining more dates`,
      );
    }
  }
  const already = entries.some((e) => {
    const o = e as Record<string, unknown> | null;
    return o?.date === entry.date && (o?.reason ?? o?.reason_code) === entry.reason;
  });
  if (already) return false;
  await store.put(
    MANUAL_QUARANTINE_INDEX,
    `${JSON.stringify({ ...doc, entries: [...entries, entry] }, null, 2)}\n`,
  );
  return true;
}
