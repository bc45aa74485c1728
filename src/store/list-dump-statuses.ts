/**
 * Every date of a range with its verdict, each date judged as the candidate for itself
 * (rules 1-5; staleness is a property of a target date, see selectDumpCandidate).
 */
import { datesBetween, requireBusinessDate } from "./dates.js";
import type { DumpStore } from "./dump-store.js";
import {
  evaluateCandidate,
  prepareCandidateChecks,
  type CandidateEvaluation,
  type CandidateSettings,
  type ChecksumMode,
  type PrepareOptions,
} from "./evaluate-candidate.js";
import type { ExpectedSource } from "./expected-source.js";

export interface ListOptions extends Omit<PrepareOptions, "onlyDate"> {
  from?: string;
  to?: string;
  /** Default `cached`: digests are computed once per object version and then reused. */
  checksum?: ChecksumMode;
}

export interface DumpStatusList {
  expectedSource: ExpectedSource;
  from?: string;
  to?: string;
  dates: CandidateEvaluation[];
}

/**
 * Without from/to: from the first to the last date that has a dump, a manifest or a
 * single-date quarantine entry, including the missing dates between them.
 */
export async function listDumpStatuses(
  store: DumpStore,
  settings: CandidateSettings,
  options: ListOptions = {},
): Promise<DumpStatusList> {
  if (options.from) requireBusinessDate(options.from, "--from");
  if (options.to) requireBusinessDate(options.to, "--to");
  const checks = await prepareCandidateChecks(store, settings, options);
  const known = [
    ...checks.catalog.dumps.keys(),
    ...checks.catalog.manifests.keys(),
    ...checks.quarantine.entries.flatMap((e) => e.dates),
  ].sort();
  const from = options.from ?? known[0];
  const to = options.to ?? known[known.length - 1];
  const out: DumpStatusList = { expectedSource: checks.expectedSource, dates: [] };
  if (from === undefined || to === undefined) return out;
  out.from = from;
  out.to = to;
  try {
    for (const date of datesBetween(from, to)) {
      out.dates.push(await evaluateCandidate(checks, date, { checksum: options.checksum ?? "cached" }));
    }
  } finally {
    await checks.cache?.save();
  }
  return out;
}
