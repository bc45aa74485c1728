/**
 * What the dump reader emits: table definitions and typed row batches. This is the contract
 * between the reader (bytes -> batches) and the warehouse engines (batches -> tables); it is
 * engine-neutral, each engine maps `ColumnKind` to its own types.
 */

/** Engine-neutral column kinds, one per family of MySQL types, faithful in range and precision. */
export type ColumnKind =
  | "int8" // TINYINT
  | "uint8" // TINYINT UNSIGNED
  | "int16" // SMALLINT, YEAR
  | "uint16" // SMALLINT UNSIGNED
  | "int32" // MEDIUMINT, INT
  | "uint32" // MEDIUMINT UNSIGNED, INT UNSIGNED
  | "int64" // BIGINT
  | "uint64" // BIGINT UNSIGNED
  | "decimal" // DECIMAL(p,s) / NUMERIC: exact, carried as a string
  | "float32" // FLOAT
  | "float64" // DOUBLE, REAL
  | "date" // DATE: 'YYYY-MM-DD'
  | "datetime" // DATETIME(fsp), TIMESTAMP: 'YYYY-MM-DD HH:MM:SS[.ffffff]'
  | "time" // TIME: '[-]HHH:MM:SS[.ffffff]', may be negative or over 24 h
  | "text" // CHAR, VARCHAR, *TEXT, ENUM, SET: decoded UTF-8 string
  | "json" // JSON: the JSON text
  | "binary" // BINARY, VARBINARY, *BLOB: bytes
  | "bit"; // BIT(n): unsigned integer as bigint

export interface ColumnDef {
  name: string;
  /** The MySQL type as written in CREATE TABLE, lower-cased, e.g. `decimal(10,7)`, `int unsigned`. */
  mysqlType: string;
  kind: ColumnKind;
  nullable: boolean;
  /** DECIMAL precision and scale. */
  precision?: number;
  scale?: number;
  /** Fractional-second digits of DATETIME/TIMESTAMP/TIME. */
  fsp?: number;
  /** Allowed values of ENUM / SET. */
  enumValues?: string[];
}

export interface TableSchema {
  name: string;
  columns: ColumnDef[];
}

/**
 * A typed value. int8..uint32 and float -> number; int64/uint64/bit -> bigint; decimal, date,
 * datetime, time, text, json -> string; binary -> Uint8Array; SQL NULL (and zero dates) -> null.
 * With the reader's `textAsBytes`, text is a Uint8Array of its UTF-8 bytes instead.
 */
export type Value = null | number | bigint | string | Uint8Array;

export type DumpEvent =
  /** A CREATE TABLE was read (the table is about to be (re)created). */
  | { type: "table"; schema: TableSchema; byteOffset: number }
  /**
   * Rows of INSERT/REPLACE statements into one table, in schema column order (columns an INSERT
   * does not list are null). A long statement spans several batches; consecutive statements into
   * the same table (one-row inserts) share batches. `byteOffset`: first tuple, in the SQL text.
   */
  | {
      type: "rows";
      table: string;
      rows: Value[][];
      byteOffset: number;
      /**
       * With `textAsBytes`: the ArrayBuffers the batch's byte values are views into (and nothing
       * else refers to), to be transferred rather than copied when the batch changes threads.
       */
      buffers?: ArrayBuffer[];
    }
  /** A statement the loader deliberately ignores (view, trigger, routine, event). */
  | { type: "skipped"; kind: string; name: string; byteOffset: number };

/** Per-table counters the reader keeps for the load report. */
export interface TableReadStats {
  rows: number;
  /** Zero dates ('0000-00-00', '0000-00-00 00:00:00') loaded as NULL, per column. */
  zeroDatesByColumn: Record<string, number>;
}
