/**
 * Quarantine indexes: `dumps-manifest/quarantine_index_*.json`, each listing dates or date
 * ranges with a reason code. Canonical shape (see README.md):
 *
 *   { "entries": [ { "date": "2026-01-10", "reason": "bad_dump" },
 *                  { "from": "2026-01-01", "to": "2026-01-05", "reason": "source_drift" } ] }
 *
 * Read leniently (a plain array of entries; `dates: [...]`; `reason_code`; YYYYMMDD dates),
 * but never silently: an index that cannot be understood makes every date unsafe, so its
 * problems are reported and the candidate checks refuse every date while it is broken.
 */
import { z } from "zod";
import type { DumpStore } from "./dump-store.js";
import { fromCompactDate, isBusinessDate } from "./dates.js";

export const REASON_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const looseDate = z
  .string()
  .transform((s) => (isBusinessDate(s) ? s : fromCompactDate(s)))
  .pipe(z.string({ error: "expected a date YYYY-MM-DD" }));

const reasonCode = z.string().regex(REASON_CODE, "expected a reason code (letters, digits, _ . -)");

const EntrySchema = z
  .object({
    date: looseDate.optional(),
    dates: z.array(looseDate).optional(),
    from: looseDate.optional(),
    to: looseDate.optional(),
    reason: reasonCode.optional(),
    reason_code: reasonCode.optional(),
  })
  .loose()
  .superRefine((e, ctx) => {
    const hasRange = e.from !== undefined || e.to !== undefined;
    if (e.date === undefined && e.dates === undefined && !hasRange) {
      ctx.addIssue({ code: "custom", message: "entry names no 'date', 'dates' or 'from'/'to'" });
    }
    if (hasRange && (e.from === undefined || e.to === undefined)) {
      ctx.addIssue({ code: "custom", message: "a range needs both 'from' and 'to'" });
    }
    if (e.from !== undefined && e.to !== undefined && e.from > e.to) {
      ctx.addIssue({ code: "custom", message: `range from ${e.from} to ${e.to} is backwards` });
    }
    if (e.reason === undefined && e.reason_code === undefined) {
      ctx.addIssue({ code: "custom", message: "entry has no 'reason'" });
    }
  });

/** A top-level document: `{entries: [...]}`, a plain array, or a single entry object. */
const IndexSchema = z.union([z.object({ entries: z.array(z.unknown()) }).loose(), z.array(z.unknown())]);

export interface QuarantineEntry {
  /** Single dates covered by this entry (from `date` and `dates`). */
  dates: string[];
  range?: { from: string; to: string };
  reason: string;
  /** The index file the entry came from. */
  indexKey: string;
}

export interface QuarantineIndex {
  entries: QuarantineEntry[];
  /** Index files that could not be read, with what is wrong. */
  problems: { indexKey: string; message: string }[];
}

export interface QuarantineMatch {
  reason: string;
  indexKey: string;
}

/** Every quarantine entry covering `date` (one date may be quarantined for several reasons). */
export function quarantineMatches(index: QuarantineIndex, date: string): QuarantineMatch[] {
  return index.entries
    .filter((e) => e.dates.includes(date) || (e.range && e.range.from <= date && date <= e.range.to))
    .map((e) => ({ reason: e.reason, indexKey: e.indexKey }));
}

/** Parses one index file's text; entries that do not parse become problems. */
export function parseQuarantineIndex(indexKey: string, text: string): QuarantineIndex {
  const out: QuarantineIndex = { entries: [], problems: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    out.problems.push({ indexKey, message: `not valid JSON: ${(err as Error).message}` });
    return out;
  }
  let rawEntries: unknown[];
  const top = IndexSchema.safeParse(doc);
  if (top.success) {
    rawEntries = Array.isArray(top.data) ? top.data : top.data.entries;
  } else if (doc && typeof doc === "object") {
    rawEntries = [doc]; // a single entry at the top level
  } else {
    out.problems.push({ indexKey, message: 'expected {"entries": [...]} or an array of entries' });
    return out;
  }
  rawEntries.forEach((raw, i) => {
    const parsed = EntrySchema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues
        .map((iss) => (iss.path.length ? `${iss.path.join(".")}: ${iss.message}` : iss.message))
        .join("; ");
      out.problems.push({ indexKey, message: `entry ${i}: ${why}` });
      return;
    }
    const e = parsed.data;
    const entry: QuarantineEntry = {
      dates: [...(e.date ? [e.date] : []), ...(e.dates ?? [])],
      reason: (e.reason ?? e.reason_code)!,
      indexKey,
    };
    if (e.from && e.to) entry.range = { from: e.from, to: e.to };
    out.entries.push(entry);
  });
  return out;
}

/** Reads and merges the given quarantine index files (their keys come from a StoreCatalog). */
export async function readQuarantineIndexes(store: DumpStore, keys: string[]): Promise<QuarantineIndex> {
  const merged: QuarantineIndex = { entries: [], problems: [] };
  for (const key of keys) {
    const text = await store.readText(key);
    if (text === undefined) continue; // removed between listing and reading
    const one = parseQuarantineIndex(key, text);
    merged.entries.push(...one.entries);
    merged.problems.push(...one.problems);
  }
  return merged;
}
