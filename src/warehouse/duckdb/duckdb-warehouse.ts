/**
 * The DuckDB engine: a warehouse folder of generation files (layout in duckdb-states.ts).
 * DuckDB lets one process write a file or many read it, so every writer works on its own
 * copy of the published generation and publishing switches a pointer file atomically.
 */
import { existsSync } from "node:fs";
import { WarehouseError } from "../../errors.js";
import type {
  BeginStateOptions,
  OpenWarehouseOptions,
  StateEvent,
  StateInfo,
  StateReader,
  StateWriter,
  Warehouse,
  WarehouseSession,
} from "../warehouse.js";
import { acquireWriterLock, describeCurrentHolder, describeHolder } from "./duckdb-lock.js";
import { DuckDBStateReader, duckdbError } from "./duckdb-session.js";
import {
  FORMAT,
  appendHistory,
  assertWarehouseFolder,
  copyGeneration,
  ensureWarehouseFolder,
  generationFile,
  isStateId,
  layoutOf,
  newStateId,
  readHistory,
  readPointer,
  removeGeneration,
  removeLeftovers,
  writePointer,
  type Layout,
  type Pointer,
} from "./duckdb-states.js";
import { DuckDBStateWriter } from "./duckdb-writer.js";
import { currentCommand } from "../writer-command.js";

export const DEFAULT_KEEP = 7;

export class DuckDBWarehouse implements Warehouse {
  readonly engine = "duckdb";
  readonly location: string;
  private readonly layout: Layout;
  private readonly keep: number;
  private readonly now: () => Date;
  private readonly sessions = new Set<WarehouseSession>();

  constructor(folder: string, options: OpenWarehouseOptions = {}) {
    this.layout = layoutOf(folder);
    this.location = this.layout.root;
    this.keep = options.keep ?? DEFAULT_KEEP;
    if (!Number.isInteger(this.keep) || this.keep < 1) {
      throw new WarehouseError(`keep must be a whole number of states, at least 1 (got ${this.keep})`);
    }
    this.now = options.now ?? (() => new Date());
  }

  async beginState(options: BeginStateOptions = {}): Promise<StateWriter> {
    const layout = this.layout;
    await ensureWarehouseFolder(layout, this.now());
    const lock = await acquireWriterLock(layout.lock, options.command ?? currentCommand(), this.now);
    const at = this.now().toISOString();
    let id: string | undefined;
    try {
      if (lock.replaced) {
        await appendHistory(layout, {
          event: "lock-takeover",
          at,
          stale: describeHolder(lock.replaced),
          by: describeHolder(lock.holder),
        });
      }
      const pointer = await readPointer(layout);
      const kept = new Set(pointer?.states.map((s) => s.id) ?? []);
      for (const leftover of await removeLeftovers(layout, kept)) {
        await appendHistory(layout, { event: "removed", at, id: leftover, reason: "abandoned-leftover" });
      }
      id = newStateId(this.now());
      if (pointer) {
        const source = generationFile(layout, pointer.current);
        if (!existsSync(source)) throw new WarehouseError(`the published generation ${source} is missing`);
        await copyGeneration(source, generationFile(layout, id));
      }
      const writer = await DuckDBStateWriter.open({
        layout,
        lock,
        keep: this.keep,
        now: this.now,
        id,
        parent: pointer?.current ?? null,
        createdAt: at,
        label: options.label,
        run: options.run,
      });
      await appendHistory(layout, {
        event: "begun",
        at,
        id,
        parent: pointer?.current ?? null,
        label: options.label,
        run: options.run,
        holder: describeHolder(lock.holder),
      });
      return this.track(writer);
    } catch (err) {
      if (id !== undefined) await removeGeneration(layout, id).catch(() => undefined);
      await lock.release();
      throw duckdbError("cannot begin a new state", err);
    }
  }

  async openPublished(): Promise<StateReader> {
    await assertWarehouseFolder(this.layout);
    for (let attempt = 0; ; attempt++) {
      const pointer = await readPointer(this.layout);
      if (!pointer) throw new WarehouseError(`nothing is published yet in ${this.location}`);
      try {
        return await this.openReader(pointer.current);
      } catch (err) {
        // A publish with pruning can remove the file between reading CURRENT and opening it.
        const now = await readPointer(this.layout);
        if (attempt < 3 && now?.current !== pointer.current) continue;
        throw err;
      }
    }
  }

  async openState(id: string): Promise<StateReader> {
    await assertWarehouseFolder(this.layout);
    const pointer = await readPointer(this.layout);
    if (!isStateId(id) || !pointer?.states.some((s) => s.id === id)) throw this.notKept(id, pointer);
    return this.openReader(id);
  }

  async publishedStateId(): Promise<string | null> {
    if (!existsSync(this.layout.marker)) return null;
    return (await readPointer(this.layout))?.current ?? null;
  }

  async writerHolder(): Promise<string | null> {
    // No marker check: a first writer may hold the lock of a folder it is still setting up.
    return describeCurrentHolder(this.layout.lock);
  }

  async listStates(): Promise<StateInfo[]> {
    await assertWarehouseFolder(this.layout);
    const pointer = await readPointer(this.layout);
    return (pointer?.states ?? []).map((s) => ({ ...s, current: s.id === pointer!.current }));
  }

  async history(): Promise<StateEvent[]> {
    await assertWarehouseFolder(this.layout);
    return readHistory(this.layout);
  }

  async rollback(id: string, record: { by: string; reason: string }): Promise<StateInfo> {
    if (record.reason.trim() === "") throw new WarehouseError("a rollback needs a reason");
    if (record.by.trim() === "") throw new WarehouseError("a rollback needs to say who does it");
    await assertWarehouseFolder(this.layout);
    const lock = await acquireWriterLock(this.layout.lock, `rollback ${id}`, this.now);
    try {
      const pointer = await readPointer(this.layout);
      const target = pointer?.states.find((s) => s.id === id);
      if (!pointer || !target) throw this.notKept(id, pointer);
      if (pointer.current === id) throw new WarehouseError(`state ${id} is already the current state`);
      if (!existsSync(generationFile(this.layout, id))) {
        throw new WarehouseError(`the generation file of state ${id} is missing`);
      }
      const at = this.now().toISOString();
      const updated = { ...target, currentSince: at };
      await writePointer(this.layout, {
        format: FORMAT,
        current: id,
        changedAt: at,
        states: [updated, ...pointer.states.filter((s) => s.id !== id)],
      });
      await appendHistory(this.layout, {
        event: "rollback",
        at,
        from: pointer.current,
        to: id,
        by: record.by,
        reason: record.reason,
      });
      return { ...updated, current: true };
    } finally {
      await lock.release();
    }
  }

  async close(): Promise<void> {
    for (const session of [...this.sessions]) await session.close();
  }

  private notKept(id: string, pointer: Pointer | null): WarehouseError {
    const kept = pointer?.states.map((s) => s.id).join(", ") || "none";
    return new WarehouseError(`state ${id} is not kept in ${this.location} (kept: ${kept})`);
  }

  private async openReader(id: string): Promise<StateReader> {
    const file = generationFile(this.layout, id);
    if (!existsSync(file))
      throw new WarehouseError(`the generation file of state ${id} is missing (${file})`);
    try {
      return this.track(await DuckDBStateReader.open(id, file));
    } catch (err) {
      throw duckdbError(`cannot open state ${id} read-only`, err);
    }
  }

  private track<S extends DuckDBStateReader | DuckDBStateWriter>(session: S): S {
    this.sessions.add(session);
    session.whenClosed = () => this.sessions.delete(session);
    return session;
  }
}
