/**
 * A light SQL tokenizer for PostgreSQL text: enough to find the parts that are code (outside
 * string literals, quoted identifiers, dollar-quoted bodies and comments) and to rewrite them:
 *
 * - `?` placeholders -> `$1..$n` (the contract's parameter style; PostgreSQL's is `$n`);
 * - schema qualifiers of state schemas -> the physical schema of the state being read or
 *   built (`staging.people` -> `"staging__s20260131_053000_123abc".people`, see
 *   postgres-states.ts for why);
 * - counting statements and reading the first keyword (a reader runs one query statement).
 *
 * It is not a parser: it never needs to be, because PostgreSQL parses the result and any
 * mistake in the input still surfaces as PostgreSQL's own error.
 */

export type TokenType =
  | "word" // unquoted identifier or keyword
  | "quoted" // "quoted identifier"
  | "string" // '...', E'...', U&'...', B'...', X'...'
  | "dollar" // $tag$ ... $tag$
  | "comment" // -- ... or /* ... */
  | "param" // $1
  | "space"
  | "symbol"; // anything else, one character (or :: )

export interface Token {
  type: TokenType;
  text: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL text into tokens; the concatenation of all token texts is the input. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end;
      tokens.push({ type: "comment", text: sql.slice(start, i) });
    } else if (c === "/" && sql[i + 1] === "*") {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          depth--;
          i += 2;
        } else i++;
      }
      tokens.push({ type: "comment", text: sql.slice(start, i) });
    } else if (c === "'") {
      i = endOfString(sql, i, false);
      tokens.push({ type: "string", text: sql.slice(start, i) });
    } else if ((c === "E" || c === "e") && sql[i + 1] === "'") {
      i = endOfString(sql, i + 1, true);
      tokens.push({ type: "string", text: sql.slice(start, i) });
    } else if (/[BbXxNn]/.test(c) && sql[i + 1] === "'") {
      i = endOfString(sql, i + 1, false);
      tokens.push({ type: "string", text: sql.slice(start, i) });
    } else if ((c === "U" || c === "u") && sql[i + 1] === "&" && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      i = sql[i + 2] === "'" ? endOfString(sql, i + 2, false) : endOfQuoted(sql, i + 2);
      tokens.push({ type: sql[start + 2] === "'" ? "string" : "quoted", text: sql.slice(start, i) });
    } else if (c === '"') {
      i = endOfQuoted(sql, i);
      tokens.push({ type: "quoted", text: sql.slice(start, i) });
    } else if (c === "$") {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 200));
      const param = /^\$\d+/.exec(sql.slice(i, i + 20));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
        tokens.push({ type: "dollar", text: sql.slice(start, i) });
      } else if (param) {
        i += param[0].length;
        tokens.push({ type: "param", text: param[0] });
      } else {
        i++;
        tokens.push({ type: "symbol", text: c });
      }
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      tokens.push({ type: "word", text: sql.slice(start, i) });
    } else if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      tokens.push({ type: "space", text: sql.slice(start, i) });
    } else if (/[0-9]/.test(c)) {
      // Numbers (and 1e5, 0x1F) as one token, so `1.5` is never mistaken for `name.`.
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) i++;
      tokens.push({ type: "symbol", text: sql.slice(start, i) });
    } else if (c === ":" && sql[i + 1] === ":") {
      i += 2;
      tokens.push({ type: "symbol", text: "::" });
    } else {
      i++;
      tokens.push({ type: "symbol", text: c });
    }
  }
  return tokens;
}

