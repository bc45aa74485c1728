/**
 * Parquet writing for any warehouse engine: rows read through `WarehouseSession.query` (the
 * engine-neutral interface, so DuckDB and PostgreSQL states alike) are appended into an
 * in-memory DuckDB, which writes the Parquet files and reads them back for verification.
 *
 * Rows arrive as the interface normalises them (dates 'YYYY-MM-DD', exact decimals as text,
 * bigints). They are staged as text and cast once to the column's type on the way out, so no
 * value passes through a JavaScript float it did not come from. Column types follow the
 * result column's engine-neutral kind, refined by the engine's type name (integer width,
 * decimal precision, zoned timestamps): see `parquetTypeOf`.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { ResultColumn, SqlValue } from "../warehouse/warehouse.js";
import { quoteIdentifier } from "../warehouse/quote-identifier.js";

const INTEGER_TYPES: Record<string, string> = {
  tinyint: "TINYINT",
  int1: "TINYINT",
  smallint: "SMALLINT",
  int2: "SMALLINT",
  integer: "INTEGER",
  int: "INTEGER",
  int4: "INTEGER",
  bigint: "BIGINT",
  int8: "BIGINT",
  // Parquet has no 128-bit integer (DuckDB would write a lossy DOUBLE): exact DECIMAL(38,0).
  hugeint: "DECIMAL(38,0)",
  uhugeint: "DECIMAL(38,0)",
  int128: "DECIMAL(38,0)",
  utinyint: "UTINYINT",
  usmallint: "USMALLINT",
  uinteger: "UINTEGER",
  ubigint: "UBIGINT",
};

/** The DuckDB (hence Parquet) type a result column is written as. */
export function parquetTypeOf(column: ResultColumn): string {
  const type = column.type.trim().toLowerCase();
  switch (column.kind) {
    case "boolean":
      return "BOOLEAN";
    case "integer":
      return INTEGER_TYPES[type] ?? "BIGINT";
    case "decimal": {
      const m = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(type);
      const precision = m ? Number(m[1]) : 38;
      // Unconstrained PostgreSQL numeric: 38 digits with 9 after the point (documented).
      if (!m || precision > 38) return "DECIMAL(38,9)";
      return `DECIMAL(${precision},${Number(m[2] ?? 0)})`;
    }
    case "float":
      return /^(real|float4|float)$/.test(type) ? "FLOAT" : "DOUBLE";
    case "date":
      return "DATE";
    case "datetime":
      return /tz|with time zone/.test(type) ? "TIMESTAMPTZ" : "TIMESTAMP";
    case "time":
      return "TIME";
    case "interval":
      return "INTERVAL";
    case "json":
      return "JSON";
    case "binary":
      return "BLOB";
    default:
      return "VARCHAR";
  }
}

/** A value as staged text (NULL stays null). */
function stagedText(value: SqlValue, kind: ResultColumn["kind"]): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "object")
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  if (kind === "float" && typeof value === "number" && Object.is(value, -0)) return "-0.0";
  return String(value);
}

/** The cast from staged text to the column's type. */
function castFromText(column: ResultColumn, source: string): string {
  const type = parquetTypeOf(column);
  if (type === "BLOB") return `from_base64(${source})`;
  return `CAST(${source} AS ${type})`;
}

export interface WrittenFile {
  /** Absolute local path. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** An in-memory DuckDB that stages rows and writes them as Parquet. */
export class ParquetSink {
  private staged = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<ParquetSink> {
    const instance = await DuckDBInstance.create(":memory:");
    return new ParquetSink(instance, await instance.connect());
  }

  /** Stages rows (all text) in a new temporary table; returns its name. */
  async stage(columns: readonly ResultColumn[], rows: readonly Record<string, SqlValue>[]): Promise<string> {
    const table = `staged_${++this.staged}`;
    const defs = columns.map((c) => `${quoteIdentifier(c.name)} VARCHAR`).join(", ");
    await this.connection.run(`CREATE TABLE ${table} (${defs})`);
    const appender = await this.connection.createAppender(table);
    try {
      for (const row of rows) {
        for (const c of columns) {
          const text = stagedText(row[c.name] ?? null, c.kind);
          if (text === null) appender.appendNull();
          else appender.appendVarchar(text);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return table;
  }

  /** `SELECT` of a staged table with every column cast to its type (plus extra expressions). */
  typedSelect(table: string, columns: readonly ResultColumn[], extra: string[] = []): string {
    const cols = columns.map(
      (c) => `${castFromText(c, quoteIdentifier(c.name))} AS ${quoteIdentifier(c.name)}`,
    );
    return `SELECT ${[...cols, ...extra].join(", ")} FROM ${table}`;
  }

  /** Writes one Parquet file (zstd) from a SELECT over staged tables. */
  async writeFile(select: string, file: string): Promise<void> {
    await this.connection.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`);
  }

  /**
   * Writes a folder of Parquet files partitioned by `partition` (hive style `partition=value/`);
   * the partition column lives in the path, not in the files.
   */
  async writePartitioned(select: string, dir: string, partition: string): Promise<void> {
    await this.connection.run(
      `COPY (${select}) TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${quoteIdentifier(partition)}), FILENAME_PATTERN 'part-{i}', OVERWRITE_OR_IGNORE true)`,
    );
  }

  async dropStaged(table: string): Promise<void> {
    await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
  }

  /** Row count of Parquet files, read back from disk. */
  async countRows(files: readonly string[]): Promise<number> {
    if (files.length === 0) return 0;
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM read_parquet([${files.map(sqlString).join(", ")}], hive_partitioning = false)`,
    );
    return Number(reader.getRows()[0]![0]);
  }

  /** Column names and DuckDB types of a Parquet file (as DuckDB reads it back). */
  async describe(file: string): Promise<{ name: string; type: string }[]> {
    const reader = await this.connection.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`,
    );
    return reader
      .getRowObjectsJson()
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
