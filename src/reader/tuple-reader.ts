import { copyQuoted } from "./copy-quoted.js";
import { newQuotedScan, nextBackslash, type QuotedScan } from "./scan-quoted.js";
import type { SqlLexer } from "./sql-lexer.js";
import type { TableState } from "./table-state.js";
import type { Value } from "./types.js";
import { TOK_BITS, TOK_HEX, TOK_NULL, TOK_NUMBER, TOK_STRING, type ValueToken } from "./value-token.js";

const BEFORE_TUPLE = 0;
const VALUE = 1;
const AFTER_VALUE = 2;
const AFTER_TUPLE = 3;
/** Inside a quoted string being copied (escaped, or longer than the window) into the scratch buffer. */
const IN_STRING = 4;

/** Bytes of unquoted numbers: digits, sign, point, exponent. */
const NUMBER_BYTE = new Uint8Array(256);
for (const c of "0123456789+-.eE") NUMBER_BYTE[c.charCodeAt(0)] = 1;
const HEX_BYTE = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX_BYTE[c.charCodeAt(0)] = 1;
/** Bytes of a character-set introducer's name (`_utf8mb4`, `_binary`). */
const NAME_BYTE = new Uint8Array(256);
for (const c of "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
  NAME_BYTE[c.charCodeAt(0)] = 1;

/** Problem found by the tuple reader, with the SQL text offset; the dump parser adds file and table. */
export class TupleFault extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
    /** Index of the column whose value did not decode, when that is the problem. */
    readonly column?: number,
  ) {
    super(message);
  }
}

