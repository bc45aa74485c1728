import { BACKSLASH, ESCAPED, nextBackslash, type QuotedScan } from "./scan-quoted.js";

/**
 * Scans and unescapes in one pass the content of a quoted literal from `from` (its start, or
 * where an earlier call stopped), appending it to `out` from `written`. Returns the index of the
 * closing quote, or -1 when `buf` ends first; either way `state.written` is the content length
 * in `out` so far, and after -1 `state.resume` is where to continue (before a trailing backslash
 * or a quote that may be doubled). `out` must have room for `written + (buf.length - from)`.
 * MySQL rules: `\0 \b \n \r \t \Z` are control bytes, `\%` and `\_` keep their backslash, any
 * other `\x` is `x`, a doubled quote is one quote. Long runs between escapes are copied natively.
 */
export function copyQuoted(
  buf: Buffer,
  from: number,
  quote: number,
  out: Buffer,
  written: number,
  state: QuotedScan,
): number {
  const len = buf.length;
  let w = written;
  let i = from;
  let q = buf.indexOf(quote, i);
  if (q === -1) q = len;
  const source = viewOf(buf, 0);
  const target = viewOf(out, 1);
  for (;;) {
    // copy up to the next backslash or the quote: four bytes at a time for a few dozen bytes
    // (escapes in binary data come every few dozen bytes), then with memchr and one native copy
    const limit = q < i + 64 ? q : i + 64;
    while (i + 4 <= limit) {
      const word = source.getUint32(i, true);
      if (hasBackslash(word)) break;
      target.setUint32(w, word, true);
      i += 4;
      w += 4;
    }
    while (i < limit) {
      const c = buf[i]!;
      if (c === BACKSLASH) break;
      out[w++] = c;
      i++;
    }
    if (i === limit && i < q) {
      let bs = nextBackslash(buf, i, state);
      if (bs === -1 || bs > q) bs = q;
      const run = bs - i;
      if (run > 40) {
        buf.copy(out, w, i, bs);
        w += run;
      } else {
        for (let k = i; k < bs; k++) out[w++] = buf[k]!;
      }
      i = bs;
    }
    // here i is at the quote, at a backslash, or at the end of the window
    if (i + 1 >= len) {
      // the end, or a backslash / quote whose meaning depends on the next byte
      state.resume = i;
      state.written = w;
      return -1;
    }
    if (i === q) {
      if (buf[i + 1] !== quote) {
        state.written = w;
        return i;
      }
      out[w++] = quote; // a doubled quote
      i += 2;
    } else {
      const e = buf[i + 1]!;
      if (e === 0x25 || e === 0x5f) out[w++] = BACKSLASH; // \% and \_ stay as written
      out[w++] = ESCAPED[e]!;
      i += 2;
    }
    if (q < i) {
      q = buf.indexOf(quote, i);
      if (q === -1) q = len;
    }
  }
}

/**
 * Whether one of the four bytes of `word` is a backslash: the classic exact "has a zero byte"
 * test (`(x - 0x01010101) & ~x & 0x80808080`) on `word ^ 0x5c5c5c5c`.
 */
function hasBackslash(word: number): boolean {
  const x = word ^ 0x5c5c5c5c;
  return ((x - 0x01010101) & ~x & 0x80808080) !== 0;
}

/** DataViews of the last input and output buffers: making one per call costs more than it saves. */
const views: { buffer: Uint8Array | null; view: DataView }[] = [
  { buffer: null, view: new DataView(new ArrayBuffer(0)) },
  { buffer: null, view: new DataView(new ArrayBuffer(0)) },
];

function viewOf(buffer: Uint8Array, slot: 0 | 1): DataView {
  const cached = views[slot]!;
  if (cached.buffer !== buffer) {
    cached.buffer = buffer;
    cached.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  return cached.view;
}
