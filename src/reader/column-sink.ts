/**
 * Where the tuple reader's values go in the reader's columnar mode: straight into the typed
 * arrays and byte buffers of a ColumnBatch (column-batch.ts), decoded from the dump's bytes, so
 * that no row array of JS values, no string per date and no copy per text value is made on the
 * way. Each column's writer is used as the row decoder would be: it writes the value of the row
 * being read and returns a placeholder (never null), or null for a value that loads as NULL (a
 * zero date); the parser calls `endRow(row)` with the placeholders, which marks the NULLs.
 *
 * Values are checked as in row mode, plus what the warehouse would have refused in row mode:
 * a date the calendar does not have (2026-02-30), a time of day past 23:59:59, JSON that does
 * not parse. Text is kept as its bytes; a batch whose text is not well-formed UTF-8 has the
 * offending values replaced as Buffer decoding does (U+FFFD), as row mode's consumers do.
 */
import { isUtf8 } from "node:buffer";
import type { BufferPool } from "./buffer-pool.js";
import { daysFromCivil } from "./epoch-time.js";
import {
  fixedArrayOf,
  validityBytes,
  type ColumnBatch,
  type ColumnVector,
  type FixedValues,
} from "./column-batch.js";
import type { ColumnDef, TableSchema, Value } from "./types.js";
import type { ValueDecoder } from "./value-decoder.js";
import { ValueFault } from "./value-fault.js";
import { TOK_NUMBER, TOK_STRING } from "./value-token.js";

/** What a column writer returns for a value it stored (row arrays only tell NULL from not NULL). */
const STORED = 0;
const D0 = 0x30;

interface BytesColumn {
  offsets: Uint32Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
  used: number;
}

export class ColumnSink {
  /** Rows of the batch being filled (the next row's index). */
  rows = 0;
  readonly writers: ValueDecoder[];
  private readonly kinds: ColumnDef["kind"][];
  private fixed: (FixedValues | null)[] = [];
  /** Datetime columns: their int64 array as 32-bit words (no BigInt per value). */
  private words: (Int32Array | null)[] = [];
  private bytes: (BytesColumn | null)[] = [];
  private validity: (Uint8Array<ArrayBuffer> | null)[] = [];

  constructor(
    schema: TableSchema,
    /** The row decoders, for the checks and the rare values handled as in row mode. */
    private readonly rowDecoders: ValueDecoder[],
    private readonly capacity: number,
    /** Where the batch buffers come from (fresh ones when absent). */
    private readonly pool?: BufferPool,
  ) {
    this.kinds = schema.columns.map((c) => c.kind);
    this.allocate();
    this.writers = schema.columns.map((column, c) => this.writer(column, c));
  }

  /** Bytes of text and binary values in the batch so far (for batch size limits). */
  get byteCount(): number {
    let n = 0;
    for (const column of this.bytes) if (column) n += column.used;
    return n;
  }

  /** The row just read is complete: its NULLs (null in `row`) are marked. */
  endRow(row: readonly Value[]): void {
    const r = this.rows;
    for (let c = 0; c < row.length; c++) {
      if (row[c] !== null) continue;
      let validity = this.validity[c];
      if (!validity) validity = this.validity[c] = this.bytesArray(validityBytes(this.capacity)).fill(0xff);
      validity[r >> 3]! &= ~(1 << (r & 7));
      const column = this.bytes[c];
      if (column) column.offsets[r + 1] = column.used;
    }
    this.rows = r + 1;
  }

  /** Ends the batch and returns it; the sink starts an empty one. */
  take(): ColumnBatch {
    const rows = this.rows;
    const columns: ColumnVector[] = this.kinds.map((kind, c) => {
      const validity = this.validity[c] ?? null;
      const fixed = this.fixed[c];
      if (fixed) return { layout: "fixed", values: fixed.subarray(0, rows) as FixedValues, validity };
      const column = this.bytes[c]!;
      let { offsets, data } = column;
      if (kind === "text" && !wellFormedValues(offsets, data, rows))
        [offsets, data] = replaceInvalid(offsets, data, rows);
      return {
        layout: "bytes",
        offsets: offsets.subarray(0, rows + 1),
        data: data.subarray(0, offsets[rows]),
        validity,
      };
    });
    this.rows = 0;
    this.allocate();
    return { rows, columns };
  }

  private buffer(size: number): ArrayBuffer {
    return this.pool ? this.pool.take(size) : new ArrayBuffer(Math.ceil(size / 8) * 8);
  }

