import { createHash } from "node:crypto";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { DumpParseError } from "../errors.js";
import type { BufferPool } from "./buffer-pool.js";
import type { ColumnsEvent } from "./column-batch.js";
import { DumpParser, type SkippedStatement } from "./dump-parser.js";
import type { DumpEvent, TableReadStats, TableSchema } from "./types.js";

export interface ReadDumpOptions {
  /** Name of the dump (object key or path), used in error messages. */
  file: string;
  /** Gunzip the input: true, false, or "auto" (default) to decide by the gzip magic bytes. */
  gzip?: boolean | "auto";
  /** Schemas of tables the dump fills without creating them (a data-only dump into staging). */
  knownSchemas?: ReadonlyMap<string, TableSchema>;
  /** Tables to read (names, or a predicate); INSERTs into others are passed over undecoded. Default: all. */
  tables?: Iterable<string> | ((name: string) => boolean);
  /** Rows per `rows` event at most (default 4096). */
  batchRows?: number;
  /** SQL bytes per `rows` event at most (default 8 MiB), for tables of large rows. */
  batchBytes?: number;
  /**
   * Text values (kind `text`) as Uint8Array of their bytes as dumped instead of strings: for
   * consumers that want UTF-8 anyway (the warehouse appenders), it saves decoding to UTF-16 and
   * encoding back. The bytes are not checked: decoding them as `Buffer.toString("utf8")` does
   * (invalid sequences -> U+FFFD) gives the string the default mode returns. Text and binary
   * values of a batch are views into a few large ArrayBuffers listed in the event's `buffers`
   * (transferable). JSON stays a string. Default false.
   */
  textAsBytes?: boolean;
  /**
   * readDumpColumnar: where the buffers of `columns` batches come from; the consumer may give a
   * batch's buffers back to it once done with the batch (see buffer-pool.ts).
   */
  pool?: BufferPool;
}

export interface DumpReading {
  /** The dump's events in order; iterate once. Throws DumpParseError on bad input. */
  events: AsyncIterable<DumpEvent>;
  /** Lowercase hex SHA-256 of the input bytes as stored (the .gz bytes when compressed); after `events` is exhausted. */
  sha256(): string;
  /** Bytes of input read so far, as stored. */
  bytesRead(): number;
  /** Bytes of SQL text parsed so far (after gunzip); error offsets count these. */
  sqlBytesRead(): number;
  /** Whether the input was gunzipped (known once reading has started). */
  gzipped(): boolean | undefined;
  /** Whether the dump ends with mysqldump's `-- Dump completed` line (absent with --skip-comments / --compact). */
  dumpCompleted(): boolean;
  /** Per-table row counts and zero dates loaded as NULL, filled while reading. */
  stats: Map<string, TableReadStats>;
  /** Views, triggers, routines and events skipped on purpose, filled while reading. */
  skipped: SkippedStatement[];
  /** Tables created by the dump (CREATE TABLE), filled while reading. */
  tables: Map<string, TableSchema>;
}

/** A reading whose row batches come laid out column by column (`columns` events), see readDumpColumnar. */
export interface ColumnarDumpReading extends Omit<DumpReading, "events"> {
  events: AsyncIterable<DumpEvent | ColumnsEvent>;
}

type Chunk = Buffer | Uint8Array | string;

const toBuffer = (c: Chunk): Buffer =>
  Buffer.isBuffer(c)
    ? c
    : typeof c === "string"
      ? Buffer.from(c, "utf8")
      : Buffer.from(c.buffer, c.byteOffset, c.length);

/**
 * Streams a mysqldump / mariadb-dump file: bytes in (gzip or plain), typed row batches out, with
 * the SHA-256 of the stored bytes computed in the same pass. Memory stays bounded by the chunk
 * size, the batch size and the longest single value. Chunks must not be modified once yielded
 * (Node streams never do): the next chunk is requested while the current one is parsed.
 */
