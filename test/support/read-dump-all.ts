/** Test helpers for the dump reader: read a whole dump into memory, split input into chunks. */
import { readDump, type DumpReading, type ReadDumpOptions } from "../../src/reader/read-dump.js";
import type { DumpEvent, TableSchema, Value } from "../../src/reader/types.js";

export interface ReadAllResult {
  events: DumpEvent[];
  /** Rows per table, concatenated over batches. */
  rows: Record<string, Value[][]>;
  /** Schemas of the `table` events by name. */
  tables: Record<string, TableSchema>;
  /** `kind:name` of the skipped events. */
  skipped: string[];
  reading: DumpReading;
}

/** Reads a dump given as text, bytes or chunks, collecting every event. */
export async function readDumpAll(
  input: string | Buffer | Iterable<Buffer> | AsyncIterable<Buffer>,
  options: Partial<ReadDumpOptions> = {},
): Promise<ReadAllResult> {
  const chunks =
    typeof input === "string" ? [Buffer.from(input, "utf8")] : Buffer.isBuffer(input) ? [input] : input;
  const reading = readDump(chunks, { file: "test.sql", ...options });
  const events: DumpEvent[] = [];
  const rows: Record<string, Value[][]> = {};
  const tables: Record<string, TableSchema> = {};
  const skipped: string[] = [];
  for await (const event of reading.events) {
    events.push(event);
    if (event.type === "rows") (rows[event.table] ??= []).push(...event.rows);
    else if (event.type === "table") tables[event.schema.name] = event.schema;
    else skipped.push(`${event.kind}:${event.name}`);
  }
  return { events, rows, tables, skipped, reading };
}

/** Splits `buf` at the given offsets (sorted, deduplicated, out-of-range ignored). */
export function splitAt(buf: Buffer, offsets: number[]): Buffer[] {
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < buf.length).sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(buf.subarray(from, cut));
    from = cut;
  }
  parts.push(buf.subarray(from));
  return parts;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the promise to reject");
}