const SCRATCH_SIZE = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** Human description of the byte found where something else was expected. */
export function describeByte(c: number | undefined): string {
  if (c === undefined) return "the end of the input";
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/**
 * Reads the tuples of one INSERT/REPLACE statement, `(v, ...), (v, ...) ;`, byte by byte on
 * the parser's window, decoding each value by its column as soon as it is complete, and hands
 * finished rows to `onRow`. Stops when the window ends (state kept; a long string or hex
 * literal resumes where its scan stopped instead of being rescanned) or at the delimiter.
 */
export class TupleReader {
  /** Position in the window after the last call (the first byte still needed). */
  pos = 0;
  /** `onRow` does not keep the row: the next tuple may be read into the same array. */
  reuseRows = false;

  private table!: TableState;
  private columnMap: number[] | undefined;
  private valueCount = 0;
  private state = BEFORE_TUPLE;
  private row: Value[] = [];
  private k = 0;
  private tupleStart = 0;
  /** Resumable scan of a long hex or bit literal: digits start (absolute), resume offset (absolute). */
  private resumeFor = -1;
  private resumeAt = 0;
  private resumeWhat = "hex literal";
  /** IN_STRING: the quote byte, the string's value start (absolute), content bytes in `scratch`. */
  private quote = 0;
  private stringStart = 0;
  private written = 0;
  private readonly scan: QuotedScan = newQuotedScan();
  private scratch = Buffer.allocUnsafe(SCRATCH_SIZE);

  /** The window was replaced: cached positions in the old one mean nothing now. */
  forgetWindow(): void {
    this.scan.bsBuf = undefined;
  }

  constructor(
    private readonly lexer: SqlLexer,
    /** Called with each complete row (schema column order) and the offset of its tuple. */
    private readonly onRow: (row: Value[], tupleOffset: number) => void,
  ) {}

  /** Starts a statement: `columnMap[k]` is the schema position of the k-th value, if the INSERT lists columns. */
  begin(table: TableState, columnMap: number[] | undefined): void {
    this.table = table;
    this.columnMap = columnMap;
    this.valueCount = columnMap ? columnMap.length : table.schema.columns.length;
    this.state = BEFORE_TUPLE;
    this.resumeFor = -1;
    if (this.scratch.length > 64 * SCRATCH_SIZE) this.scratch = Buffer.allocUnsafe(SCRATCH_SIZE); // after a huge value
  }

  /** Where the statement stands, for an error at the end of the input. */
  describeState(): string {
    return this.state === BEFORE_TUPLE || this.state === AFTER_TUPLE
      ? "between tuples"
      : `inside the tuple that starts at byte ${this.tupleStart}`;
  }

  /**
   * Reads from `pos`. Returns true at the end of the statement (`this.pos` just after the
   * delimiter), false when the window ends first (`this.pos` = first byte to keep). At the end
   * of the input (`final`) a statement that is not finished throws. Throws TupleFault.
   */
  read(buf: Buffer, base: number, from: number, final: boolean): boolean {
    const len = buf.length;
    const decoders = this.table.decoders;
    const columnMap = this.columnMap;
    const valueCount = this.valueCount;
    const columnCount = this.table.schema.columns.length;
    const scan = this.scan;
    let p = from;
    let state = this.state;
    let row = this.row;
    let k = this.k;
    let c = 0;

    for (;;) {
      if (state !== IN_STRING) {
        while (p < len) {
          c = buf[p]!;
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
          else break;
        }
        if (p >= len) return this.pause(p, state, row, k, base, final);
      }

      if (state === VALUE || state === IN_STRING) {
        let start = p;
        let tok: ValueToken = TOK_NULL;
        let src = buf;
        let a = 0;
        let b = 0;
        if (state === IN_STRING) {
          // continue copying a string begun in an earlier window
          if (this.scratch.length < this.written + (len - p)) this.growScratch(this.written + (len - p));
          const q = copyQuoted(buf, p, this.quote, this.scratch, this.written, scan);
          this.written = scan.written;
          if (q < 0) return this.pause(scan.resume, state, row, k, base, final, buf);
          tok = TOK_STRING;
          src = this.scratch;
          b = this.written;
          p = q + 1;
          start = this.stringStart - base;
        } else if (c === 0x5f) {
          // _utf8mb4 / _binary introducer: the literal that follows carries the value
          let q = p + 1;
          while (q < len && NAME_BYTE[buf[q]!]) q++;
          while (q < len && (buf[q] === 0x20 || buf[q] === 0x0a || buf[q] === 0x09 || buf[q] === 0x0d)) q++;
          if (q >= len) return this.pause(start, state, row, k, base, final);
          p = q;
          c = buf[p]!;
        }
        if (state === IN_STRING) {
          // done above
        } else if (c === 0x27 || c === 0x22) {
          // short strings (dates, codes, names) are scanned here; long ones with memchr
          let q = p + 1;
          const limit = len < p + 49 ? len : p + 49;
          while (q < limit) {
            const x = buf[q]!;
            if (x === c || x === 0x5c) break;
            q++;
          }
          let plain: boolean;
          if (q < limit) {
            plain = buf[q] === c && q + 1 < len && buf[q + 1] !== c;
          } else {
            q = buf.indexOf(c, q);
            const bs = nextBackslash(buf, p + 1, scan);
            plain = q !== -1 && (bs === -1 || bs > q) && q + 1 < len && buf[q + 1] !== c;
          }
          if (plain) {
            // no escape: decode in place
            tok = TOK_STRING;
            a = p + 1;
            b = q;
            p = q + 1;
          } else {
            // escapes, a doubled quote, or the window ends first: unescape while scanning
            this.written = 0;
            if (this.scratch.length < len - p) this.growScratch(len - p);
            const end = copyQuoted(buf, p + 1, c, this.scratch, 0, scan);
            this.written = scan.written;
            if (end < 0) {
              this.quote = c;
              this.stringStart = base + start;
              return this.pause(scan.resume, IN_STRING, row, k, base, final, buf);
            }
            tok = TOK_STRING;
            src = this.scratch;
            b = this.written;
            p = end + 1;
          }
        } else if (c === 0x4e || c === 0x6e) {
          if (p + 4 >= len && !final) return this.pause(start, state, row, k, base, final);
          if (
            (buf[p + 1]! | 0x20) !== 0x75 ||
            (buf[p + 2]! | 0x20) !== 0x6c ||
            (buf[p + 3]! | 0x20) !== 0x6c ||
            NAME_BYTE[buf[p + 4]!]
          ) {
            throw new TupleFault(`expected a value, found ${describeByte(c)}`, base + p);
          }
          tok = TOK_NULL;
          p += 4;
        } else if (c === 0x30 && p + 1 >= len && !final) {
          return this.pause(start, state, row, k, base, final); // 0, 0x.. or 0b..: the next byte tells
        } else if (c === 0x30 && (buf[p + 1]! | 0x20) === 0x78) {
          // 0xABCD (--hex-blob): may be long, resumable
          const digitsAbs = base + p + 2;
          let q = this.resumeFor === digitsAbs ? this.resumeAt - base : p + 2;
          while (q < len && HEX_BYTE[buf[q]!]) q++;
          if (q >= len && !final) {
            this.resumeFor = digitsAbs;
            this.resumeAt = base + q;
            this.resumeWhat = "hex literal";
            return this.pause(start, state, row, k, base, final);
          }
          this.resumeFor = -1;
          tok = TOK_HEX;
          a = p + 2;
          b = q;
          p = q;
        } else if (c === 0x30 && (buf[p + 1]! | 0x20) === 0x62) {
          let q = p + 2;
          while (q < len && (buf[q] === 0x30 || buf[q] === 0x31)) q++;
          if (q >= len && !final) return this.pause(start, state, row, k, base, final);
          tok = TOK_BITS;
          a = p + 2;
          b = q;
          p = q;
        } else if (NUMBER_BYTE[c]) {
          let q = p + 1;
          while (q < len && NUMBER_BYTE[buf[q]!]) q++;
          if (q >= len && !final) return this.pause(start, state, row, k, base, final);
          tok = TOK_NUMBER;
          a = p;
          b = q;
          p = q;
        } else if ((c | 0x20) === 0x78 || (c | 0x20) === 0x62) {
          // X'ABCD' or b'0101'
          if (p + 1 >= len) return this.pause(start, state, row, k, base, final);
          if (buf[p + 1] !== 0x27)
            throw new TupleFault(`expected a value, found ${describeByte(c)}`, base + p);
          const digitsAbs = base + p + 2;
          const q = buf.indexOf(0x27, this.resumeFor === digitsAbs ? this.resumeAt - base : p + 2);
          if (q < 0) {
            this.resumeFor = digitsAbs;
            this.resumeAt = base + len;
            this.resumeWhat = (c | 0x20) === 0x78 ? "hex literal" : "bit literal";
            return this.pause(start, state, row, k, base, final);
          }
          this.resumeFor = -1;
          tok = (c | 0x20) === 0x78 ? TOK_HEX : TOK_BITS;
          a = p + 2;
          b = q;
          p = q + 1;
        } else {
          throw new TupleFault(`expected a value, found ${describeByte(c)}`, base + p);
        }

        if (k >= valueCount) {
          throw new TupleFault(`tuple has more than the ${valueCount} values expected`, this.tupleStart);
        }
        const col = columnMap === undefined ? k : columnMap[k]!;
        if (tok === TOK_NULL) row[col] = null;
        else {
          try {
            row[col] = decoders[col]!(tok, src, a, b);
          } catch (e) {
            throw new TupleFault((e as Error).message, base + start, col);
          }
        }
        k++;
        state = AFTER_VALUE;
        continue;
      }

      if (state === AFTER_VALUE) {
        if (c === 0x2c) {
          p++;
          state = VALUE;
          continue;
        }
        if (c === 0x29) {
          p++;
          if (k !== valueCount) {
            throw new TupleFault(`tuple has ${k} values, expected ${valueCount}`, this.tupleStart);
          }
          this.table.stats.rows++;
          this.onRow(row, this.tupleStart);
          state = AFTER_TUPLE;
          continue;
        }
        throw new TupleFault(`expected ',' or ')' after a value, found ${describeByte(c)}`, base + p);
      }

      if (state === AFTER_TUPLE) {
        if (c === 0x2c) {
          p++;
          state = BEFORE_TUPLE;
          continue;
        }
        const d = this.lexer.delimiterAt(buf, p, final);
        if (d > 0) {
          this.pos = p + d;
          this.state = BEFORE_TUPLE;
          return true;
        }
        if (d < 0) return this.pause(p, state, row, k, base, final);
        if (c === 0x2a && this.lexer.openVersions.length > 0) {
          // "*/" closing the executable comment around the INSERT
          if (p + 1 >= len) return this.pause(p, state, row, k, base, final);
          if (buf[p + 1] === 0x2f) {
            this.lexer.openVersions.pop();
            p += 2;
            continue;
          }
        }
        throw new TupleFault(`expected ',' or ';' after a tuple, found ${describeByte(c)}`, base + p);
      }

      // BEFORE_TUPLE
      if (c === 0x28) {
        this.tupleStart = base + p;
        p++;
        // a consumer that copies each row at once (columnar mode) gets the same array again
        if (!this.reuseRows || row.length !== columnCount) row = new Array<Value>(columnCount);
        if (columnMap !== undefined) row.fill(null);
        k = 0;
        state = VALUE;
        continue;
      }
      throw new TupleFault(`expected '(' to start a tuple, found ${describeByte(c)}`, base + p);
    }
  }

  private growScratch(size: number): void {
    const grown = Buffer.allocUnsafe(Math.max(size, 2 * this.scratch.length));
    this.scratch.copy(grown, 0, 0, this.written);
    this.scratch = grown;
  }

  /** Keeps the state when the window ends at `at` (the first byte still needed); at the end of the input, throws. */
  private pause(
    at: number,
    state: number,
    row: Value[],
    k: number,
    base: number,
    final: boolean,
    buf?: Buffer,
  ): false {
    this.pos = at;
    this.state = state;
    this.row = row;
    this.k = k;
    if (final) throw this.endOfInput(buf ?? EMPTY, base, at);
    return false;
  }

  /** The error for input that ends at `at` (a window position) before the statement does. */
  private endOfInput(buf: Buffer, base: number, at: number): TupleFault {
    if (this.state === IN_STRING) {
      if (at < buf.length && buf[at] === 0x5c) {
        return new TupleFault(
          `input ends inside an escape sequence (a trailing backslash) of the string that starts at byte ${this.stringStart}`,
          base + at,
        );
      }
      return new TupleFault(`unterminated string starting at byte ${this.stringStart}`, this.stringStart);
    }
    if (this.resumeFor >= 0 && this.state === VALUE) {
      return new TupleFault(`unterminated ${this.resumeWhat} starting at byte ${base + at}`, base + at);
    }
    return new TupleFault(
      `input ends inside an INSERT statement, ${this.describeState()} (truncated dump?)`,
      base + at,
    );
  }
}
