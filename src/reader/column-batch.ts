/**
 * A batch of rows laid out column by column in typed arrays, the form in which the reader's
 * worker thread hands batches to the loader: a few ArrayBuffers per batch that are moved
 * between threads (no structured clone of thousands of row arrays), and that an engine can
 * copy into its own column vectors in one native call per column instead of one JS step per
 * value. The layout is engine-neutral, the natural binary form of each kind:
 *
 * | kind                          | values                                                      |
 * | ----------------------------- | ----------------------------------------------------------- |
 * | int8 .. uint32, float32/64    | Int8Array .. Uint32Array, Float32Array, Float64Array        |
 * | int64 / uint64, bit           | BigInt64Array / BigUint64Array                              |
 * | date                          | Int32Array: days since 1970-01-01 (proleptic Gregorian)     |
 * | datetime                      | BigInt64Array: microseconds since 1970-01-01 00:00:00       |
 * | text, json                    | bytes: well-formed UTF-8 (invalid input already replaced by |
 * |                               | U+FFFD as Buffer decoding does; JSON already checked)       |
 * | decimal, time                 | bytes: the ASCII text as the row form carries it            |
 * | binary                        | bytes                                                       |
 *
 * "bytes" is `offsets` (rows + 1 entries, value i is data[offsets[i] .. offsets[i+1])) and
 * `data`. Nulls: `validity` has bit i (LSB first) set when row i is not null, padded to whole
 * 64-bit words; null when the column has no null. Values of null rows are unspecified.
 */
import { parseDate, writeTimestamp } from "./epoch-time.js";
import type { ColumnDef, ColumnKind, TableSchema, Value } from "./types.js";
import { isJson, wellFormedUtf8 } from "./text-checks.js";

export type FixedValues =
  | Int8Array<ArrayBuffer>
  | Uint8Array<ArrayBuffer>
  | Int16Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Float32Array<ArrayBuffer>
  | Float64Array<ArrayBuffer>
  | BigInt64Array<ArrayBuffer>
  | BigUint64Array<ArrayBuffer>;

export type ColumnVector =
  | { layout: "fixed"; values: FixedValues; validity: Uint8Array<ArrayBuffer> | null }
  | {
      layout: "bytes";
      offsets: Uint32Array<ArrayBuffer>;
      data: Uint8Array<ArrayBuffer>;
      validity: Uint8Array<ArrayBuffer> | null;
    };

export interface ColumnBatch {
  rows: number;
  /** In schema column order. */
  columns: ColumnVector[];
}

/**
 * A `rows` event's rows laid out column by column: what the reader's worker thread posts
 * instead when the batch fits the layout (see pipeline/read-dump-in-worker.ts).
 */
export interface ColumnsEvent {
  type: "columns";
  table: string;
  batch: ColumnBatch;
  byteOffset: number;
}

type FixedArrayConstructor = { new (length: number): FixedValues; readonly BYTES_PER_ELEMENT: number };

/** The typed array of a fixed-width kind; undefined for the kinds carried as bytes. */
export function fixedArrayOf(kind: ColumnKind): FixedArrayConstructor | undefined {
  switch (kind) {
    case "int8":
      return Int8Array;
    case "uint8":
      return Uint8Array;
    case "int16":
      return Int16Array;
    case "uint16":
      return Uint16Array;
    case "int32":
    case "date":
      return Int32Array;
    case "uint32":
      return Uint32Array;
    case "float32":
      return Float32Array;
    case "float64":
      return Float64Array;
    case "int64":
    case "datetime":
      return BigInt64Array;
    case "uint64":
    case "bit":
      return BigUint64Array;
    default:
      return undefined;
  }
}

/** Bytes of a validity mask for `rows` rows (whole 64-bit words). */
export const validityBytes = (rows: number) => Math.ceil(rows / 64) * 8;

/** The ArrayBuffers of a batch, to transfer it to another thread. */
export function batchBuffers(batch: ColumnBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of batch.columns) {
    if (column.layout === "fixed") buffers.add(column.values.buffer);
    else {
      buffers.add(column.offsets.buffer);
      buffers.add(column.data.buffer);
    }
    if (column.validity) buffers.add(column.validity.buffer);
  }
  return [...buffers];
}

const latin1 = (text: string) => Buffer.from(text, "latin1");
const utf8 = (text: string) => Buffer.from(text, "utf8");

/**
 * Lays out row-form values (the reader's, text as bytes or strings) column by column. Returns
 * undefined when a value has no place in the layout (a datetime the calendar does not have, JSON
 * that does not parse, a value of an unexpected type): the caller then passes the rows on as they
 * are, so that the consumer refuses them exactly as it refuses such rows.
 */
export function toColumnBatch(
  schema: TableSchema,
  rows: readonly (readonly Value[])[],
): ColumnBatch | undefined {
  const columns: ColumnVector[] = [];
  for (let c = 0; c < schema.columns.length; c++) {
    const column = fixedArrayOf(schema.columns[c]!.kind)
      ? fixedColumn(schema.columns[c]!, rows, c)
      : bytesColumn(schema.columns[c]!, rows, c);
    if (!column) return undefined;
    columns.push(column);
  }
  return { rows: rows.length, columns };
}

function validityFor(rows: readonly (readonly Value[])[], c: number): Uint8Array<ArrayBuffer> | null {
  let validity: Uint8Array<ArrayBuffer> | null = null;
  for (let r = 0; r < rows.length; r++) {
    if (rows[r]![c] !== null) continue;
    validity ??= new Uint8Array(validityBytes(rows.length)).fill(0xff);
    validity[r >> 3]! &= ~(1 << (r & 7));
  }
  return validity;
}

