/**
 * Worker-thread side of read-dump-in-worker.ts: opens the dump, reads it with the ordinary
 * reader and posts each event, waiting for the main thread to take batches so that it is never
 * more than READ_AHEAD_BYTES of batch buffers (or MAX_IN_FLIGHT events) ahead.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { DumpParseError } from "../errors.js";
import { BufferPool } from "../reader/buffer-pool.js";
import { batchBuffers, type ColumnsEvent } from "../reader/column-batch.js";
import { readDump, readDumpColumnar } from "../reader/read-dump.js";
import type { DumpEvent } from "../reader/types.js";
import { openStore } from "../store/index.js";
import {
  MAX_IN_FLIGHT,
  READ_AHEAD_BYTES,
  type DumpSource,
  type MainMessage,
  type WorkerMessage,
  type WorkerReadOptions,
} from "./read-dump-in-worker.js";

const port = parentPort!;
const { source, options } = workerData as { source: DumpSource; options: WorkerReadOptions };

/** Bytes of the buffers of each posted event the main thread has not taken yet, oldest first. */
const inFlight: number[] = [];
let bytesInFlight = 0;
let resume: (() => void) | null = null;
/** Buffers of batches the main thread has appended, used again for the next batches. */
const pool = new BufferPool();
port.on("message", (m: MainMessage) => {
  if (m.type === "recycle") {
    pool.give(m.buffers);
    return;
  }
  bytesInFlight -= inFlight.shift() ?? 0;
  resume?.();
});

function post(message: WorkerMessage, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

async function open(s: DumpSource): Promise<Readable> {
  if (s.kind === "file") return createReadStream(s.path, { highWaterMark: 1 << 20 });
  return openStore(s.settings).openRead(s.key);
}

async function main(): Promise<void> {
  const only = options.only ? new Set(options.only) : null;
  const never = new Set(options.exclude ?? []);
  const readOptions = {
    // Text goes to the warehouse as UTF-8 bytes: never decoded to JS strings, never re-encoded.
    textAsBytes: true,
    ...options,
    pool,
    tables: (name: string) => (only === null || only.has(name)) && !never.has(name),
  };
  // Columnar: batches are a few typed arrays, moved to the main thread (no clone), where the
  // appender copies each column into the engine in one call.
  const reading =
    options.columnar === false
      ? readDump(await open(source), readOptions)
      : readDumpColumnar(await open(source), readOptions);
  const readAheadBytes = options.readAheadBytes ?? READ_AHEAD_BYTES;
  for await (const event of reading.events) {
    while (bytesInFlight >= readAheadBytes || inFlight.length >= MAX_IN_FLIGHT)
      await new Promise<void>((r) => (resume = r));
    const transfer = transferable(event);
    const bytes = transfer?.reduce((sum, b) => sum + b.byteLength, 0) ?? 0;
    inFlight.push(bytes);
    bytesInFlight += bytes;
    post(
      { type: "event", event, bytesRead: reading.bytesRead(), sqlBytesRead: reading.sqlBytesRead() },
      transfer,
    );
  }
  post({
    type: "end",
    summary: {
      sha256: reading.sha256(),
      bytesRead: reading.bytesRead(),
      sqlBytesRead: reading.sqlBytesRead(),
      gzipped: reading.gzipped(),
      dumpCompleted: reading.dumpCompleted(),
      stats: [...reading.stats],
      skipped: reading.skipped,
      tables: [...reading.tables],
    },
  });
}

/** The ArrayBuffers a batch's values live in (and nothing else refers to): moved, not copied. */
function transferable(event: DumpEvent | ColumnsEvent): ArrayBuffer[] | undefined {
  if (event.type === "columns") return batchBuffers(event.batch);
  return event.type === "rows" ? event.buffers : undefined;
}

main().catch((err: unknown) => {
  const e = err as Error;
  const parse =
    err instanceof DumpParseError
      ? { file: err.file, table: err.table, byteOffset: err.byteOffset, detail: err.detail }
      : undefined;
  post({ type: "error", error: { name: e?.name ?? "Error", message: e?.message ?? String(err), parse } });
});
