const BACKSLASH = 0x5c;

/** Scan progress of a quoted literal, kept across calls when the literal straddles input chunks. */
export interface QuotedScan {
  /** Backslash escapes or doubled quotes were seen: the content needs `unescapeInto`. */
  escaped: boolean;
  /** When the scan returned -1: where to resume once more bytes are appended (no escape pending before it). */
  resume: number;
}

/**
 * Finds the closing `quote` of a quoted literal whose content starts at (or whose scan resumes
 * at) `from`. Returns the index of the closing quote, or -1 when `buf` ends first; then
 * `state.resume` tells where to resume scanning after appending bytes (just before a trailing
 * backslash or a quote that may be the first of a doubled pair). Backslash escapes and doubled
 * quotes set `state.escaped`.
 *
 * Scans with indexOf (memchr) for the quote and the backslash, each looked up again only once
 * passed, so long literals cost a few native calls, not a JS step per byte.
 */
export function scanQuoted(buf: Buffer, from: number, quote: number, state: QuotedScan): number {
  const len = buf.length;
  let p = from;
  let q = buf.indexOf(quote, p);
  let bs = buf.indexOf(BACKSLASH, p);
  for (;;) {
    if (bs !== -1 && (q === -1 || bs < q)) {
      if (bs + 1 >= len) {
        state.resume = bs;
        return -1;
      }
      state.escaped = true;
      p = bs + 2;
      if (q !== -1 && q < p) q = buf.indexOf(quote, p);
      bs = buf.indexOf(BACKSLASH, p);
      continue;
    }
    if (q === -1) {
      state.resume = len;
      return -1;
    }
    if (q + 1 >= len) {
      state.resume = q;
      return -1;
    }
    if (buf[q + 1] === quote) {
      state.escaped = true;
      p = q + 2;
      q = buf.indexOf(quote, p);
      if (bs !== -1 && bs < p) bs = buf.indexOf(BACKSLASH, p);
      continue;
    }
    return q;
  }
}