function fixedColumn(
  column: ColumnDef,
  rows: readonly (readonly Value[])[],
  c: number,
): ColumnVector | undefined {
  const n = rows.length;
  const values = new (fixedArrayOf(column.kind)!)(n);
  if (column.kind === "date") {
    const days = values as Int32Array;
    for (let r = 0; r < n; r++) {
      const v = rows[r]![c];
      if (v === null) continue;
      const d = typeof v === "string" ? parseDate(v) : undefined;
      if (d === undefined) return undefined;
      days[r] = d;
    }
  } else if (column.kind === "datetime") {
    const view = new DataView(values.buffer);
    for (let r = 0; r < n; r++) {
      const v = rows[r]![c];
      if (v === null) continue;
      if (typeof v !== "string" || !writeTimestamp(view, r * 8, v)) return undefined;
    }
  } else if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let r = 0; r < n; r++) {
      const v = rows[r]![c];
      if (v === null) continue;
      if (typeof v !== "bigint") return undefined;
      values[r] = v;
    }
  } else {
    const numbers = values as Exclude<FixedValues, BigInt64Array | BigUint64Array>;
    for (let r = 0; r < n; r++) {
      const v = rows[r]![c];
      if (v === null) continue;
      if (typeof v !== "number") return undefined;
      numbers[r] = v;
    }
  }
  return { layout: "fixed", values, validity: validityFor(rows, c) };
}

/** The bytes of one non-null value of a bytes-carried column; undefined when it has none. */
function bytesOf(kind: ColumnKind, v: Value): Uint8Array | undefined {
  if (kind === "json") {
    const text = typeof v === "string" ? v : v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : null;
    return text !== null && isJson(text) ? utf8(text) : undefined;
  }
  if (kind === "binary") return v instanceof Uint8Array ? v : typeof v === "string" ? utf8(v) : undefined;
  if (kind === "text") {
    if (typeof v === "string") return utf8(v);
    if (!(v instanceof Uint8Array)) return undefined;
    // as Buffer decoding would read it: invalid sequences become U+FFFD
    return wellFormedUtf8(v) ? v : utf8(Buffer.from(v.buffer, v.byteOffset, v.length).toString("utf8"));
  }
  // decimal, time: ASCII text
  return typeof v === "string" ? latin1(v) : undefined;
}

function bytesColumn(
  column: ColumnDef,
  rows: readonly (readonly Value[])[],
  c: number,
): ColumnVector | undefined {
  const n = rows.length;
  const kind = column.kind;
  const offsets = new Uint32Array(n + 1);
  let data = new Uint8Array(64 * n + 1024);
  let used = 0;
  for (let r = 0; r < n; r++) {
    offsets[r] = used;
    const v = rows[r]![c] as Value;
    if (v === null) continue;
    const bytes = bytesOf(kind, v);
    if (bytes === undefined) return undefined;
    const length = bytes.length;
    if (used + length > data.length) {
      const grown = new Uint8Array(Math.max(2 * data.length, used + length + 64 * (n - r)));
      grown.set(data.subarray(0, used));
      data = grown;
    }
    if (length < 32) for (let k = 0; k < length; k++) data[used + k] = bytes[k]!;
    else data.set(bytes, used);
    used += length;
  }
  offsets[n] = used;
  // a right-sized copy: the batch may wait in a queue, and the spare room would be moved with it
  const exact = data.length - used > 1 << 16 ? data.slice(0, used) : data;
  return { layout: "bytes", offsets, data: exact, validity: validityFor(rows, c) };
}

/**
 * Back to the row form (text as bytes, as the reader's `textAsBytes` gives it), for consumers
 * without a column path. Dates and datetimes are written back in MySQL's layout, with the
 * column's fractional digits.
 */
export function columnBatchRows(schema: TableSchema, batch: ColumnBatch): Value[][] {
  const rows: Value[][] = Array.from({ length: batch.rows }, () => new Array<Value>(schema.columns.length));
  batch.columns.forEach((vector, c) => {
    const column = schema.columns[c]!;
    const valid = (r: number) =>
      vector.validity === null || (vector.validity[r >> 3]! & (1 << (r & 7))) !== 0;
    for (let r = 0; r < batch.rows; r++) {
      rows[r]![c] = valid(r) ? rowValue(column, vector, r) : null;
    }
  });
  return rows;
}

function rowValue(column: ColumnDef, vector: ColumnVector, r: number): Value {
  if (vector.layout === "bytes") {
    const bytes = vector.data.subarray(vector.offsets[r], vector.offsets[r + 1]);
    // a copy: the batch's buffers may be used again once the batch is consumed
    if (column.kind === "text" || column.kind === "binary") return bytes.slice();
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return buffer.toString(column.kind === "json" ? "utf8" : "latin1");
  }
  const v = vector.values[r] as number | bigint;
  if (column.kind === "date") return formatDays(v as number);
  if (column.kind === "datetime") return formatMicros(v as bigint, column.fsp ?? 0);
  return v;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** 'YYYY-MM-DD' of days since 1970-01-01 (H. Hinnant's civil_from_days). */
export function formatDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 'YYYY-MM-DD HH:MM:SS[.f…]' (`fsp` fractional digits) of microseconds since the epoch. */
export function formatMicros(micros: bigint, fsp: number): string {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const us = Number(rest);
  const seconds = Math.floor(us / 1e6);
  const hms = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  const digits = pad(us % 1e6, 6);
  const keep = Math.max(fsp, digits.replace(/0+$/, "").length);
  const fraction = keep > 0 ? `.${digits.slice(0, keep)}` : "";
  return `${formatDays(Number(days))} ${hms}${fraction}`;
}
