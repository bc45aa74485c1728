import { newQuotedScan, scanQuoted, type QuotedScan } from "./scan-quoted.js";
import { unescapeInto } from "./unescape-into.js";

/** A token of a statement other than INSERT tuples (those are scanned by the dump parser itself). */
export interface SqlToken {
  kind: "word" | "ident" | "string" | "punct";
  /** Words as written, identifiers and strings unquoted and decoded as UTF-8. */
  text: string;
  /** Offset in the SQL text. */
  offset: number;
}

/** Bytes of words: letters, digits, `_`, `$`, `@` and any non-ASCII byte. */
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  WORD[c] =
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x24 ||
    c === 0x40 ||
    c >= 0x80
      ? 1
      : 0;
}

const DUMP_COMPLETED = Buffer.from("Dump completed");

/** `/*!NNNNN` with a version at or above this is never executed (MariaDB's `/*M!999999\- sandbox` line). */
const NEVER_EXECUTED_VERSION = 999999;

/**
 * The statement-level lexer of mysqldump text, as the `mysql` client and server see it:
 * whitespace, `-- ` / `#` / `/* *\/` comments, executable comments `/*!40101 ... *\/` (and
 * MariaDB's `/*M!100101 ... *\/`) whose content is read as SQL, the current DELIMITER, and
 * word / identifier / string / punctuation tokens. Works on a byte window; every method either
 * completes or reports that the window ends too early (`incomplete`), so the caller can wait
 * for more input and call again from the same position.
 */
export class SqlLexer {
  /** Statement delimiter, `;` unless changed by a DELIMITER command. */
  delimiter: Buffer = Buffer.from(";");
  /** Executable comments currently open, innermost last (their versions). */
  readonly openVersions: number[] = [];
  /** A `-- Dump completed` comment was seen. */
  sawDumpCompleted = false;
  /** Set by each call: the window ended before the construct at the returned position did. */
  incomplete = false;
  /** End of the token returned by `token()`. */
  tokenEnd = 0;

  private readonly scan: QuotedScan = newQuotedScan();
  private scratch = Buffer.allocUnsafe(4096);

  /** The window was replaced: cached positions in the old one mean nothing now. */
  forgetWindow(): void {
    this.scan.bsBuf = undefined;
  }

  /** Version of the innermost open executable comment, 0 outside any. */
  get condVersion(): number {
    return this.openVersions[this.openVersions.length - 1] ?? 0;
  }

