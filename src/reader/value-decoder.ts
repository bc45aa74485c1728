import type { ByteArena } from "./byte-arena.js";
import { byteSlices } from "./byte-slices.js";
import { decodeUtf8 } from "./decode-utf8.js";
import type { ColumnDef, Value } from "./types.js";
import { ValueFault } from "./value-fault.js";
import { TOK_BITS, TOK_HEX, TOK_NUMBER, TOK_STRING, type ValueToken } from "./value-token.js";

/**
 * Turns one literal of an INSERT tuple into the typed value of its column. `buf[a..b)` is the
 * literal's bytes: a string's content with escapes resolved, a number as written, hex or binary
 * digits. The buffer is reused afterwards: decoders copy what they keep. NULL never reaches a
 * decoder. Throws ValueFault when the literal does not fit the column.
 */
export type ValueDecoder = (tok: ValueToken, buf: Buffer, a: number, b: number) => Value;

const { latin1 } = byteSlices;
const D0 = 0x30;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

/**
 * Decoder for one column; `countZeroDate` is called for each zero date loaded as NULL. With an
 * `arena` (the reader's `textAsBytes`), text and binary values are copied into it and text is
 * left as its UTF-8 bytes (not checked: see ReadDumpOptions.textAsBytes); JSON stays a string.
 */
export function valueDecoder(column: ColumnDef, countZeroDate: () => void, arena?: ByteArena): ValueDecoder {
  switch (column.kind) {
    case "int8":
      return smallInt(-128, 127);
    case "uint8":
      return smallInt(0, 255);
    case "int16":
      return smallInt(-32768, 32767);
    case "uint16":
      return smallInt(0, 65535);
    case "int32":
      return smallInt(-2147483648, 2147483647);
    case "uint32":
      return smallInt(0, 4294967295);
    case "int64":
      return bigInt(-(2n ** 63n), 2n ** 63n - 1n);
    case "uint64":
      return bigInt(0n, 2n ** 64n - 1n);
    case "decimal":
      return decimal;
    case "float32":
    case "float64":
      return float;
    case "date":
      return temporal(10, 10, countZeroDate, "a date 'YYYY-MM-DD'");
    case "datetime":
      return temporal(19, 26, countZeroDate, "a datetime 'YYYY-MM-DD HH:MM:SS[.ffffff]'");
    case "time":
      return time;
    case "text":
      return arena ? textBytes(arena) : text;
    case "json":
      return text;
    case "binary":
      return arena ? binaryInArena(arena) : binary;
    case "bit":
      return bit;
  }
}

function show(buf: Buffer, a: number, b: number): string {
  const s = buf.toString("utf8", a, Math.min(b, a + 40));
  return JSON.stringify(b - a > 40 ? `${s}...` : s);
}

function tokenName(tok: ValueToken): string {
  return tok === TOK_HEX ? "a hex literal" : tok === TOK_BITS ? "a bit literal" : "a string";
}

/** Integer value of a hex or bit literal. */
function literalBigInt(tok: ValueToken, buf: Buffer, a: number, b: number): bigint {
  if (a === b) return 0n;
  return BigInt((tok === TOK_HEX ? "0x" : "0b") + latin1(buf, a, b));
}

