/**
 * The writer of a new DuckDB generation: SQL, tables from reader schemas, bulk appenders, and
 * the two ways out: publish (checkpoint, close, fsync, switch CURRENT atomically, prune) or
 * abandon (delete the generation). Holds the writer lock until then.
 *
 * Crash safety: until CURRENT is renamed, readers keep the previous state and the new file is
 * a leftover the next writer removes; after the rename the state is published and complete
 * (the file was checkpointed, closed and fsync'd before).
 */
import { existsSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { WarehouseError } from "../../errors.js";
import type { TableSchema } from "../../reader/types.js";
import { qualifiedName, quoteIdentifier } from "../quote-identifier.js";
import type { SqlParam, StateInfo, StateWriter, TableAppender } from "../warehouse.js";
import { DuckDBTableAppender } from "./duckdb-appender.js";
import type { WriterLock } from "./duckdb-lock.js";
import { DuckDBSession, duckdbError, toDuckDBParams } from "./duckdb-session.js";
import {
  FORMAT,
  appendHistory,
  fileSize,
  fsyncPath,
  generationFile,
  readPointer,
  removeGeneration,
  writePointer,
  type KeptState,
  type Layout,
} from "./duckdb-states.js";
import { duckdbColumnType } from "./duckdb-types.js";

/** DuckDB's memory limit while staging loads (its buffers beyond the batches in flight). */
const BULK_LOAD_MEMORY = "300MB";

export interface WriterContext {
  layout: Layout;
  lock: WriterLock;
  keep: number;
  now: () => Date;
  id: string;
  parent: string | null;
  createdAt: string;
  label?: string;
  run?: string;
}

export class DuckDBStateWriter extends DuckDBSession implements StateWriter {
  readonly readOnly = false;
  private readonly appenders = new Set<DuckDBTableAppender>();
  private outcome: "open" | "published" | "abandoned" = "open";

  private constructor(
    private readonly ctx: WriterContext,
    instance: DuckDBInstance,
    connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  ) {
    super(ctx.id, instance, connection);
  }

  /** Opens (creating if new) the generation file `ctx.id` read-write. */
  static async open(ctx: WriterContext): Promise<DuckDBStateWriter> {
    const instance = await DuckDBInstance.create(generationFile(ctx.layout, ctx.id));
    try {
      return new DuckDBStateWriter(ctx, instance, await instance.connect());
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  get parentId(): string | null {
    return this.ctx.parent;
  }

  async exec(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    this.ensureOpen();
    try {
      const result =
        params.length > 0
          ? await this.connection.run(sql, toDuckDBParams(params))
          : await this.connection.run(sql);
      return result.rowsChanged;
    } catch (err) {
      throw duckdbError(`SQL failed (state ${this.stateId})`, err);
    }
  }

  async createSchema(schema: string): Promise<void> {
    await this.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  }

  async createTable(schema: string, table: TableSchema, options: { replace?: boolean } = {}): Promise<void> {
    if (table.columns.length === 0) throw new WarehouseError(`table ${schema}.${table.name} has no columns`);
    const columns = table.columns
      .map((c) => `${quoteIdentifier(c.name)} ${duckdbColumnType(c)}`)
      .join(",\n  ");
    await this.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)};\n` +
        `CREATE ${options.replace ? "OR REPLACE " : ""}TABLE ${qualifiedName(schema, table.name)} (\n  ${columns}\n)`,
    );
  }

  async openAppender(schema: string, table: TableSchema): Promise<TableAppender> {
    this.ensureOpen();
    const appender = await DuckDBTableAppender.open(this.connection, schema, table, () =>
      this.appenders.delete(appender),
    );
    this.appenders.add(appender);
    return appender;
  }

  /**
   * While staging loads, DuckDB runs on one thread (the dump's parser has the other core), in
   * at most BULK_LOAD_MEMORY, and writes blocks uncompressed: compressing them cost about two
   * CPU-seconds of the 977 MB bench dump (load 9.5 s instead of 10.4, peak RSS 0.86 GB
   * instead of 0.93), at 1.6x the file size. Staging is replaced every day; marts and
   * histories written afterwards are compressed as usual.
   */
  async bulkLoad<T>(work: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    await this.connection.run(
      `SET threads = 1; SET memory_limit = '${BULK_LOAD_MEMORY}'; SET force_compression = 'uncompressed'`,
    );
    try {
      return await work();
    } finally {
      if (!this.closed)
        await this.connection.run("RESET threads; RESET memory_limit; RESET force_compression");
    }
  }

  /** DuckDB keeps its statistics up to date as it writes. */
  async refreshStatistics(): Promise<void> {
    this.ensureOpen();
  }

  async publish(): Promise<StateInfo> {
    this.ensureOpen();
    const { layout, lock, id } = this.ctx;
    const file = generationFile(layout, id);
    try {
      for (const appender of [...this.appenders]) await appender.close();
      if (!(await lock.stillHeld())) {
        throw new WarehouseError(
          `the writer lock ${lock.file} is no longer held by this writer; not publishing ${id}`,
        );
      }
      await this.connection.run("CHECKPOINT");
      this.closed = true;
      this.release();
      if (existsSync(`${file}.wal`))
        throw new WarehouseError(`${file}.wal still exists after checkpoint and close`);
      await fsyncPath(file);
      await fsyncPath(layout.generations);
    } catch (err) {
      await this.abandon(`publish failed: ${(err as Error).message}`);
      throw duckdbError(`publishing state ${id} failed; the published state is unchanged`, err);
    }

    const now = this.ctx.now().toISOString();
    const entry: KeptState = {
      id,
      parent: this.ctx.parent,
      createdAt: this.ctx.createdAt,
      publishedAt: now,
      currentSince: now,
      label: this.ctx.label,
      run: this.ctx.run,
      sizeBytes: await fileSize(file),
    };
    let pruned: KeptState[] = [];
    try {
      const previous = await readPointer(layout);
      const states = [entry, ...(previous?.states ?? [])];
      pruned = states.slice(this.ctx.keep);
      await writePointer(layout, {
        format: FORMAT,
        current: id,
        changedAt: now,
        states: states.slice(0, this.ctx.keep),
      });
    } catch (err) {
      await this.abandon(`publish failed: ${(err as Error).message}`);
      throw duckdbError(`publishing state ${id} failed; the published state is unchanged`, err);
    }
    // Published. What follows is housekeeping: if it is interrupted, the next writer removes
    // the files of pruned states as leftovers.
    this.outcome = "published";
    try {
      await appendHistory(layout, { event: "published", at: now, id, sizeBytes: entry.sizeBytes });
      for (const old of pruned) {
        await removeGeneration(layout, old.id);
        await appendHistory(layout, { event: "removed", at: now, id: old.id, reason: "pruned" });
      }
    } catch {
      // see above
    } finally {
      await lock.release();
      this.whenClosed?.();
    }
    return { ...entry, current: true };
  }

  async abandon(reason = "abandoned by the writer"): Promise<void> {
    if (this.outcome !== "open") return;
    this.outcome = "abandoned";
    const { layout, lock, id } = this.ctx;
    try {
      for (const appender of [...this.appenders]) await appender.close().catch(() => undefined);
      if (!this.closed) {
        this.closed = true;
        try {
          this.release();
        } catch {
          // the file is deleted below either way
        }
      }
      await removeGeneration(layout, id);
      await appendHistory(layout, { event: "abandoned", at: this.ctx.now().toISOString(), id, reason });
    } finally {
      await lock.release();
      this.whenClosed?.();
    }
  }

  /** Closing a writer that has not published abandons its state. */
  override async close(): Promise<void> {
    await this.abandon("closed without publishing");
  }

  protected override ensureOpen(): void {
    if (this.outcome !== "open")
      throw new WarehouseError(`state ${this.stateId} was already ${this.outcome}`);
    super.ensureOpen();
  }
}
