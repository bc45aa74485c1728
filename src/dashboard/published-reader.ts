/**
 * Read-only access to the published warehouse state for a long-lived server: the reader is
 * reopened when a new state is published (noticed through `publishedStateId()`), so pages keep
 * serving the previous state while a run builds and pick up a publish without a restart.
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
  close(): Promise<void>;
}

/** Entries kept per state before the cache starts over (filters make keys vary). */
const MAX_CACHE_ENTRIES = 2000;

export function createPublishedReader(warehouse: Warehouse): PublishedReader {
  let current: { id: string; reader: Promise<StateReader> } | null = null;
  let cache = new Map<string, Promise<QueryResult>>();

  async function currentReader(): Promise<{ id: string; reader: StateReader } | null> {
    const id = await warehouse.publishedStateId();
    if (id === null) return null;
    if (current?.id !== id) {
      const old = current;
      current = { id, reader: warehouse.openPublished() };
      cache = new Map();
      if (old) void old.reader.then((r) => r.close()).catch(() => undefined);
    }
    return { id, reader: await current.reader };
  }

  return {
    async query(sql, params) {
      const session = await currentReader();
      return session ? session.reader.query(sql, params) : null;
    },
    async cached(sql, params) {
      const session = await currentReader();
      if (!session) return null;
      const key = JSON.stringify([sql, params ?? []], (_k, v: unknown) =>
        typeof v === "bigint" ? v.toString() : v,
      );
      const hit = cache.get(key);
      if (hit) return hit;
      if (cache.size >= MAX_CACHE_ENTRIES) cache = new Map();
      const answer = session.reader.query(sql, params);
      cache.set(key, answer);
      // A failed query is not remembered: the next request tries again.
      answer.catch(() => cache.delete(key));
      return answer;
    },
    stateId: () => warehouse.publishedStateId(),
    async close() {
      if (current) await (await current.reader).close();
      current = null;
      cache = new Map();
    },
  };
}