/** Plain decimal integer `[+-]digits` as a number, NaN when not one (exact up to 2^53). */
function parseInteger(buf: Buffer, a: number, b: number): number {
  let i = a;
  let negative = false;
  const s = buf[i];
  if (s === 0x2d || s === 0x2b) {
    negative = s === 0x2d;
    i++;
  }
  if (i >= b) return NaN;
  let n = 0;
  for (; i < b; i++) {
    const d = buf[i]! - D0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

function smallInt(min: number, max: number): ValueDecoder {
  return (tok, buf, a, b) => {
    let n: number;
    if (tok === TOK_NUMBER || tok === TOK_STRING) {
      n = parseInteger(buf, a, b);
      if (n !== n) throw new ValueFault(`not an integer: ${show(buf, a, b)}`);
    } else {
      n = Number(literalBigInt(tok, buf, a, b));
    }
    if (n < min || n > max) throw new ValueFault(`${n} is out of range ${min}..${max}`);
    return n;
  };
}

function bigInt(min: bigint, max: bigint): ValueDecoder {
  return (tok, buf, a, b) => {
    let v: bigint;
    if (tok === TOK_NUMBER || tok === TOK_STRING) {
      if (b - a <= 15) {
        const n = parseInteger(buf, a, b);
        if (n !== n) throw new ValueFault(`not an integer: ${show(buf, a, b)}`);
        v = BigInt(n);
      } else {
        if (Number.isNaN(parseInteger(buf, a, b))) throw new ValueFault(`not an integer: ${show(buf, a, b)}`);
        v = BigInt(latin1(buf, a, b));
      }
    } else {
      v = literalBigInt(tok, buf, a, b);
    }
    if (v < min || v > max) throw new ValueFault(`${v} is out of range ${min}..${max}`);
    return v;
  };
}

/** `[+-]digits[.digits]`, kept exactly as written. */
const decimal: ValueDecoder = (tok, buf, a, b) => {
  if (tok !== TOK_NUMBER && tok !== TOK_STRING) throw new ValueFault(`${tokenName(tok)} is not a decimal`);
  let i = a;
  if (buf[i] === 0x2d || buf[i] === 0x2b) i++;
  let digits = 0;
  for (; i < b && isDigit(buf[i]); i++) digits++;
  if (i < b && buf[i] === 0x2e) {
    for (i++; i < b && isDigit(buf[i]); i++) digits++;
  }
  if (i !== b || digits === 0) throw new ValueFault(`not a decimal number: ${show(buf, a, b)}`);
  return latin1(buf, a, b);
};

const NUMERIC = new Uint8Array(256);
for (const c of "0123456789+-.eE") NUMERIC[c.charCodeAt(0)] = 1;

const float: ValueDecoder = (tok, buf, a, b) => {
  if (tok !== TOK_NUMBER && tok !== TOK_STRING) throw new ValueFault(`${tokenName(tok)} is not a number`);
  for (let i = a; i < b; i++) {
    if (!NUMERIC[buf[i]!]) throw new ValueFault(`not a number: ${show(buf, a, b)}`);
  }
  const v = a === b ? NaN : Number(latin1(buf, a, b));
  if (v !== v) throw new ValueFault(`not a number: ${show(buf, a, b)}`);
  return v;
};

/** Checks `YYYY-MM-DD` at `a`; returns whether month or day is zero (a zero date), throws when malformed. */
function zeroDatePart(buf: Buffer, a: number, what: string, b: number): boolean {
  for (let i = 0; i < 10; i++) {
    const c = buf[a + i];
    if (i === 4 || i === 7 ? c !== 0x2d : !isDigit(c))
      throw new ValueFault(`not ${what}: ${show(buf, a, b)}`);
  }
  const month = (buf[a + 5]! - D0) * 10 + buf[a + 6]! - D0;
  const day = (buf[a + 8]! - D0) * 10 + buf[a + 9]! - D0;
  if (month > 12 || day > 31) throw new ValueFault(`not ${what}: ${show(buf, a, b)}`);
  return month === 0 || day === 0;
}

/** DATE (`minLen` = `maxLen` = 10) or DATETIME/TIMESTAMP (19..26: time and optional fraction). */
function temporal(minLen: number, maxLen: number, countZeroDate: () => void, what: string): ValueDecoder {
  return (tok, buf, a, b) => {
    if (tok !== TOK_STRING && tok !== TOK_NUMBER) throw new ValueFault(`${tokenName(tok)} is not ${what}`);
    const n = b - a;
    if (n < minLen || n > maxLen || n === 20) throw new ValueFault(`not ${what}: ${show(buf, a, b)}`);
    const zero = zeroDatePart(buf, a, what, b);
    if (n > 10) {
      // ' HH:MM:SS' then '.f' to '.ffffff'
      for (let i = 10; i < n; i++) {
        const c = buf[a + i];
        const ok =
          i === 10
            ? c === 0x20 || c === 0x54
            : i === 13 || i === 16
              ? c === 0x3a
              : i === 19
                ? c === 0x2e
                : isDigit(c);
        if (!ok) throw new ValueFault(`not ${what}: ${show(buf, a, b)}`);
      }
    }
    if (zero) {
      countZeroDate();
      return null;
    }
    return latin1(buf, a, b);
  };
}

/** `[-]H+:MM:SS[.ffffff]` (negative and over 24 hours allowed, up to 838:59:59). */
const time: ValueDecoder = (tok, buf, a, b) => {
  if (tok !== TOK_STRING && tok !== TOK_NUMBER) throw new ValueFault(`${tokenName(tok)} is not a time`);
  let i = a;
  if (buf[i] === 0x2d) i++;
  const h = i;
  while (i < b && isDigit(buf[i])) i++;
  const hours = i - h;
  let ok =
    hours >= 1 &&
    hours <= 3 &&
    b - i >= 6 &&
    buf[i] === 0x3a &&
    isDigit(buf[i + 1]) &&
    isDigit(buf[i + 2]) &&
    buf[i + 3] === 0x3a &&
    isDigit(buf[i + 4]) &&
    isDigit(buf[i + 5]);
  i += 6;
  if (ok && i < b) {
    ok = buf[i] === 0x2e && b - i >= 2 && b - i <= 7;
    for (let k = i + 1; ok && k < b; k++) ok = isDigit(buf[k]);
  }
  if (!ok) throw new ValueFault(`not a time '[-]HHH:MM:SS[.ffffff]': ${show(buf, a, b)}`);
  return latin1(buf, a, b);
};

/** Bytes of a hex literal (an odd digit count gets a leading 0, as in MySQL). */
function hexBytes(buf: Buffer, a: number, b: number): Uint8Array {
  for (let i = a; i < b; i++) {
    if (HEX[buf[i]!]! < 0) throw new ValueFault(`bad hex digit in ${show(buf, a, b)}`);
  }
  const odd = (b - a) & 1;
  const out = new Uint8Array((b - a + odd) >> 1);
  const digits = (odd ? "0" : "") + latin1(buf, a, b);
  Buffer.from(out.buffer, out.byteOffset, out.length).write(digits, "hex");
  return out;
}

/** Bytes of a bit literal, big-endian, as few as hold the digits. */
function bitBytes(buf: Buffer, a: number, b: number): Uint8Array {
  let v = literalBigInt(TOK_BITS, buf, a, b);
  const out = new Uint8Array(Math.ceil((b - a) / 8));
  for (let i = out.length - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 255n);
  return out;
}

const text: ValueDecoder = (tok, buf, a, b) => {
  if (tok === TOK_STRING || tok === TOK_NUMBER) return decodeUtf8(buf, a, b);
  const bytes = tok === TOK_HEX ? hexBytes(buf, a, b) : bitBytes(buf, a, b);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
};

/** Text as its bytes: what `text` would decode, before decoding. */
function textBytes(arena: ByteArena): ValueDecoder {
  return (tok, buf, a, b) => {
    if (tok === TOK_STRING || tok === TOK_NUMBER) return arena.copy(buf, a, b);
    return tok === TOK_HEX ? hexBytes(buf, a, b) : bitBytes(buf, a, b);
  };
}

function binaryInArena(arena: ByteArena): ValueDecoder {
  return (tok, buf, a, b) => {
    if (tok === TOK_STRING || tok === TOK_NUMBER) return arena.copy(buf, a, b);
    return tok === TOK_HEX ? hexBytes(buf, a, b) : bitBytes(buf, a, b);
  };
}

const binary: ValueDecoder = (tok, buf, a, b) => {
  if (tok === TOK_STRING || tok === TOK_NUMBER) return new Uint8Array(buf.subarray(a, b));
  return tok === TOK_HEX ? hexBytes(buf, a, b) : bitBytes(buf, a, b);
};

/** BIT(n): b'0101', 0x05, a raw big-endian byte string (MariaDB's default), or a number. */
const bit: ValueDecoder = (tok, buf, a, b) => {
  if (tok === TOK_HEX || tok === TOK_BITS) {
    for (let i = a; i < b; i++) {
      const c = buf[i]!;
      if (tok === TOK_HEX ? HEX[c]! < 0 : c !== 0x30 && c !== 0x31) {
        throw new ValueFault(`bad digit in bit value ${show(buf, a, b)}`);
      }
    }
    return literalBigInt(tok, buf, a, b);
  }
  if (tok === TOK_NUMBER) {
    const n = parseInteger(buf, a, b);
    if (n !== n || n < 0) throw new ValueFault(`not a bit value: ${show(buf, a, b)}`);
    return BigInt(latin1(buf, a, b));
  }
  if (b - a > 8) throw new ValueFault(`bit value longer than 8 bytes`);
  let v = 0n;
  for (let i = a; i < b; i++) v = (v << 8n) | BigInt(buf[i]!);
  return v;
};
