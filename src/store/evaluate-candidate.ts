/**
 * Checks one business date against the six candidate rules of source.md and returns every
 * reason it fails, not just the first: a manifest can at once miss a field, be marked
 * invalid, name the wrong server and be quarantined, and the operator should see all of it.
 */
import type { Settings } from "../config/settings.js";
import { ChecksumCache, dumpSha256 } from "./checksum-cache.js";
import type { DumpStore, StoreObjectInfo } from "./dump-store.js";
import { daysBetween } from "./dates.js";
import { resolveExpectedSource, type ExpectedSource } from "./expected-source.js";
import { parseManifest, type Manifest } from "./manifest.js";
import { quarantineMatches, readQuarantineIndexes, type QuarantineIndex } from "./quarantine-index.js";
import {
  baseName,
  dumpKeys,
  loadCatalog,
  loadDateCatalog,
  manifestKey,
  type StoreCatalog,
} from "./store-layout.js";

export type Rejection =
  | { code: "missing_dump"; message: string }
  | { code: "missing_manifest"; message: string }
  /** A required field is missing or has the wrong type, or the manifest is not a JSON object. */
  | { code: "manifest_field"; field: string; message: string }
  | { code: "not_valid_for_etl"; invalidReason?: string; message: string }
  | {
      code: "source_drift";
      expected: { host: string; database: string };
      found: { host: unknown; database: unknown };
      message: string;
    }
  | { code: "checksum_mismatch"; expected: string; actual: string; message: string }
  | { code: "quarantined"; reason: string; indexKey: string; message: string }
  /** A quarantine index cannot be read, so no date can be shown not to be quarantined. */
  | { code: "quarantine_index_invalid"; indexKey: string; message: string }
  | { code: "too_stale"; targetDate: string; ageDays: number; maxStaleDays: number; message: string }
  | { code: "after_target_date"; targetDate: string; message: string };

export type RejectionCode = Rejection["code"];

/** How the SHA-256 rule is applied: read every byte, reuse the digest cache, or skip (said so in the result). */
export type ChecksumMode = "verify" | "cached" | "skip";

export interface CandidateEvaluation {
  date: string;
  valid: boolean;
  dumpKey?: string;
  dumpBytes?: number;
  manifestKey?: string;
  /** The parsed manifest, when it satisfies the schema. */
  manifest?: Manifest;
  /** SHA-256 of the stored dump bytes, when computed (or taken from the cache). */
  sha256?: string;
  /**
   * verified: digest matches; mismatch: it does not; skipped: checksum mode was `skip`;
   * not_checked: nothing to compare (no dump, or no usable dump_sha256).
   */
  checksum: "verified" | "mismatch" | "skipped" | "not_checked";
  checksumFromCache?: boolean;
  rejections: Rejection[];
  /** Things worth knowing that do not reject the dump (legacy field names, two dump files). */
  warnings: string[];
}

/** What the checks for many dates share: one store listing, the indexes, the expected source. */
export interface CandidateChecks {
  store: DumpStore;
  prefix: string;
  expectedSource: ExpectedSource;
  catalog: StoreCatalog;
  quarantine: QuarantineIndex;
  cache?: ChecksumCache;
}

export type CandidateSettings = Pick<
  Settings,
  "dumpPrefix" | "expectedSourceHost" | "expectedSourceDatabase"
>;

export interface PrepareOptions {
  /** Use this instead of resolving it from settings / source.json. */
  expectedSource?: ExpectedSource;
  /** Digest cache: consulted in `cached` mode, refreshed in `verify` mode. */
  cache?: ChecksumCache;
  /** Look up only this date with HEAD requests instead of listing the store. */
  onlyDate?: string;
}

export async function prepareCandidateChecks(
  store: DumpStore,
  settings: CandidateSettings,
  options: PrepareOptions = {},
): Promise<CandidateChecks> {
  const expectedSource = options.expectedSource ?? (await resolveExpectedSource(store, settings));
  const catalog = options.onlyDate
    ? await loadDateCatalog(store, settings.dumpPrefix, options.onlyDate)
    : await loadCatalog(store, settings.dumpPrefix);
  const quarantine = await readQuarantineIndexes(store, catalog.quarantineIndexKeys);
  const checks: CandidateChecks = { store, prefix: settings.dumpPrefix, expectedSource, catalog, quarantine };
  if (options.cache) checks.cache = options.cache;
  return checks;
}

export interface EvaluateOptions {
  checksum?: ChecksumMode;
  /** Apply rule 6: the date must be within `maxStaleDays` before `targetDate`. */
  targetDate?: string;
  maxStaleDays?: number;
}

