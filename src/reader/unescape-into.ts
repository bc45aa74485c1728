import { BACKSLASH, ESCAPED, nextBackslash, type QuotedScan } from "./scan-quoted.js";

/**
 * Writes the content `buf[a..b)` of a quoted literal (delimited by `quote`) into `out` from 0
 * with escapes resolved, and returns the length written (never more than b - a). MySQL rules:
 * `\0 \b \n \r \t \Z` are control bytes, `\%` and `\_` keep their backslash (they only mean
 * something in LIKE patterns), any other `\x` is `x`, and a doubled quote is one quote. The
 * scanner guarantees the range holds no unpaired quote and does not end inside an escape.
 * `scan` lends its cache of the next backslash.
 */
export function unescapeInto(
  buf: Buffer,
  a: number,
  b: number,
  quote: number,
  out: Buffer,
  scan: QuotedScan,
): number {
  let w = 0;
  let i = a;
  // next backslash and next quote at or after i, each looked up again only once passed
  let bs = nextBackslash(buf, i, scan);
  if (bs === -1 || bs > b) bs = b;
  let dq = buf.indexOf(quote, i);
  if (dq === -1 || dq > b) dq = b;
  while (i < b) {
    const next = bs < dq ? bs : dq;
    const run = next - i;
    if (run > 64) {
      // a long run: one native copy
      buf.copy(out, w, i, next);
      w += run;
    } else {
      for (let k = i; k < next; k++) out[w++] = buf[k]!;
    }
    i = next;
    if (i >= b) break;
    if (i === dq) {
      out[w++] = quote; // first of a doubled pair
      i += 2;
    } else {
      const e = buf[i + 1]!;
      if (e === 0x25 || e === 0x5f) out[w++] = BACKSLASH; // \% and \_ stay as written
      out[w++] = ESCAPED[e]!;
      i += 2;
    }
    if (bs < i) {
      // the next escape is often close: look a few bytes ahead before asking memchr
      const limit = Math.min(b, i + 16);
      let k = i;
      while (k < limit && buf[k] !== BACKSLASH) k++;
      bs = k < limit ? k : nextBackslash(buf, limit, scan);
      if (bs === -1 || bs > b) bs = b;
    }
    if (dq < i) {
      dq = buf.indexOf(quote, i);
      if (dq === -1 || dq > b) dq = b;
    }
  }
  return w;
}