function endOfString(sql: string, quote: number, backslashEscapes: boolean): number {
  let i = quote + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === "\\") i += 2;
    else if (c === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function endOfQuoted(sql: string, quote: number): number {
  let i = quote + 1;
  while (i < sql.length) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Words that make a following SCHEMA the keyword (not a column named schema). */
const SCHEMA_VERBS = new Set(["CREATE", "DROP", "ALTER", "IN", "ON", "SET"]);

const isCode = (t: Token) => t.type !== "space" && t.type !== "comment";

/**
 * `?` -> `$1..$n` in code (not in literals, identifiers, comments), each followed by
 * `suffix(n)` (a cast); returns the count too.
 */
export function translatePlaceholders(
  sql: string,
  suffix: (n: number) => string = () => "",
): { sql: string; count: number } {
  let count = 0;
  const out = tokenize(sql).map((t) => {
    if (t.type !== "symbol" || t.text !== "?") return t.text;
    count++;
    return `$${count}${suffix(count)}`;
  });
  return { sql: out.join(""), count };
}

/** The number of non-empty statements (split at `;` in code). */
export function countStatements(sql: string): number {
  let count = 0;
  let hasCode = false;
  for (const t of tokenize(sql)) {
    if (t.type === "symbol" && t.text === ";") {
      if (hasCode) count++;
      hasCode = false;
    } else if (isCode(t)) hasCode = true;
  }
  return count + (hasCode ? 1 : 0);
}

/** The first keyword of the statement, upper-cased ('' when none), skipping `(`. */
export function firstKeyword(sql: string): string {
  for (const t of tokenize(sql)) {
    if (!isCode(t) || (t.type === "symbol" && t.text === "(")) continue;
    return t.type === "word" ? t.text.toUpperCase() : "";
  }
  return "";
}

/** The identifier a word or quoted token names (unquoted ones fold to lower case). */
export function identifierOf(t: Token): string | undefined {
  if (t.type === "word") return t.text.toLowerCase();
  if (t.type === "quoted" && t.text.startsWith('"')) return t.text.slice(1, -1).replace(/""/g, '"');
  return undefined;
}

/**
 * Rewrites references to schemas: every identifier that qualifies a name (`x.` outside
 * literals and comments, not itself after a `.`) and every schema named after the keyword
 * SCHEMA (`CREATE SCHEMA [IF NOT EXISTS] x`, `DROP SCHEMA [IF EXISTS] x, y`, `ALTER SCHEMA x
 * RENAME TO y`, `... IN SCHEMA x`, `ON SCHEMA x`) is passed to `map`; when it returns a name,
 * the identifier is replaced by that name, quoted. `declared` is told about every schema named
 * after SCHEMA (before `map` sees it), so a writer learns the schemas it creates.
 */
export function rewriteSchemas(
  sql: string,
  map: (schema: string) => string | undefined,
  declared?: (schema: string) => void,
): string {
  const tokens = tokenize(sql);
  const out = tokens.map((t) => t.text);
  const next = (from: number): number => {
    let k = from;
    while (k < tokens.length && !isCode(tokens[k]!)) k++;
    return k;
  };
  const prev = (from: number): number => {
    let k = from;
    while (k >= 0 && !isCode(tokens[k]!)) k--;
    return k;
  };
  const wordBefore = (k: number): string => {
    const b = prev(k - 1);
    return b >= 0 && tokens[b]!.type === "word" ? tokens[b]!.text.toUpperCase() : "";
  };
  const replace = (k: number, name: string) => {
    const mapped = map(name);
    if (mapped !== undefined) out[k] = `"${mapped.replace(/"/g, '""')}"`;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === "word" && t.text.toUpperCase() === "SCHEMA" && SCHEMA_VERBS.has(wordBefore(k))) {
      // SCHEMA [IF [NOT] EXISTS] name [, name ...] [RENAME TO name]
      let j = next(k + 1);
      if (tokens[j]?.type === "word" && tokens[j]!.text.toUpperCase() === "IF") {
        j = next(j + 1);
        if (tokens[j]?.text.toUpperCase() === "NOT") j = next(j + 1);
        if (tokens[j]?.text.toUpperCase() === "EXISTS") j = next(j + 1);
      }
      for (;;) {
        const name = tokens[j] && identifierOf(tokens[j]!);
        if (name === undefined || ["AUTHORIZATION", "FROM"].includes(name.toUpperCase())) break;
        declared?.(name);
        replace(j, name);
        const after = next(j + 1);
        if (tokens[after]?.text === ",") j = next(after + 1);
        else if (tokens[after]?.text.toUpperCase() === "RENAME") {
          const to = next(after + 1);
          if (tokens[to]?.text.toUpperCase() !== "TO") break;
          j = next(to + 1);
        } else break;
      }
      k = j;
      continue;
    }
    if (t.type !== "word" && t.type !== "quoted") continue;
    const dot = next(k + 1);
    if (tokens[dot]?.text !== ".") continue;
    const before = prev(k - 1);
    if (before >= 0 && tokens[before]!.text === ".") continue; // a.b.c: only the first part
    const name = identifierOf(t);
    if (name !== undefined) replace(k, name);
  }
  return out.join("");
}
