/**
 * The PostgreSQL engine: a warehouse is one database, a state a set of schemas (layout and
 * bookkeeping in postgres-states.ts). A writer copies the published schemas under its state's
 * suffix and builds there; publishing renames schemas in one transaction; readers are pinned to
 * their state (postgres-session.ts).
 */
import type pg from "pg";
import { WarehouseError } from "../../errors.js";
import { isStateId, newStateId } from "../duckdb/duckdb-states.js";
import type {
  BeginStateOptions,
  OpenWarehouseOptions,
  StateEvent,
  StateInfo,
  StateReader,
  StateWriter,
  Warehouse,
} from "../warehouse.js";
import {
  acquirePostgresLock,
  describeHolder,
  describeLockHolder,
  type PostgresWriterLock,
} from "./postgres-lock.js";
import { PostgresStateReader, connectPostgres, postgresError, redactUrl } from "./postgres-session.js";
import {
  ENGINE_SCHEMA,
  LOCK_CLASS,
  SWAP_LOCK,
  appendHistory,
  engineSchemaExists,
  ensureEngineSchema,
  listSchemas,
  parseSchemaName,
  readCurrent,
  readHistory,
  readStates,
  schemaSizes,
  schemasOfState,
  writePointer,
} from "./postgres-states.js";
import {
  PostgresStateWriter,
  copyPublishedState,
  dropStateSchemas,
  pruneStates,
  swapSchemas,
} from "./postgres-writer.js";
import { currentCommand } from "../writer-command.js";

export const DEFAULT_KEEP = 7;

type Session = PostgresStateReader | PostgresStateWriter;

export class PostgresWarehouse implements Warehouse {
  readonly engine = "postgres";
  readonly location: string;
  private readonly keep: number;
  private readonly now: () => Date;
  private readonly sessions = new Set<Session>();
  private meta: Promise<pg.Client> | undefined;

  constructor(
    private readonly url: string,
    options: OpenWarehouseOptions = {},
  ) {
    this.location = redactUrl(url);
    this.keep = options.keep ?? DEFAULT_KEEP;
    if (!Number.isInteger(this.keep) || this.keep < 1) {
      throw new WarehouseError(`keep must be a whole number of states, at least 1 (got ${this.keep})`);
    }
    this.now = options.now ?? (() => new Date());
  }

  async beginState(options: BeginStateOptions = {}): Promise<StateWriter> {
    const client = await connectPostgres(this.url, "tokyobeta writer");
    let lock: PostgresWriterLock | undefined;
    let id: string | undefined;
    try {
      lock = await acquirePostgresLock(client, this.location, options.command ?? currentCommand(), this.now);
      await ensureEngineSchema(client, this.location, this.now());
      const at = this.now().toISOString();
      if (lock.replaced) {
        await appendHistory(client, {
          event: "lock-takeover",
          at,
          stale: describeHolder(lock.replaced),
          by: describeHolder(lock.holder),
        });
      }
      await this.removeLeftovers(client, at);
      const parent = await readCurrent(client);
      id = newStateId(this.now());
      await lock.record(id);
      const schemas = parent === null ? [] : await copyPublishedState(client, parent, id);
      const writer = new PostgresStateWriter({
        url: this.url,
        location: this.location,
        client,
        lock,
        keep: this.keep,
        now: this.now,
        id,
        parent,
        createdAt: at,
        label: options.label,
        run: options.run,
        schemas,
      });
      await appendHistory(client, {
        event: "begun",
        at,
        id,
        parent,
        label: options.label,
        run: options.run,
        holder: describeHolder(lock.holder),
      });
      return this.track(writer);
    } catch (err) {
      if (id !== undefined) await dropStateSchemas(client, id).catch(() => undefined);
      await lock?.release().catch(() => undefined);
      await client.end().catch(() => undefined);
      throw postgresError("cannot begin a new state", err);
    }
  }

  async openPublished(): Promise<StateReader> {
    const current = await this.publishedStateId();
    if (current === null) throw new WarehouseError(`nothing is published yet in ${this.location}`);
    return this.openReader(current);
  }

  async openState(id: string): Promise<StateReader> {
    const kept = await this.keptStates();
    if (!isStateId(id) || !kept.some((s) => s.id === id)) throw this.notKept(id, kept);
    return this.openReader(id);
  }

  async publishedStateId(): Promise<string | null> {
    try {
      return await readCurrent(await this.metaClient());
    } catch (err) {
      throw postgresError(`cannot read the published state of ${this.location}`, err);
    }
  }

  async writerHolder(): Promise<string | null> {
    try {
      return await describeLockHolder(await this.metaClient());
    } catch (err) {
      throw postgresError(`cannot read the writer lock of ${this.location}`, err);
    }
  }