export async function evaluateCandidate(
  checks: CandidateChecks,
  date: string,
  options: EvaluateOptions = {},
): Promise<CandidateEvaluation> {
  const { store, prefix, catalog } = checks;
  const rejections: Rejection[] = [];
  const warnings: string[] = [];
  const result: CandidateEvaluation = { date, valid: false, checksum: "not_checked", rejections, warnings };

  // Rule 1: both objects exist, the manifest parses and has every required field.
  const dumpObjects = catalog.dumps.get(date) ?? [];
  if (dumpObjects.length === 0) {
    const k = dumpKeys(prefix, date);
    rejections.push({
      code: "missing_dump",
      message: `dump missing: neither ${k.sql} nor ${baseName(k.gz)} exists`,
    });
  }
  const mKey = manifestKey(prefix, date);
  const manifestInfo = catalog.manifests.get(date);
  let raw: Record<string, unknown> | undefined;
  if (!manifestInfo) {
    rejections.push({ code: "missing_manifest", message: `manifest missing: ${mKey} does not exist` });
  } else {
    result.manifestKey = manifestInfo.key;
    const text = await store.readText(manifestInfo.key);
    if (text === undefined) {
      rejections.push({
        code: "missing_manifest",
        message: `manifest missing: ${mKey} disappeared while reading`,
      });
    } else {
      const parsed = parseManifest(text);
      raw = parsed.raw;
      for (const legacy of parsed.legacyFields)
        warnings.push(`manifest uses the legacy field name '${legacy}'`);
      if (parsed.ok) result.manifest = parsed.manifest;
      else
        for (const p of parsed.problems)
          rejections.push({ code: "manifest_field", field: p.field, message: `manifest ${p.message}` });
    }
  }

  const dumpInfo = pickDump(dumpObjects, raw, warnings);
  if (dumpInfo) {
    result.dumpKey = dumpInfo.key;
    result.dumpBytes = dumpInfo.size;
  }

  // Rules 2 and 3 use whatever the manifest holds, even when other fields are broken.
  if (raw?.valid_for_etl === false) {
    const reason =
      typeof raw.invalid_reason === "string" && raw.invalid_reason ? raw.invalid_reason : undefined;
    rejections.push({
      code: "not_valid_for_etl",
      ...(reason ? { invalidReason: reason } : {}),
      message: `manifest marks the dump not valid for ETL: ${reason ?? "(no invalid_reason given)"}`,
    });
  }
  if (raw) {
    const drift = sourceDrift(checks.expectedSource, raw.source_host, raw.source_database);
    if (drift) rejections.push(drift);
  }

  // Rule 4: the stored bytes hash to dump_sha256.
  const expectedSha =
    typeof raw?.dump_sha256 === "string" && /^[0-9a-fA-F]{64}$/.test(raw.dump_sha256)
      ? raw.dump_sha256.toLowerCase()
      : undefined;
  const mode = options.checksum ?? "verify";
  if (dumpInfo && expectedSha) {
    if (mode === "skip") {
      result.checksum = "skipped";
    } else {
      const { sha256, fromCache } = await dumpSha256(store, dumpInfo, checks.cache, mode === "cached");
      result.sha256 = sha256;
      result.checksumFromCache = fromCache;
      if (sha256 === expectedSha) result.checksum = "verified";
      else {
        result.checksum = "mismatch";
        rejections.push({
          code: "checksum_mismatch",
          expected: expectedSha,
          actual: sha256,
          message: `sha256 mismatch: the stored bytes hash to ${sha256.slice(0, 12)}…, the manifest says ${expectedSha.slice(0, 12)}…`,
        });
      }
    }
  } else if (mode === "skip" && dumpInfo) {
    result.checksum = "skipped";
  }

  // Rule 5: not quarantined (and every index readable).
  for (const m of quarantineMatches(checks.quarantine, date)) {
    rejections.push({
      code: "quarantined",
      reason: m.reason,
      indexKey: m.indexKey,
      message: `quarantined (reason ${m.reason}, listed in ${m.indexKey})`,
    });
  }
  for (const p of checks.quarantine.problems) {
    rejections.push({
      code: "quarantine_index_invalid",
      indexKey: p.indexKey,
      message: `quarantine index ${p.indexKey} cannot be read (${p.message}); every date is refused until it is fixed`,
    });
  }

  // Rule 6: within max_dump_stale_days of the target date.
  if (options.targetDate !== undefined) {
    const age = daysBetween(date, options.targetDate);
    const max = options.maxStaleDays ?? 0;
    if (age < 0) {
      rejections.push({
        code: "after_target_date",
        targetDate: options.targetDate,
        message: `dated after the target date ${options.targetDate}`,
      });
    } else if (age > max) {
      rejections.push({
        code: "too_stale",
        targetDate: options.targetDate,
        ageDays: age,
        maxStaleDays: max,
        message: `too stale: ${age} day${age === 1 ? "" : "s"} before the target date ${options.targetDate}, max_dump_stale_days is ${max}`,
      });
    }
  }

  result.valid = rejections.length === 0;
  return result;
}

/** Which dump object to use when a date has both .sql and .sql.gz: the manifest's dump_key decides, else .sql.gz. */
function pickDump(
  dumps: StoreObjectInfo[],
  raw: Record<string, unknown> | undefined,
  warnings: string[],
): StoreObjectInfo | undefined {
  if (dumps.length === 0) return undefined;
  if (dumps.length === 1) return dumps[0];
  const named = typeof raw?.dump_key === "string" ? baseName(raw.dump_key) : undefined;
  const byName = dumps.find((d) => baseName(d.key) === named);
  if (byName) return byName;
  const gz = dumps.find((d) => d.key.endsWith(".gz")) ?? dumps[0]!;
  warnings.push(`both ${dumps.map((d) => baseName(d.key)).join(" and ")} exist; using ${baseName(gz.key)}`);
  return gz;
}

function sourceDrift(expected: ExpectedSource, host: unknown, database: unknown): Rejection | undefined {
  // A missing or mistyped field is already reported as a manifest_field problem.
  const hostDiffers = typeof host === "string" && host.toLowerCase() !== expected.host.toLowerCase();
  const dbDiffers = typeof database === "string" && database !== expected.database;
  if (!hostDiffers && !dbDiffers) return undefined;
  const parts: string[] = [];
  if (hostDiffers) parts.push(`source_host expected '${expected.host}', found '${String(host)}'`);
  if (dbDiffers) parts.push(`source_database expected '${expected.database}', found '${String(database)}'`);
  return {
    code: "source_drift",
    expected: { host: expected.host, database: expected.database },
    found: { host, database },
    message: `source drift: ${parts.join("; ")}`,
  };
}

/** Every reason on one line, for tables and error messages. */
export function describeRejections(evaluation: CandidateEvaluation): string {
  return evaluation.rejections.map((r) => r.message).join("; ");
}