export function readDump(
  input: Readable | AsyncIterable<Chunk> | Iterable<Chunk>,
  options: ReadDumpOptions,
): DumpReading {
  // without `columnar`, the parser emits no `columns` event
  return openReading(input, options, false) as DumpReading;
}

/**
 * readDump with the row batches as `columns` events (column-batch.ts): values decoded straight
 * into typed arrays and byte buffers, for consumers that move batches between threads and copy
 * them into an engine column by column. `textAsBytes` does not apply (text is bytes there).
 */
export function readDumpColumnar(
  input: Readable | AsyncIterable<Chunk> | Iterable<Chunk>,
  options: ReadDumpOptions,
): ColumnarDumpReading {
  return openReading(input, options, true);
}

function openReading(
  input: Readable | AsyncIterable<Chunk> | Iterable<Chunk>,
  options: ReadDumpOptions,
  columnar: boolean,
): ColumnarDumpReading {
  const { file } = options;
  const filter = options.tables;
  const includeTable =
    filter === undefined ? undefined : typeof filter === "function" ? filter : setFilter(new Set(filter));
  const parser = new DumpParser({
    file,
    knownSchemas: options.knownSchemas,
    includeTable,
    batchRows: options.batchRows,
    batchBytes: options.batchBytes,
    textAsBytes: options.textAsBytes,
    columnar,
    pool: options.pool,
  });
  const hash = createHash("sha256");
  let stored = 0;
  let digest: string | undefined;
  let gzipped: boolean | undefined;
  let started = false;

  async function* storedChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of input as AsyncIterable<Chunk> | Iterable<Chunk>) {
      const b = toBuffer(chunk);
      if (b.length === 0) continue;
      hash.update(b);
      stored += b.length;
      yield b;
    }
    digest = hash.digest("hex");
  }

  async function* events(): AsyncGenerator<DumpEvent | ColumnsEvent> {
    if (started) throw new Error(`${file}: the events of a dump can be read once`);
    started = true;
    const source = storedChunks();
    // look at the first two bytes for the gzip magic
    const head: Buffer[] = [];
    let headBytes = 0;
    while (headBytes < 2) {
      const next = await source.next();
      if (next.done) break;
      head.push(next.value);
      headBytes += next.value.length;
    }
    const first = Buffer.concat(head);
    const magic = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    gzipped = options.gzip === undefined || options.gzip === "auto" ? magic : options.gzip;
    const bytes = (async function* () {
      if (first.length > 0) yield first;
      yield* source;
    })();

    if (!gzipped) {
      for await (const chunk of readAhead(bytes)) yield* parser.push(chunk);
    } else {
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      const out = pipeline(Readable.from(bytes, { objectMode: false }), gunzip, () => {});
      try {
        for await (const chunk of readAhead(out as AsyncIterable<Buffer>)) yield* parser.push(chunk);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (typeof code === "string" && code.startsWith("Z_")) {
          throw new DumpParseError(
            file,
            undefined,
            stored,
            `corrupt gzip data (${(e as Error).message}) at or before this offset of the compressed file, ` +
              `after ${parser.offset} bytes of SQL`,
          );
        }
        throw e;
      }
    }
    yield* parser.finish();
  }

  return {
    events: { [Symbol.asyncIterator]: () => events() },
    sha256() {
      if (digest === undefined) throw new Error(`${file}: sha256 is known once the events are exhausted`);
      return digest;
    },
    bytesRead: () => stored,
    sqlBytesRead: () => parser.offset,
    gzipped: () => gzipped,
    dumpCompleted: () => parser.sawDumpCompleted,
    stats: parser.stats,
    skipped: parser.skipped,
    tables: parser.tables,
  };
}

/**
 * Asks for the next chunk before handing out the current one, so that reading (and gunzip)
 * proceed on other threads while the current chunk is parsed.
 */
async function* readAhead(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let pending = it.next();
  try {
    for (;;) {
      const r = await pending;
      if (r.done) return;
      pending = it.next();
      pending.catch(() => {}); // surfaced by the await above on the next round
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

function setFilter(names: Set<string>): (name: string) => boolean {
  return (name) => names.has(name);
}
