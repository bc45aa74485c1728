/**
 * Run and test results appended to `tokyobeta_meta.model_runs` and
 * `tokyobeta_meta.test_results` in the state being built (created when missing).
 */
import type { StateWriter } from "../warehouse/warehouse.js";
import type { RunResult, TestResult } from "./types.js";

export const META_SCHEMA = "tokyobeta_meta";

const MODEL_RUNS = `CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.model_runs (
  run_id VARCHAR, node VARCHAR, kind VARCHAR, status VARCHAR, duration_ms BIGINT,
  "rows" BIGINT, message VARCHAR, started_at TIMESTAMP)`;
const TEST_RESULTS = `CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.test_results (
  run_id VARCHAR, test VARCHAR, node VARCHAR, severity VARCHAR, status VARCHAR,
  failures BIGINT, sample_json VARCHAR, "at" TIMESTAMP)`;

/** JSON with bigints as text and bytes as hex. */
function sampleJson(samples: unknown): string {
  return JSON.stringify(samples, (_key, value: unknown) =>
    typeof value === "bigint"
      ? value.toString()
      : value instanceof Uint8Array
        ? Buffer.from(value).toString("hex")
        : value,
  );
}

/** `2026-01-31T05:30:00.000Z` -> `2026-01-31 05:30:00.000` (UTC, for a TIMESTAMP column). */
const timestamp = (iso: string) => iso.replace("T", " ").replace("Z", "");

export async function storeRunResults(
  writer: StateWriter,
  runId: string,
  results: readonly RunResult[],
): Promise<void> {
  if (results.length === 0) return;
  await writer.createSchema(META_SCHEMA);
  await writer.exec(MODEL_RUNS);
  for (const r of results) {
    await writer.exec(
      `INSERT INTO ${META_SCHEMA}.model_runs VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))`,
      [runId, r.node, r.kind, r.status, Math.round(r.durationMs), r.rows, r.message, timestamp(r.startedAt)],
    );
  }
}

export async function storeTestResults(
  writer: StateWriter,
  runId: string,
  results: readonly TestResult[],
): Promise<void> {
  if (results.length === 0) return;
  await writer.createSchema(META_SCHEMA);
  await writer.exec(TEST_RESULTS);
  for (const r of results) {
    await writer.exec(
      `INSERT INTO ${META_SCHEMA}.test_results VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))`,
      [
        runId,
        r.test,
        r.node,
        r.severity,
        r.status,
        r.failures,
        sampleJson(r.samples),
        timestamp(r.startedAt),
      ],
    );
  }
}