  /**
   * Skips whitespace, comments and executable-comment markers (entering or leaving them) from
   * `p`; returns the position of the next significant byte (or the end of the window). When the
   * window ends inside a comment, returns its start with `incomplete` set (at the end of input
   * `final` is true and the caller reports the unterminated comment).
   */
  skipTrivia(buf: Buffer, p: number, final: boolean): number {
    this.incomplete = false;
    const len = buf.length;
    while (p < len) {
      const c = buf[p]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c) {
        p++;
        continue;
      }
      if (c === 0x23) {
        // # comment
        const eol = buf.indexOf(0x0a, p);
        if (eol === -1) return final ? len : this.stall(p);
        p = eol + 1;
        continue;
      }
      if (c === 0x2d) {
        // "-- " comment: two dashes then whitespace, a control byte or the end
        if (p + 2 >= len && !final) {
          if (p + 1 < len && buf[p + 1] !== 0x2d) return p;
          this.incomplete = true;
          return p;
        }
        if (buf[p + 1] !== 0x2d || (p + 2 < len && buf[p + 2]! > 0x20)) return p;
        const eol = buf.indexOf(0x0a, p);
        if (eol === -1) return final ? len : this.stall(p);
        if (!this.sawDumpCompleted && eol - p > 3 + DUMP_COMPLETED.length) {
          const n = DUMP_COMPLETED.length;
          if (buf.compare(DUMP_COMPLETED, 0, n, p + 3, p + 3 + n) === 0) this.sawDumpCompleted = true;
        }
        p = eol + 1;
        continue;
      }
      if (c === 0x2f) {
        // /* comment */, /*!NNNNN executable */, /*M!NNNNNN executable */
        if (p + 1 >= len) return final ? p : this.stall(p);
        if (buf[p + 1] !== 0x2a) return p;
        const r = this.openComment(buf, p, final);
        if (r < 0) return this.stall(p);
        p = r;
        continue;
      }
      if (c === 0x2a && this.openVersions.length > 0) {
        // */ closing an executable comment
        if (p + 1 >= len) return final ? p : this.stall(p);
        if (buf[p + 1] !== 0x2f) return p;
        this.openVersions.pop();
        p += 2;
        continue;
      }
      return p;
    }
    return p;
  }

  /**
   * At `/*`: enters an executable comment (returns the position after its version) or skips a
   * plain comment (returns the position after it); -1 when the window ends first.
   */
  private openComment(buf: Buffer, p: number, final: boolean): number {
    const len = buf.length;
    let q = p + 2;
    let executable = false;
    if (q < len && buf[q] === 0x21) {
      executable = true;
      q++;
    } else if (q < len && buf[q] === 0x4d) {
      if (q + 1 >= len) return final ? this.skipBlockComment(buf, q) : -1;
      if (buf[q + 1] === 0x21) {
        executable = true;
        q += 2;
      }
    } else if (q >= len) {
      return -1;
    }
    if (executable) {
      let version = 0;
      let digits = 0;
      while (q < len && digits < 6 && buf[q]! >= 0x30 && buf[q]! <= 0x39) {
        version = version * 10 + buf[q]! - 0x30;
        q++;
        digits++;
      }
      if (q >= len && !final) return -1;
      if (version < NEVER_EXECUTED_VERSION) {
        this.openVersions.push(digits === 0 ? 1 : version);
        return q;
      }
    }
    return this.skipBlockComment(buf, q);
  }

  private skipBlockComment(buf: Buffer, from: number): number {
    const end = buf.indexOf("*/", from, "latin1");
    return end === -1 ? -1 : end + 2;
  }

  private stall(p: number): number {
    this.incomplete = true;
    return p;
  }

  /** Length of the delimiter when it starts at `p`, 0 when it does not, -1 when the window ends too early to tell. */
  delimiterAt(buf: Buffer, p: number, final: boolean): number {
    const d = this.delimiter;
    if (buf[p] !== d[0]) return 0;
    const n = d.length;
    if (n === 1) return 1;
    if (p + n > buf.length) {
      for (let i = 1; p + i < buf.length; i++) if (buf[p + i] !== d[i]) return 0;
      return final ? 0 : -1;
    }
    for (let i = 1; i < n; i++) if (buf[p + i] !== d[i]) return 0;
    return n;
  }

  /**
   * Reads the token at `p` (which is not trivia nor the delimiter). Returns it and sets
   * `tokenEnd`, or returns undefined with `incomplete` set when the window ends inside it.
   */
  token(buf: Buffer, p: number, base: number, final: boolean): SqlToken | undefined {
    this.incomplete = false;
    const len = buf.length;
    const c = buf[p]!;
    if (c === 0x60) {
      // `identifier`, `` is a backtick
      let from = p + 1;
      let doubled = false;
      for (;;) {
        const q = buf.indexOf(0x60, from);
        if (q === -1 || (q + 1 >= len && !final)) {
          this.incomplete = true;
          return undefined;
        }
        if (buf[q + 1] === 0x60) {
          doubled = true;
          from = q + 2;
          continue;
        }
        this.tokenEnd = q + 1;
        let text = buf.toString("utf8", p + 1, q);
        if (doubled) text = text.replaceAll("``", "`");
        return { kind: "ident", text, offset: base + p };
      }
    }
    if (c === 0x27 || c === 0x22) {
      this.scan.escaped = false;
      const q = scanQuoted(buf, p + 1, c, this.scan);
      if (q === -1) {
        this.incomplete = true;
        return undefined;
      }
      this.tokenEnd = q + 1;
      let text: string;
      if (this.scan.escaped) {
        if (this.scratch.length < q - p) this.scratch = Buffer.allocUnsafe(q - p);
        const n = unescapeInto(buf, p + 1, q, c, this.scratch, this.scan);
        text = this.scratch.toString("utf8", 0, n);
      } else {
        text = buf.toString("utf8", p + 1, q);
      }
      return { kind: "string", text, offset: base + p };
    }
    if (WORD[c]) {
      let q = p + 1;
      while (q < len && WORD[buf[q]!]) q++;
      if (q >= len && !final) {
        this.incomplete = true;
        return undefined;
      }
      this.tokenEnd = q;
      return { kind: "word", text: buf.toString("utf8", p, q), offset: base + p };
    }
    this.tokenEnd = p + 1;
    return { kind: "punct", text: String.fromCharCode(c), offset: base + p };
  }
}
