import { columnKindOf } from "./column-kind-of.js";
import type { SqlToken } from "./sql-lexer.js";
import { SyntaxFault } from "./syntax-fault.js";
import type { ColumnDef, TableSchema } from "./types.js";

/** First words of the table-level definitions that are not columns. */
const NOT_COLUMNS = new Set([
  "PRIMARY",
  "KEY",
  "INDEX",
  "UNIQUE",
  "CONSTRAINT",
  "FOREIGN",
  "FULLTEXT",
  "SPATIAL",
  "CHECK",
  "PERIOD",
  "VECTOR",
]);

/** Two-word type names and the name they stand for. */
const TWO_WORD_TYPES: Record<string, Record<string, string>> = {
  double: { precision: "double precision" },
  long: { varbinary: "long varbinary", varchar: "mediumtext" },
  character: { varying: "varchar" },
  char: { varying: "varchar" },
  national: { char: "nchar", character: "nchar", varchar: "nvarchar" },
  nchar: { varying: "nvarchar" },
};

const upper = (t: SqlToken | undefined) => (t && t.kind === "word" ? t.text.toUpperCase() : "");

/**
 * Reads the column list of a `CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name (...)`
 * statement given as tokens (executable-comment markers already dropped by the lexer). Keys,
 * constraints and table options are ignored. A MariaDB `longtext ... CHECK (json_valid(col))`
 * column is a JSON column. Throws SyntaxFault for a statement it cannot read or a column type it
 * does not know.
 */
export function parseCreateTable(tokens: SqlToken[]): TableSchema {
  let i = 0;
  const expectWord = (w: string) => {
    if (upper(tokens[i]) !== w) throw fault(tokens[i], `expected ${w} in CREATE TABLE`);
    i++;
  };
  expectWord("CREATE");
  if (upper(tokens[i]) === "OR") {
    i++;
    expectWord("REPLACE");
  }
  if (upper(tokens[i]) === "TEMPORARY") i++;
  expectWord("TABLE");
  if (upper(tokens[i]) === "IF") {
    i++;
    expectWord("NOT");
    expectWord("EXISTS");
  }
  let nameToken = tokens[i++];
  if (tokens[i]?.text === "." && tokens[i]?.kind === "punct") {
    nameToken = tokens[i + 1];
    i += 2;
  }
  if (!nameToken || (nameToken.kind !== "ident" && nameToken.kind !== "word")) {
    throw fault(nameToken, "CREATE TABLE without a table name");
  }
  const name = nameToken.text;
  if (tokens[i]?.text !== "(" || tokens[i]?.kind !== "punct") {
    throw fault(
      tokens[i],
      `CREATE TABLE \`${name}\` has no column list (LIKE / AS SELECT are not supported)`,
    );
  }
  i++;

  const columns: ColumnDef[] = [];
  const seen = new Set<string>();
  for (;;) {
    // one definition: up to the next top-level ',' or the closing ')'
    const start = i;
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind !== "punct") continue;
      if (t.text === "(") depth++;
      else if (t.text === ")") {
        if (depth === 0) break;
        depth--;
      } else if (t.text === "," && depth === 0) break;
    }
    if (i >= tokens.length) throw fault(tokens[start], `CREATE TABLE \`${name}\`: column list is not closed`);
    const def = tokens.slice(start, i);
    const first = def[0];
    if (first && !(first.kind === "word" && NOT_COLUMNS.has(first.text.toUpperCase()))) {
      const column = parseColumn(def, name);
      const key = column.name.toLowerCase();
      if (seen.has(key))
        throw fault(first, `CREATE TABLE \`${name}\`: column \`${column.name}\` defined twice`);
      seen.add(key);
      columns.push(column);
    }
    if (tokens[i]!.text === ")") break;
    i++;
  }
  if (columns.length === 0) throw fault(nameToken, `CREATE TABLE \`${name}\` has no columns`);
  return { name, columns };
}