  private bytesArray(size: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buffer(size), 0, size);
  }

  private allocate(): void {
    this.fixed = this.kinds.map((kind) => {
      const array = fixedArrayOf(kind);
      if (!array) return null;
      const buffer = this.buffer(this.capacity * array.BYTES_PER_ELEMENT);
      return new (array as unknown as new (b: ArrayBuffer, at: number, n: number) => FixedValues)(
        buffer,
        0,
        this.capacity,
      );
    });
    this.words = this.kinds.map((kind, c) =>
      kind === "datetime" ? new Int32Array(this.fixed[c]!.buffer as ArrayBuffer) : null,
    );
    this.bytes = this.kinds.map((kind, c) => {
      if (fixedArrayOf(kind)) return null;
      // start from what the column held in the last batch
      const last = this.bytes[c]?.used ?? 0;
      const offsets = new Uint32Array(this.buffer(4 * (this.capacity + 1)), 0, this.capacity + 1);
      offsets[0] = 0;
      const data = new Uint8Array(this.buffer(Math.max(last + (last >> 2), 1 << 14)));
      return { offsets, data, used: 0 };
    });
    this.validity = this.kinds.map(() => null);
  }

  private writer(column: ColumnDef, c: number): ValueDecoder {
    const decode = this.rowDecoders[c]!;
    switch (column.kind) {
      case "date":
        return this.dateWriter(c, decode);
      case "datetime":
        return this.datetimeWriter(c, decode);
      case "text":
      case "binary":
        return (tok, buf, a, b) => {
          if (tok === TOK_STRING || tok === TOK_NUMBER) this.putBytes(c, buf, a, b);
          else this.putValue(c, decode(tok, buf, a, b) as Uint8Array | string);
          return STORED;
        };
      case "json":
        return (tok, buf, a, b) => {
          const text = decode(tok, buf, a, b) as string;
          try {
            JSON.parse(text);
          } catch {
            throw new ValueFault(`not valid JSON: ${JSON.stringify(text.slice(0, 40))}`);
          }
          this.putValue(c, text);
          return STORED;
        };
      case "decimal":
      case "time":
        return (tok, buf, a, b) => {
          this.putValue(c, decode(tok, buf, a, b) as string);
          return STORED;
        };
      default:
        // numbers, bigints and bits: the row decoder's value, stored in the typed array
        return (tok, buf, a, b) => {
          (this.fixed[c] as unknown as (number | bigint)[])[this.rows] = decode(tok, buf, a, b) as
            number | bigint;
          return STORED;
        };
    }
  }

  private putBytes(c: number, buf: Uint8Array, a: number, b: number): void {
    const column = this.bytes[c]!;
    const n = b - a;
    if (column.used + n > column.data.length) {
      const grown = new Uint8Array(this.buffer(Math.max(2 * column.data.length, column.used + n)));
      grown.set(column.data.subarray(0, column.used));
      this.pool?.give([column.data.buffer]);
      column.data = grown;
    }
    const data = column.data;
    const at = column.used;
    if (n < 48) for (let k = 0; k < n; k++) data[at + k] = buf[a + k]!;
    else data.set(buf.subarray(a, b), at);
    column.used = at + n;
    column.offsets[this.rows + 1] = column.used;
  }

  private putValue(c: number, value: Uint8Array | string): void {
    const bytes =
      typeof value === "string"
        ? Buffer.from(
            value,
            this.kinds[c] === "json" || this.kinds[c] === "text" || this.kinds[c] === "binary"
              ? "utf8"
              : "latin1",
          )
        : value;
    this.putBytes(c, bytes, 0, bytes.length);
  }

  private dateWriter(c: number, decode: ValueDecoder): ValueDecoder {
    return (tok, buf, a, b) => {
      if ((tok === TOK_STRING || tok === TOK_NUMBER) && b - a === 10) {
        const days = civilDays(buf, a);
        if (days === days) {
          (this.fixed[c] as Int32Array)[this.rows] = days;
          return STORED;
        }
      }
      // malformed (throws), a zero date (null), or a day the calendar does not have
      const value = decode(tok, buf, a, b);
      if (value === null) return null;
      throw new ValueFault(`not a date 'YYYY-MM-DD' (no such day): ${JSON.stringify(value)}`);
    };
  }

  private datetimeWriter(c: number, decode: ValueDecoder): ValueDecoder {
    return (tok, buf, a, b) => {
      if (tok === TOK_STRING || tok === TOK_NUMBER) {
        if (writeMicros(buf, a, b, this.words[c]!, this.rows)) return STORED;
      }
      const value = decode(tok, buf, a, b);
      if (value === null) return null;
      throw new ValueFault(
        `not a datetime 'YYYY-MM-DD HH:MM:SS[.ffffff]' (no such time): ${JSON.stringify(value)}`,
      );
    };
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `count` decimal digits at `a`, or NaN. */
function digitsAt(buf: Uint8Array, a: number, count: number): number {
  let n = 0;
  for (let i = a; i < a + count; i++) {
    const d = buf[i]! - D0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of 'YYYY-MM-DD' at `a`; NaN when malformed, a zero date or no such day. */
export function civilDays(buf: Uint8Array, a: number): number {
  if (buf[a + 4] !== 0x2d || buf[a + 7] !== 0x2d) return NaN;
  const year = digitsAt(buf, a, 4);
  const month = digitsAt(buf, a + 5, 2);
  const day = digitsAt(buf, a + 8, 2);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  return daysFromCivil(year, month, day);
}

const TWO_16 = 65536;
const TWO_32 = 4294967296;
const POWERS = [1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/**
 * Writes 'YYYY-MM-DD HH:MM:SS[.f…]' (or with 'T') at buf[a..b) as int64 microseconds since the
 * epoch into row `row` of an int64 array seen as 32-bit `words`; false when it is not such a datetime.
 */
export function writeMicros(buf: Uint8Array, a: number, b: number, words: Int32Array, row: number): boolean {
  const n = b - a;
  if (n < 19 || n > 26 || n === 20) return false;
  const days = civilDays(buf, a);
  const sep = buf[a + 10];
  if (days !== days || (sep !== 0x20 && sep !== 0x54) || buf[a + 13] !== 0x3a || buf[a + 16] !== 0x3a)
    return false;
  const hour = digitsAt(buf, a + 11, 2);
  const minute = digitsAt(buf, a + 14, 2);
  const second = digitsAt(buf, a + 17, 2);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return false;
  let micros = 0;
  if (n > 19) {
    if (buf[a + 19] !== 0x2e) return false;
    micros = digitsAt(buf, a + 20, n - 20) * POWERS[n - 20]!;
    if (micros !== micros) return false;
  }
  // v = x * 1e6 + micros, with x = days * 86400 + seconds (|x| < 2^38), in exact halves:
  // x = xh * 2^16 + xl;  v = (xh * 1e6) * 2^16 + (xl * 1e6 + micros) = A * 2^16 + B
  const x = days * 86400 + hour * 3600 + minute * 60 + second;
  const xh = Math.floor(x / TWO_16);
  const xl = x - xh * TWO_16;
  const ah0 = xh * 1e6;
  const ah = Math.floor(ah0 / TWO_16);
  const c = (ah0 - ah * TWO_16) * TWO_16 + xl * 1e6 + micros;
  const ch = Math.floor(c / TWO_32);
  words[2 * row] = (c - ch * TWO_32) | 0;
  words[2 * row + 1] = ah + ch;
  return true;
}

/** Every value well-formed: the whole is, and no value starts inside a character. */
function wellFormedValues(offsets: Uint32Array, data: Uint8Array, rows: number): boolean {
  if (!isUtf8(data.subarray(0, offsets[rows]))) return false;
  for (let r = 0; r < rows; r++) {
    const first = data[offsets[r]!];
    if (offsets[r + 1]! > offsets[r]! && first! >= 0x80 && first! < 0xc0) return false;
  }
  return true;
}

/** The values with invalid sequences replaced by U+FFFD, as Buffer decoding does. */
function replaceInvalid(
  offsets: Uint32Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
  rows: number,
): [Uint32Array<ArrayBuffer>, Uint8Array<ArrayBuffer>] {
  const parts: Buffer[] = [];
  const fixed = new Uint32Array(rows + 1);
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const value = Buffer.from(data.buffer, data.byteOffset + offsets[r]!, offsets[r + 1]! - offsets[r]!);
    const part = isUtf8(value) ? value : Buffer.from(value.toString("utf8"), "utf8");
    parts.push(part);
    used += part.length;
    fixed[r + 1] = used;
  }
  const out = new Uint8Array(used);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return [fixed, out];
}
