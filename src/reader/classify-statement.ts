import type { SqlToken } from "./sql-lexer.js";
import { SyntaxFault } from "./syntax-fault.js";

/** What a complete statement (other than an INSERT with VALUES) means to the reader. */
export type StatementClass =
  | { type: "create-table"; name: string }
  | { type: "created-object"; kind: string; name: string } // view, trigger, procedure, function, event, ...
  | { type: "database"; name: string | undefined } // CREATE DATABASE, USE
  | { type: "drop-view"; name: string }
  | { type: "insert-without-values"; verb: string; name: string | undefined }
  | { type: "other" };

/** Objects of CREATE the reader knows; the first such word after CREATE says what is created. */
const CREATED = new Set([
  "TABLE",
  "VIEW",
  "TRIGGER",
  "PROCEDURE",
  "FUNCTION",
  "EVENT",
  "SEQUENCE",
  "PACKAGE",
]);
const CREATED_OTHER = new Set(["DATABASE", "SCHEMA", "INDEX", "USER", "ROLE", "SERVER", "TABLESPACE"]);
const INSERT_MODIFIERS = new Set(["LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"]);

export const upperWord = (t: SqlToken | undefined) => (t && t.kind === "word" ? t.text.toUpperCase() : "");

/** Object name at token i, after an optional IF [NOT] EXISTS; `db`.`name` gives name. */
export function objectNameAt(t: SqlToken[], i: number): { name: string; next: number } | undefined {
  if (upperWord(t[i]) === "IF") {
    i++;
    if (upperWord(t[i]) === "NOT") i++;
    if (upperWord(t[i]) === "EXISTS") i++;
  }
  let token = t[i];
  if (!token || (token.kind !== "ident" && token.kind !== "word")) return undefined;
  if (t[i + 1]?.kind === "punct" && t[i + 1]!.text === "." && t[i + 2]) {
    i += 2;
    token = t[i]!;
  }
  return { name: token.text, next: i + 1 };
}

/** Classifies a statement by its tokens (executable-comment markers already dropped). */
export function classifyStatement(t: SqlToken[]): StatementClass {
  const verb = upperWord(t[0]);
  switch (verb) {
    case "CREATE": {
      for (let i = 1; i < t.length && i < 64; i++) {
        const w = upperWord(t[i]);
        if (CREATED.has(w)) {
          const name = objectNameAt(t, i + 1)?.name ?? "";
          return w === "TABLE"
            ? { type: "create-table", name }
            : { type: "created-object", kind: w.toLowerCase(), name };
        }
        if (CREATED_OTHER.has(w)) {
          return w === "DATABASE" || w === "SCHEMA"
            ? { type: "database", name: objectNameAt(t, i + 1)?.name }
            : { type: "other" };
        }
      }
      return { type: "other" };
    }
    case "DROP": {
      const name = upperWord(t[1]) === "VIEW" ? objectNameAt(t, 2)?.name : undefined;
      return name === undefined ? { type: "other" } : { type: "drop-view", name };
    }
    case "USE":
      return { type: "database", name: objectNameAt(t, 1)?.name };
    case "INSERT":
    case "REPLACE": {
      let i = 1;
      while (i < t.length && INSERT_MODIFIERS.has(upperWord(t[i]))) i++;
      return { type: "insert-without-values", verb, name: objectNameAt(t, i)?.name };
    }
  }
  return { type: "other" };
}

/**
 * Table and column list of `INSERT|REPLACE [modifiers] [INTO] name [(col, ...)] VALUES`, given
 * its tokens up to and including VALUES. Throws SyntaxFault for anything else before VALUES.
 */
export function parseInsertHeader(
  t: SqlToken[],
  statementStart: number,
): { table: string; columns: string[] | undefined } {
  let i = 1;
  while (i < t.length && INSERT_MODIFIERS.has(upperWord(t[i]))) i++;
  const target = objectNameAt(t, i);
  if (!target) throw new SyntaxFault(`${upperWord(t[0])} without a table name`, statementStart);
  const table = target.name;
  i = target.next;
  let columns: string[] | undefined;
  if (t[i]?.kind === "punct" && t[i]!.text === "(") {
    columns = [];
    for (i++; i < t.length && !(t[i]!.kind === "punct" && t[i]!.text === ")"); i++) {
      const c = t[i]!;
      if (c.kind === "ident" || c.kind === "word") columns.push(c.text);
      else if (c.text !== ",") throw new SyntaxFault(`bad column list in INSERT into \`${table}\``, c.offset);
    }
    i++;
  }
  if (i !== t.length - 1) {
    throw new SyntaxFault(`unsupported INSERT syntax before VALUES into \`${table}\``, t[i]?.offset);
  }
  return { table, columns };
}
