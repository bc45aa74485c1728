/**
 * Picks the dump to load for a business date: the newest valid dump within
 * max_dump_stale_days of the target date (0: only the target date itself), and every
 * rejected candidate with all its reasons.
 */
import type { Settings } from "../config/settings.js";
import { DumpRejectedError } from "../errors.js";
import { addDays, requireBusinessDate } from "./dates.js";
import type { DumpStore } from "./dump-store.js";
import {
  evaluateCandidate,
  prepareCandidateChecks,
  type CandidateEvaluation,
  type ChecksumMode,
  type PrepareOptions,
} from "./evaluate-candidate.js";
import type { ExpectedSource } from "./expected-source.js";

export type SelectSettings = Pick<
  Settings,
  "dumpPrefix" | "expectedSourceHost" | "expectedSourceDatabase" | "maxDumpStaleDays"
>;

export interface SelectOptions extends Omit<PrepareOptions, "onlyDate"> {
  /** Default `verify`: every candidate considered is read in full to check its SHA-256. */
  checksum?: ChecksumMode;
}

export interface CandidateSelection {
  targetDate: string;
  maxStaleDays: number;
  expectedSource: ExpectedSource;
  /** The dump to load, when there is one. */
  chosen?: CandidateEvaluation;
  /**
   * Rejected candidates, newest first: every date of the window newer than the chosen one
   * (missing dates included) and, when nothing in the window is valid, the newest older dump
   * (reported too stale; its checksum is not read).
   */
  rejected: CandidateEvaluation[];
}

export async function selectDumpCandidate(
  store: DumpStore,
  targetDate: string,
  settings: SelectSettings,
  options: SelectOptions = {},
): Promise<CandidateSelection> {
  requireBusinessDate(targetDate, "target date");
  const maxStaleDays = settings.maxDumpStaleDays;
  const checks = await prepareCandidateChecks(store, settings, options);
  const selection: CandidateSelection = {
    targetDate,
    maxStaleDays,
    expectedSource: checks.expectedSource,
    rejected: [],
  };
  const rule6 = { targetDate, maxStaleDays };
  try {
    for (let age = 0; age <= maxStaleDays; age++) {
      const date = addDays(targetDate, -age);
      const evaluation = await evaluateCandidate(checks, date, {
        ...rule6,
        checksum: options.checksum ?? "verify",
      });
      if (evaluation.valid) {
        selection.chosen = evaluation;
        return selection;
      }
      selection.rejected.push(evaluation);
    }
  } finally {
    await checks.cache?.save();
  }
  // Nothing usable in the window: show the newest older dump, so the operator sees how stale it is.
  const oldestAllowed = addDays(targetDate, -maxStaleDays);
  const older = [...new Set([...checks.catalog.dumps.keys(), ...checks.catalog.manifests.keys()])]
    .filter((d) => d < oldestAllowed)
    .sort()
    .pop();
  if (older) selection.rejected.push(await evaluateCandidate(checks, older, { ...rule6, checksum: "skip" }));
  return selection;
}

/** Like selectDumpCandidate, but throws a DumpRejectedError listing every rejected candidate when none is valid. */
export async function requireDumpCandidate(
  store: DumpStore,
  targetDate: string,
  settings: SelectSettings,
  options: SelectOptions = {},
): Promise<
  CandidateEvaluation & { dumpKey: string; manifest: NonNullable<CandidateEvaluation["manifest"]> }
> {
  const selection = await selectDumpCandidate(store, targetDate, settings, options);
  const chosen = selection.chosen;
  if (chosen?.dumpKey && chosen.manifest)
    return { ...chosen, dumpKey: chosen.dumpKey, manifest: chosen.manifest };
  throw new DumpRejectedError(describeNoCandidate(selection, store.location));
}

export function describeNoCandidate(selection: CandidateSelection, location: string): string {
  const lines = [
    `no valid dump in ${location} for ${selection.targetDate} ` +
      `(max_dump_stale_days ${selection.maxStaleDays}; expected source ${selection.expectedSource.host}/` +
      `${selection.expectedSource.database} ${selection.expectedSource.note}):`,
  ];
  for (const r of selection.rejected) {
    lines.push(`  ${r.date}:`);
    for (const why of r.rejections) lines.push(`    - ${why.message}`);
  }
  return lines.join("\n");
}