function parseColumn(def: SqlToken[], table: string): ColumnDef {
  const nameToken = def[0]!;
  if (nameToken.kind !== "ident" && nameToken.kind !== "word") {
    throw fault(nameToken, `CREATE TABLE \`${table}\`: expected a column name`);
  }
  const name = nameToken.text;
  const typeToken = def[1];
  if (!typeToken || typeToken.kind !== "word") {
    throw fault(typeToken ?? nameToken, `CREATE TABLE \`${table}\`: column \`${name}\` has no type`);
  }
  let base = typeToken.text.toLowerCase();
  let i = 2;
  const second = def[i]?.kind === "word" ? def[i]!.text.toLowerCase() : undefined;
  const twoWord = second !== undefined ? TWO_WORD_TYPES[base]?.[second] : undefined;
  if (twoWord) {
    base = twoWord;
    i++;
    if (base === "nchar" && def[i]?.kind === "word" && def[i]!.text.toLowerCase() === "varying") {
      base = "nvarchar";
      i++;
    }
  }

  // type arguments: numbers, or the quoted values of ENUM / SET
  const args: number[] = [];
  const values: string[] = [];
  const argTexts: string[] = [];
  if (def[i]?.kind === "punct" && def[i]!.text === "(") {
    i++;
    for (; i < def.length && !(def[i]!.kind === "punct" && def[i]!.text === ")"); i++) {
      const t = def[i]!;
      if (t.kind === "string") {
        values.push(t.text);
        argTexts.push(`'${t.text.replaceAll("'", "''")}'`);
      } else if (t.kind === "word") {
        args.push(Number(t.text));
        argTexts.push(t.text);
      }
    }
    i++;
  }

  let unsigned = false;
  let zerofill = false;
  let nullable = true;
  let binaryCharset = false;
  let json = false;
  let depth = 0;
  for (; i < def.length; i++) {
    const t = def[i]!;
    if (t.kind === "punct") {
      if (t.text === "(") depth++;
      else if (t.text === ")") depth--;
      continue;
    }
    if (t.kind !== "word") continue;
    const w = t.text.toUpperCase();
    if (depth > 0) {
      // inside DEFAULT (...), CHECK (...), AS (...): only json_valid(`this column`) matters
      if (w === "JSON_VALID" && def[i + 2]?.text === name) json = true;
      continue;
    }
    const prev = upper(def[i - 1]);
    switch (w) {
      case "UNSIGNED":
        unsigned = true;
        break;
      case "ZEROFILL":
        zerofill = true;
        unsigned = true;
        break;
      case "NULL":
        if (prev === "NOT") nullable = false;
        break;
      case "PRIMARY":
        nullable = false;
        break;
      case "BINARY":
        if (prev === "SET" || prev === "CHARSET" || def[i - 1]?.text === "=") binaryCharset = true;
        break;
      case "DEFAULT":
      case "COMMENT":
      case "COLLATE":
        // skip the value (a NULL default says nothing about nullability); an expression in
        // parentheses is passed over by the depth count
        if (def[i + 1]?.kind !== "punct") i++;
        break;
    }
  }

  const info = columnKindOf(base, args, unsigned, binaryCharset);
  if (!info)
    throw fault(typeToken, `CREATE TABLE \`${table}\`: column \`${name}\` has unsupported type ${base}`);
  let mysqlType = base + (argTexts.length > 0 ? `(${argTexts.join(",")})` : "");
  if (unsigned) mysqlType += zerofill ? " unsigned zerofill" : " unsigned";
  const column: ColumnDef = {
    name,
    mysqlType,
    kind: json && info.kind === "text" ? "json" : info.kind,
    nullable,
  };
  if (info.precision !== undefined) column.precision = info.precision;
  if (info.scale !== undefined) column.scale = info.scale;
  if (info.fsp !== undefined) column.fsp = info.fsp;
  if (base === "enum" || base === "set") column.enumValues = values;
  return column;
}

function fault(token: SqlToken | undefined, message: string): SyntaxFault {
  return new SyntaxFault(message, token?.offset);
}
