/**
 * The Warehouse contract: the one interface every engine implements (DuckDB now, PostgreSQL
 * later), so callers never know which engine they talk to.
 *
 * A warehouse holds *states*. Exactly one is published (what readers see); a writer works on
 * a new state that starts as a copy of the published one, and either publishes it (readers
 * switch to it in one atomic step) or abandons it (nothing changes). The last N published
 * states are kept for rollback and read-only investigation.
 *
 * DuckDB: a state is a generation file in the warehouse folder, publishing renames a pointer
 * file. PostgreSQL: a state is a set of schemas built under state-specific names and swapped
 * with the published ones inside one transaction. See README.md beside this file.
 */
import type { ColumnBatch } from "../reader/column-batch.js";
import type { TableSchema, Value } from "../reader/types.js";

/** A value as every caller sees it, whatever the engine. */
export type SqlValue =
  | null
  | boolean
  /** Integers within ±(2^53 - 1) and floating point. */
  | number
  /** Integers beyond ±(2^53 - 1). */
  | bigint
  /** DECIMAL (exact), dates ('YYYY-MM-DD'), timestamps (ISO-8601), durations, text, JSON text. */
  | string
  /** BLOB / bytea. */
  | Uint8Array
  | SqlValue[]
  | { [key: string]: SqlValue };

/** A bound query parameter (`?` / `$1` placeholders, in order). */
export type SqlParam = null | boolean | number | bigint | string | Uint8Array;

/**
 * Engine-neutral family of a result column, enough to format and align values:
 * - `integer`: number or bigint; `decimal`: exact string; `float`: number
 * - `date`: 'YYYY-MM-DD'; `datetime`: 'YYYY-MM-DDTHH:MM:SS[.ffffff]' ('Z' suffix when zoned)
 * - `time`: 'HH:MM:SS[.ffffff]'; `interval`: '[-]HH:MM:SS[.ffffff]' (hours may exceed 24)
 * - `text`, `json`: string; `binary`: Uint8Array; `other`: lists, structs, anything else
 */
export type ResultKind =
  | "boolean"
  | "integer"
  | "decimal"
  | "float"
  | "date"
  | "datetime"
  | "time"
  | "interval"
  | "text"
  | "json"
  | "binary"
  | "other";

export interface ResultColumn {
  name: string;
  /** The engine's own type name, e.g. `DECIMAL(12,2)`, `TIMESTAMP`, `JSON`. */
  type: string;
  kind: ResultKind;
}

export interface QueryResult {
  /** Column names are de-duplicated (`a`, `a_1`) so each row can be a plain object. */
  columns: ResultColumn[];
  rows: Record<string, SqlValue>[];
}

/** Who began a state and why; recorded in the state list and the history. */
export interface BeginStateOptions {
  /** Short human description, e.g. `ingest 2026-01-31`, `load-dump x.sql.gz`. */
  label?: string;
  /** Run id of the daily run (or backfill) that builds this state. */
  run?: string;
  /** The command line recorded in the writer lock; default `process.argv`. */
  command?: string;
}

/** A kept (published) state. */
export interface StateInfo {
  id: string;
  /** The state this one started from (null for the first state of a warehouse). */
  parent: string | null;
  createdAt: string;
  publishedAt: string;
  /** Last time this state became the current one (its publish, or a later rollback to it). */
  currentSince: string;
  label?: string;
  run?: string;
  /** Bytes on disk (DuckDB: the generation file; PostgreSQL: the schemas' total relation size). */
  sizeBytes: number;
  current: boolean;
}

/** One line of the warehouse history (audit trail), oldest first. */
export type StateEvent =
  | {
      event: "begun";
      at: string;
      id: string;
      parent: string | null;
      label?: string;
      run?: string;
      holder: string;
    }
  | { event: "published"; at: string; id: string; sizeBytes: number }
  | { event: "abandoned"; at: string; id: string; reason: string }
  | { event: "removed"; at: string; id: string; reason: "pruned" | "abandoned-leftover" }
  | { event: "rollback"; at: string; from: string | null; to: string; by: string; reason: string }
  | { event: "lock-takeover"; at: string; stale: string; by: string };

/** Reading: shared by read-only states and writers. */
export interface WarehouseSession {
  /** The state this session reads (and, for a writer, builds). */
  readonly stateId: string;
  readonly readOnly: boolean;
  /** One statement, with `?` parameters bound in order. Rows are normalized (see SqlValue). */
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult>;
  /** Tables (and views) of the state, schema-qualified, sorted. */
  listTables(schema?: string): Promise<{ schema: string; name: string; type: "table" | "view" }[]>;
  /** Releases the session. For a writer that has not published, this abandons the state. */
  close(): Promise<void>;
}

