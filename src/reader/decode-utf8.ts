import { byteSlices } from "./byte-slices.js";

const { utf8 } = byteSlices;

let units = new Uint16Array(8192);
let unitBytes = Buffer.from(units.buffer);

interface Ucs2Slice {
  ucs2Slice?(start: number, end: number): string;
}
const hasUcs2Slice = typeof (Buffer.prototype as unknown as Ucs2Slice).ucs2Slice === "function";
/** The UTF-16 units are written in native byte order and read back as little-endian. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ucs2 = hasUcs2Slice
  ? (b: Buffer, end: number) => (b as unknown as Required<Ucs2Slice>).ucs2Slice(0, end)
  : (b: Buffer, end: number) => b.toString("utf16le", 0, end);

/**
 * UTF-8 text of `buf[a..b)`, the same string `buf.toString("utf8", a, b)` gives. V8's decoder
 * is very fast on ASCII but slow on Japanese (about 4 ns a byte); well-formed non-ASCII text is
 * transcoded here to UTF-16 in one JS pass, about twice as fast. Anything that is not strictly
 * well-formed (overlong forms, surrogates, truncated sequences) goes to V8's decoder, which
 * applies the WHATWG replacement rules.
 */
export function decodeUtf8(buf: Buffer, a: number, b: number): string {
  // ASCII-looking strings and short strings: V8
  if (b - a < 24 || !littleEndian) return utf8(buf, a, b);
  const probeEnd = a + 32 < b ? a + 32 : b;
  let i = a;
  while (i < probeEnd && buf[i]! < 0x80) i++;
  if (i === probeEnd) return utf8(buf, a, b);

  if (units.length < b - a) {
    units = new Uint16Array(Math.max(b - a, 2 * units.length));
    unitBytes = Buffer.from(units.buffer);
  }
  const out = units;
  let w = 0;
  for (let k = a; k < i; k++) out[w++] = buf[k]!;
  while (i < b) {
    const c = buf[i]!;
    if (c < 0x80) {
      out[w++] = c;
      i++;
    } else if (c < 0xe0) {
      // 2 bytes: C2..DF 80..BF
      const c1 = buf[i + 1]!;
      if (c < 0xc2 || i + 1 >= b || (c1 & 0xc0) !== 0x80) return utf8(buf, a, b);
      out[w++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      // 3 bytes, not overlong, not a surrogate
      const c1 = buf[i + 1]!;
      const c2 = buf[i + 2]!;
      if (i + 2 >= b || (c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return utf8(buf, a, b);
      const cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return utf8(buf, a, b);
      out[w++] = cp;
      i += 3;
    } else {
      // 4 bytes: U+10000..U+10FFFF as a surrogate pair
      const c1 = buf[i + 1]!;
      const c2 = buf[i + 2]!;
      const c3 = buf[i + 3]!;
      if (c > 0xf4 || i + 3 >= b || (c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) {
        return utf8(buf, a, b);
      }
      const cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return utf8(buf, a, b);
      const v = cp - 0x10000;
      out[w++] = 0xd800 | (v >> 10);
      out[w++] = 0xdc00 | (v & 0x3ff);
      i += 4;
    }
  }
  return ucs2(unitBytes, w * 2);
}