  async listStates(): Promise<StateInfo[]> {
    const client = await this.metaClient();
    try {
      if (!(await engineSchemaExists(client))) return [];
      const current = await readCurrent(client);
      const [states, all, sizes] = [
        await readStates(client),
        await listSchemas(client),
        await schemaSizes(client),
      ];
      return states.map((s) => ({
        ...s,
        sizeBytes: schemasOfState(all, s.id, current).reduce(
          (sum, x) => sum + (sizes.get(x.physical) ?? 0),
          0,
        ),
        current: s.id === current,
      }));
    } catch (err) {
      throw postgresError(`cannot list the states of ${this.location}`, err);
    }
  }

  async history(): Promise<StateEvent[]> {
    return readHistory(await this.metaClient());
  }

  async rollback(id: string, record: { by: string; reason: string }): Promise<StateInfo> {
    if (record.reason.trim() === "") throw new WarehouseError("a rollback needs a reason");
    if (record.by.trim() === "") throw new WarehouseError("a rollback needs to say who does it");
    const client = await connectPostgres(this.url, "tokyobeta rollback");
    try {
      const lock = await acquirePostgresLock(client, this.location, `rollback ${id}`, this.now);
      try {
        return await this.swapTo(client, id, record);
      } finally {
        await lock.release().catch(() => undefined);
      }
    } catch (err) {
      throw postgresError(`rollback to ${id} failed`, err);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    for (const session of [...this.sessions]) await session.close().catch(() => undefined);
    const meta = this.meta;
    this.meta = undefined;
    if (meta) await (await meta.catch(() => undefined))?.end().catch(() => undefined);
  }

  /** The rollback transaction: state `id` becomes current, the previous one is kept. */
  private async swapTo(
    client: pg.Client,
    id: string,
    record: { by: string; reason: string },
  ): Promise<StateInfo> {
    await client.query(`BEGIN; SELECT pg_catalog.pg_advisory_xact_lock(${LOCK_CLASS}, ${SWAP_LOCK})`);
    try {
      const states = (await engineSchemaExists(client)) ? await readStates(client) : [];
      const target = states.find((s) => s.id === id);
      if (!target) throw this.notKept(id, states);
      const current = await readCurrent(client);
      if (current === id) throw new WarehouseError(`state ${id} is already the current state`);
      const at = this.now().toISOString();
      await swapSchemas(client, await listSchemas(client), current, id);
      await client.query(`UPDATE ${ENGINE_SCHEMA}.states SET current_since = $2 WHERE id = $1`, [id, at]);
      await writePointer(client, id, at);
      await appendHistory(client, {
        event: "rollback",
        at,
        from: current,
        to: id,
        by: record.by,
        reason: record.reason,
      });
      await client.query("COMMIT");
      return { ...target, currentSince: at, current: true };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  }

  /**
   * Removes schemas of states that are neither kept nor being built (killed writers, pruning
   * that was interrupted). Only safe while holding the writer lock.
   */
  private async removeLeftovers(client: pg.Client, at: string): Promise<void> {
    const kept = new Set((await readStates(client)).map((s) => s.id));
    const leftovers = new Set<string>();
    for (const name of await listSchemas(client)) {
      const { id } = parseSchemaName(name);
      if (id !== undefined && !kept.has(id)) leftovers.add(id);
    }
    for (const id of leftovers) {
      await dropStateSchemas(client, id);
      await appendHistory(client, { event: "removed", at, id, reason: "abandoned-leftover" });
    }
    // A kept list longer than keep (keep lowered since): prune now.
    await pruneStates(client, this.keep, at);
  }

  private async keptStates() {
    const client = await this.metaClient();
    return (await engineSchemaExists(client)) ? readStates(client) : [];
  }

  private notKept(id: string, kept: { id: string }[]): WarehouseError {
    const list = kept.map((s) => s.id).join(", ") || "none";
    return new WarehouseError(`state ${id} is not kept in ${this.location} (kept: ${list})`);
  }

  private async openReader(id: string): Promise<StateReader> {
    const client = await connectPostgres(this.url, "tokyobeta reader");
    return this.track(new PostgresStateReader(id, client));
  }

  private metaClient(): Promise<pg.Client> {
    this.meta ??= connectPostgres(this.url, "tokyobeta").catch((err: unknown) => {
      this.meta = undefined;
      throw err;
    });
    return this.meta;
  }

  private track<S extends Session>(session: S): S {
    this.sessions.add(session);
    session.whenClosed = () => this.sessions.delete(session);
    return session;
  }
}
