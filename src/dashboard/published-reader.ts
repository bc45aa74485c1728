/**
 * Read-only access to the published warehouse state for a long-lived server: the reader is
 * reopened when a new state is published (noticed through `publishedStateId()`), so pages keep
 * serving the previous state while a run builds and pick up a publish without a restart. The
 * previous reader is closed once the queries still running on it (a long CSV download) end.
 *
 * `cached()` answers repeated queries (the Overview under load, the filter options) from a
 * small cache keyed by the published state id, the SQL and its parameters; a publish changes
 * the state id, which empties the cache.
 */
import type { SqlParam, QueryResult, StateReader, Warehouse } from "../warehouse/warehouse.js";

export interface PublishedReader {
  /** Runs a read-only query on the current published state; null when nothing is published. */
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult | null>;
  /** As query(), answered from the cache of the current state when asked before. */
  cached(sql: string, params?: readonly SqlParam[]): Promise<QueryResult | null>;
  /** The id of the published state now (null when nothing is published). */
  stateId(): Promise<string | null>;
  /**
   * The current state held open for several queries that must read the same state (a CSV
   * downloaded page by page); null when nothing is published. Call release() when done.
   */
  pin(): Promise<PinnedState | null>;
  close(): Promise<void>;
}

export interface PinnedState {
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult>;
  release(): void;
}

/** Entries kept per state before the cache starts over (filters make keys vary). */
const MAX_CACHE_ENTRIES = 2000;

interface OpenState {
  id: string;
  reader: Promise<StateReader>;
  running: number;
  retired: boolean;
}

function closeWhenIdle(state: OpenState): void {
  if (state.retired && state.running === 0) {
    void state.reader.then((r) => r.close()).catch(() => undefined);
  }
}

/**
 * All the dashboard may do with a warehouse: read its published state. No writer, no rollback,
 * by type; on PostgreSQL a role granted by `warehouse grant-readonly` is enough.
 */
export type PublishedWarehouse = Pick<Warehouse, "publishedStateId" | "openPublished">;

export function createPublishedReader(warehouse: PublishedWarehouse): PublishedReader {
  let current: OpenState | null = null;
  let cache = new Map<string, Promise<QueryResult>>();

  async function currentState(): Promise<OpenState | null> {
    const id = await warehouse.publishedStateId();
    if (id === null) return null;
    if (current?.id !== id) {
      const old = current;
      current = { id, reader: warehouse.openPublished(), running: 0, retired: false };
      cache = new Map();
      if (old) {
        old.retired = true;
        closeWhenIdle(old);
      }
    }
    return current;
  }

  async function run(sql: string, params?: readonly SqlParam[]): Promise<QueryResult | null> {
    const state = await currentState();
    if (!state) return null;
    state.running++;
    try {
      return await (await state.reader).query(sql, params);
    } finally {
      state.running--;
      closeWhenIdle(state);
    }
  }

  return {
    query: run,
    async cached(sql, params) {
      const state = await currentState();
      if (!state) return null;
      const key = JSON.stringify([sql, params ?? []], (_k, v: unknown) =>
        typeof v === "bigint" ? v.toString() : v,
      );
      const hit = cache.get(key);
      if (hit) return hit;
      if (cache.size >= MAX_CACHE_ENTRIES) cache = new Map();
      const entries = cache;
      const answer = run(sql, params).then((r) => {
        if (r === null) throw new Error("the published state disappeared");
        return r;
      });
      entries.set(key, answer);
      // A failed query is not remembered: the next request tries again.
      answer.catch(() => entries.delete(key));
      return answer;
    },
    stateId: () => warehouse.publishedStateId(),
    async pin() {
      const state = await currentState();
      if (!state) return null;
      state.running++;
      let released = false;
      return {
        query: async (sql, params) => (await state.reader).query(sql, params),
        release() {
          if (released) return;
          released = true;
          state.running--;
          closeWhenIdle(state);
        },
      };
    },
    async close() {
      const state = current;
      current = null;
      cache = new Map();
      if (state) await (await state.reader).close();
    },
  };
}
