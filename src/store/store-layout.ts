/**
 * Where things live in a dump store, and one listing of it ("catalog") that the candidate
 * checks share so that a listing of a year of dumps costs two LIST calls, not 700 HEADs.
 *
 *   dumps/<prefix>_YYYYMMDD.sql | .sql.gz
 *   dumps-manifest/<prefix>_YYYYMMDD.json
 *   dumps-manifest/quarantine_index_*.json
 *   quarantine/<CODE>/<YYYY-MM-DD>/...
 *   processed/...
 *   source.json
 */
import type { DumpStore, StoreObjectInfo } from "./dump-store.js";
import { compactDate, fromCompactDate } from "./dates.js";

export const DUMPS_DIR = "dumps";
export const MANIFESTS_DIR = "dumps-manifest";
export const QUARANTINE_DIR = "quarantine";
export const PROCESSED_DIR = "processed";
export const SOURCE_FILE = "source.json";
export const QUARANTINE_INDEX_PREFIX = `${MANIFESTS_DIR}/quarantine_index_`;

export function dumpKeys(prefix: string, date: string): { sql: string; gz: string } {
  const base = `${DUMPS_DIR}/${prefix}_${compactDate(date)}`;
  return { sql: `${base}.sql`, gz: `${base}.sql.gz` };
}

export function manifestKey(prefix: string, date: string): string {
  return `${MANIFESTS_DIR}/${prefix}_${compactDate(date)}.json`;
}

/** `dumps-manifest/quarantine_index_*.json`, directly in dumps-manifest/. */
export function isQuarantineIndexKey(key: string): boolean {
  return (
    key.startsWith(QUARANTINE_INDEX_PREFIX) &&
    key.endsWith(".json") &&
    !key.includes("/", QUARANTINE_INDEX_PREFIX.length)
  );
}

export function baseName(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

/** What the store holds for each date, from one listing of dumps/ and dumps-manifest/. */
export interface StoreCatalog {
  prefix: string;
  /** Dump objects by date (one, or both .sql and .sql.gz). */
  dumps: Map<string, StoreObjectInfo[]>;
  manifests: Map<string, StoreObjectInfo>;
  /** Keys of quarantine index files. */
  quarantineIndexKeys: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export async function loadCatalog(store: DumpStore, prefix: string): Promise<StoreCatalog> {
  const p = escapeRegExp(prefix);
  const dumpName = new RegExp(`^${DUMPS_DIR}/${p}_(\\d{8})\\.sql(\\.gz)?$`);
  const manifestName = new RegExp(`^${MANIFESTS_DIR}/${p}_(\\d{8})\\.json$`);
  const [dumpObjects, manifestObjects] = await Promise.all([
    store.list(`${DUMPS_DIR}/`),
    store.list(`${MANIFESTS_DIR}/`),
  ]);
  const catalog: StoreCatalog = { prefix, dumps: new Map(), manifests: new Map(), quarantineIndexKeys: [] };
  for (const o of dumpObjects) {
    const date = fromCompactDate(dumpName.exec(o.key)?.[1] ?? "");
    if (!date) continue;
    const list = catalog.dumps.get(date) ?? [];
    list.push(o);
    catalog.dumps.set(date, list);
  }
  for (const o of manifestObjects) {
    if (isQuarantineIndexKey(o.key)) {
      catalog.quarantineIndexKeys.push(o.key);
      continue;
    }
    const date = fromCompactDate(manifestName.exec(o.key)?.[1] ?? "");
    if (date) catalog.manifests.set(date, o);
  }
  return catalog;
}

/** Catalog of a single date, from HEAD requests (cheaper than listing a big store). */
export async function loadDateCatalog(store: DumpStore, prefix: string, date: string): Promise<StoreCatalog> {
  const keys = dumpKeys(prefix, date);
  const [sql, gz, manifest, indexes] = await Promise.all([
    store.stat(keys.sql),
    store.stat(keys.gz),
    store.stat(manifestKey(prefix, date)),
    store.list(QUARANTINE_INDEX_PREFIX),
  ]);
  const dumps = [sql, gz].filter((o): o is StoreObjectInfo => o !== undefined);
  const catalog: StoreCatalog = { prefix, dumps: new Map(), manifests: new Map(), quarantineIndexKeys: [] };
  if (dumps.length > 0) catalog.dumps.set(date, dumps);
  if (manifest) catalog.manifests.set(date, manifest);
  catalog.quarantineIndexKeys = indexes.map((o) => o.key).filter(isQuarantineIndexKey);
  return catalog;
}
