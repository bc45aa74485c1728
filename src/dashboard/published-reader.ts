/**
 * Read-only access to the published warehouse state for a long-lived server: the reader is
 * reopened when a new state is published (noticed through `publishedStateId()`).
 */
import type { SqlParam, QueryResult, StateReader, Warehouse } from "../warehouse/warehouse.js";

export interface PublishedReader {
  /** Runs a read-only query on the current published state; null when nothing is published. */
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult | null>;
  close(): Promise<void>;
}

export function createPublishedReader(warehouse: Warehouse): PublishedReader {
  let current: { id: string; reader: Promise<StateReader> } | null = null;
  return {
    async query(sql, params) {
      const id = await warehouse.publishedStateId();
      if (id === null) return null;
      if (current?.id !== id) {
        const old = current;
        current = { id, reader: warehouse.openPublished() };
        if (old) void old.reader.then((r) => r.close()).catch(() => undefined);
      }
      const reader = await current.reader;
      return reader.query(sql, params);
    },
    async close() {
      if (current) await (await current.reader).close();
      current = null;
    },
  };
}
