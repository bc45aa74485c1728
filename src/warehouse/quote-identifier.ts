/** An SQL identifier in double quotes (standard SQL; DuckDB and PostgreSQL alike). */
export function quoteIdentifier(name: string): string {
  if (name.includes("\u0000"))
    throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"`. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}
