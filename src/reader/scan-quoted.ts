export const BACKSLASH = 0x5c;

/**
 * Scan progress of a quoted literal, kept across calls when the literal straddles input chunks,
 * plus a cache of the next backslash in the buffer (shared by consecutive literals and by
 * `unescapeInto`, so that searching for a backslash never rescans a stretch without one).
 */
export interface QuotedScan {
  /** Backslash escapes or doubled quotes were seen: the content needs `unescapeInto`. */
  escaped: boolean;
  /** When the scan returned -1: where to resume once more bytes are appended (no escape pending before it). */
  resume: number;
  /** For `copyQuoted`: bytes of content written so far. */
  written: number;
  /** Cache: in `bsBuf`, `bs` is the first backslash at or after `bsFrom` (-1: none up to the end). */
  bsBuf?: Buffer;
  bsFrom: number;
  bs: number;
}

export function newQuotedScan(): QuotedScan {
  return { escaped: false, resume: 0, written: 0, bsBuf: undefined, bsFrom: 0, bs: -1 };
}

/** First backslash at or after `p` in `buf` (-1 if none), from the cache when it can tell. */
export function nextBackslash(buf: Buffer, p: number, state: QuotedScan): number {
  if (state.bsBuf === buf && state.bsFrom <= p && (state.bs === -1 || state.bs >= p)) return state.bs;
  const bs = buf.indexOf(BACKSLASH, p);
  state.bsBuf = buf;
  state.bsFrom = p;
  state.bs = bs;
  return bs;
}

/**
 * Finds the closing `quote` of a quoted literal whose content starts at (or whose scan resumes
 * at) `from`. Returns the index of the closing quote, or -1 when `buf` ends first; then
 * `state.resume` tells where to resume scanning after appending bytes (just before a trailing
 * backslash or a quote that may be the first of a doubled pair). Backslash escapes and doubled
 * quotes set `state.escaped`.
 *
 * Scans with indexOf (memchr) for the quote and the backslash, each looked up again only once
 * passed, so long literals cost a few native calls, not a JS step per byte; runs of close
 * escapes (binary data) are stepped through in JS.
 */
export function scanQuoted(buf: Buffer, from: number, quote: number, state: QuotedScan): number {
  const len = buf.length;
  let p = from;
  let q = buf.indexOf(quote, p);
  let bs = nextBackslash(buf, p, state);
  for (;;) {
    if (bs !== -1 && (q === -1 || bs < q)) {
      if (bs + 1 >= len) {
        state.resume = bs;
        return -1;
      }
      state.escaped = true;
      p = bs + 2;
      if (q !== -1 && q < p) q = buf.indexOf(quote, p);
      // the next escape is often close: look a few bytes ahead before asking memchr
      const limit = Math.min(q === -1 ? len : q, p + 16);
      let i = p;
      while (i < limit && buf[i] !== BACKSLASH) i++;
      bs = i < limit ? i : nextBackslash(buf, limit, state);
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
      if (bs !== -1 && bs < p) bs = nextBackslash(buf, p, state);
      continue;
    }
    return q;
  }
}

/** What `\x` stands for, per MySQL: \0 \b \n \r \t \Z and any other \x is x (\% and \_ are handled apart). */
export const ESCAPED = new Uint8Array(256);
for (let i = 0; i < 256; i++) ESCAPED[i] = i;
ESCAPED[0x30] = 0x00; // \0
ESCAPED[0x62] = 0x08; // \b
ESCAPED[0x6e] = 0x0a; // \n
ESCAPED[0x72] = 0x0d; // \r
ESCAPED[0x74] = 0x09; // \t
ESCAPED[0x5a] = 0x1a; // \Z
