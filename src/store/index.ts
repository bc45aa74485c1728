/** The dump store: where dumps live, which of them may be loaded, quarantine and archive. */
export type { DumpStore, StoreObjectInfo } from "./dump-store.js";
export { LocalDumpStore } from "./local-dump-store.js";
export { S3DumpStore, parseS3Url, type S3DumpStoreOptions } from "./s3-dump-store.js";
export { openStore, type StoreSettings } from "./open-store.js";
export { StoreError } from "./store-error.js";
export { ManifestSchema, parseManifest, type Manifest, type ManifestParse } from "./manifest.js";
export {
  parseQuarantineIndex,
  readQuarantineIndexes,
  quarantineMatches,
  type QuarantineIndex,
  type QuarantineEntry,
} from "./quarantine-index.js";
export { resolveExpectedSource, type ExpectedSource } from "./expected-source.js";
export { ChecksumCache, defaultCacheDir, sha256OfObject } from "./checksum-cache.js";
export {
  evaluateCandidate,
  prepareCandidateChecks,
  describeRejections,
  type CandidateEvaluation,
  type CandidateChecks,
  type ChecksumMode,
  type Rejection,
  type RejectionCode,
} from "./evaluate-candidate.js";
export {
  selectDumpCandidate,
  requireDumpCandidate,
  describeNoCandidate,
  type CandidateSelection,
} from "./select-dump-candidate.js";
export { listDumpStatuses, type DumpStatusList } from "./list-dump-statuses.js";
export { quarantineDump, MANUAL_QUARANTINE_INDEX, type QuarantineResult } from "./quarantine-dump.js";
export { archiveProcessedDump, type ArchiveResult } from "./archive-processed-dump.js";
export { dumpKeys, manifestKey, loadCatalog, type StoreCatalog } from "./store-layout.js";
