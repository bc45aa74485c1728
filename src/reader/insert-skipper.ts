import { newQuotedScan, scanQuoted, type QuotedScan } from "./scan-quoted.js";
import type { SqlLexer } from "./sql-lexer.js";
import { TupleFault } from "./tuple-reader.js";

/**
 * Passes over the tuples of an INSERT into a table the caller does not want, as fast as the
 * bytes can be searched: only quoted strings can hide a delimiter, so it jumps from quote to
 * quote with indexOf and decodes nothing. Keeps no more than the current scan position, so a
 * huge value of an unwanted table costs no memory.
 */
export class InsertSkipper {
  /** Position in the window after the last call (the first byte still needed). */
  pos = 0;
  /** Inside a string opened by this quote byte (0: outside). */
  private quote = 0;
  private quoteStart = 0;
  private readonly scan: QuotedScan = newQuotedScan();

  begin(): void {
    this.quote = 0;
  }

  /** The window was replaced: cached positions in the old one mean nothing now. */
  forgetWindow(): void {
    this.scan.bsBuf = undefined;
  }

  /** Returns true after the statement's delimiter (`pos` just after it), false when the window ends first. */
  read(buf: Buffer, base: number, from: number, lexer: SqlLexer, final: boolean): boolean {
    const len = buf.length;
    const d0 = lexer.delimiter[0]!;
    let p = from;
    if (this.quote !== 0) {
      const q = scanQuoted(buf, p, this.quote, this.scan);
      if (q < 0) return this.pause(this.scan.resume, final, buf, base);
      this.quote = 0;
      p = q + 1;
    }
    let single = -2;
    let double = -2;
    let delim = -2;
    for (;;) {
      if (single !== -1 && single < p) single = buf.indexOf(0x27, p);
      if (double !== -1 && double < p) double = buf.indexOf(0x22, p);
      if (delim !== -1 && delim < p) delim = buf.indexOf(d0, p);
      const quoteAt = single === -1 ? double : double === -1 ? single : Math.min(single, double);
      if (delim !== -1 && (quoteAt === -1 || delim < quoteAt)) {
        const n = lexer.delimiterAt(buf, delim, final);
        if (n < 0) return this.pause(delim, final, buf, base);
        if (n === 0) {
          p = delim + 1;
          continue;
        }
        this.pos = delim + n;
        return true;
      }
      if (quoteAt === -1) return this.pause(len, final, buf, base);
      this.quote = buf[quoteAt]!;
      this.quoteStart = base + quoteAt;
      this.scan.escaped = false;
      const q = scanQuoted(buf, quoteAt + 1, this.quote, this.scan);
      if (q < 0) return this.pause(this.scan.resume, final, buf, base);
      this.quote = 0;
      p = q + 1;
    }
  }

  private pause(at: number, final: boolean, buf: Buffer, base: number): false {
    this.pos = at;
    if (final) {
      throw this.quote !== 0
        ? new TupleFault(`unterminated string starting at byte ${this.quoteStart}`, this.quoteStart)
        : new TupleFault("input ends inside an INSERT statement (truncated dump?)", base + buf.length);
    }
    return false;
  }
}