/** A published (current or kept) state opened read-only: writes are refused with a WarehouseError. */
export type StateReader = WarehouseSession;

/**
 * Rows appended in bulk to one table, values in the table schema's column order, typed as the
 * dump reader emits them (reader/types.ts `Value`). Text may also come as a Uint8Array of its
 * UTF-8 bytes (the reader's `textAsBytes`): stored as is when well-formed, otherwise decoded with
 * U+FFFD replacements like `Buffer.toString("utf8")` (the reader's string mode). Call `close()`
 * to flush.
 */
export interface TableAppender {
  append(rows: readonly (readonly Value[])[]): Promise<void>;
  /**
   * Optional fast path: the same rows laid out column by column (reader/column-batch.ts), in
   * order with the rows given to `append`. Callers fall back to `append(columnBatchRows(...))`
   * when an engine does not implement it.
   */
  appendColumns?(batch: ColumnBatch): Promise<void>;
  /** Flushes and releases; returns the number of rows appended through this appender. */
  close(): Promise<number>;
}

/**
 * The writer of a new state. Holds the warehouse's writer lock until `publish()`, `abandon()`
 * or `close()`. Long jobs (backfill) may later publish checkpoints; for now a checkpoint is
 * `publish()` followed by a new `beginState()` (see README.md).
 */
export interface StateWriter extends WarehouseSession {
  readonly parentId: string | null;
  /** Runs SQL: several statements when no params are given; returns rows changed by the last. */
  exec(sql: string, params?: readonly SqlParam[]): Promise<number>;
  createSchema(schema: string): Promise<void>;
  /**
   * Creates `schema.table` from a reader TableSchema with faithful engine types (the schema
   * is created if missing). `replace: true` drops an existing table of that name first.
   */
  createTable(schema: string, table: TableSchema, options?: { replace?: boolean }): Promise<void>;
  /** Opens a bulk appender on an existing table whose columns match `table`. */
  openAppender(schema: string, table: TableSchema): Promise<TableAppender>;
  /**
   * Runs `work` (a large load through appenders) with the engine set for bulk loading, and
   * sets it back afterwards, whatever happens. Results do not depend on it; speed and memory do.
   */
  bulkLoad<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Lets the engine's planner see what `schema.table` holds now that it was built or loaded in
   * bulk. Results do not depend on it; query plans do.
   */
  refreshStatistics(schema: string, table: string): Promise<void>;
  /** Makes this state the published one, atomically; prunes states beyond the kept count. */
  publish(): Promise<StateInfo>;
  /** Throws the state away; the published state is untouched. */
  abandon(reason?: string): Promise<void>;
}

export interface Warehouse {
  /** Where the warehouse lives (a folder, or later a postgres:// URL without password). */
  readonly location: string;
  readonly engine: "duckdb" | "postgres";
  /** Begins a new state (a copy of the published one, or empty). Fails if another writer holds the warehouse. */
  beginState(options?: BeginStateOptions): Promise<StateWriter>;
  /** Opens the published state read-only; fails with a WarehouseError when nothing is published yet. */
  openPublished(): Promise<StateReader>;
  /** Opens a kept state read-only. */
  openState(id: string): Promise<StateReader>;
  /** The published state's id (null when none): cheap, for long-lived readers to notice a publish. */
  publishedStateId(): Promise<string | null>;
  /**
   * Who holds the writer lock now, described for a log line (pid, host, since, command); null
   * when the warehouse is free. A holder that died without releasing counts as free (its lock
   * is taken over by the next writer). For schedulers deciding whether to start a writer.
   */
  writerHolder(): Promise<string | null>;
  /** Kept states, most recently current first. */
  listStates(): Promise<StateInfo[]>;
  /** The warehouse history, oldest first: begun, published, abandoned, removed, rollback, lock takeover. */
  history(): Promise<StateEvent[]>;
  /** Makes a kept state current in one step, recording who and why. Takes the writer lock briefly. */
  rollback(id: string, record: { by: string; reason: string }): Promise<StateInfo>;
  /** Closes every session still open from this handle (abandoning an unpublished writer) and engine resources. */
  close(): Promise<void>;
}

export interface OpenWarehouseOptions {
  /** Published states kept for rollback (setting `keepGenerations`, default 7). */
  keep?: number;
  /** Clock, for tests. */
  now?: () => Date;
}
