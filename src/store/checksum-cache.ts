/**
 * SHA-256 of stored dump bytes, and a small cache of digests already computed so that
 * `dumps list` does not re-read gigabytes every time. The cache maps
 * (store location, key, size, version) -> digest, where version is the S3 ETag or the file's
 * modification time; any change to the object changes the key, so a stale digest is never
 * reused. The cache holds computed digests, not verdicts: the comparison with the manifest
 * is made fresh every time.
 *
 * Location: `$TOKYOBETA_CACHE_DIR/dump-sha256.json`, else `$XDG_CACHE_HOME/tokyobeta/…`,
 * else `~/.cache/tokyobeta/…`. Never inside the dump store.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DumpStore, StoreObjectInfo } from "./dump-store.js";

const MAX_ENTRIES = 5000;
const CACHE_FILE = "dump-sha256.json";

/** Streams an object through SHA-256; returns the lowercase hex digest and the bytes read. */
export async function sha256OfObject(
  store: DumpStore,
  key: string,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = await store.openRead(key);
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    hash.update(buf);
  }
  return { sha256: hash.digest("hex"), bytes };
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOKYOBETA_CACHE_DIR) return path.resolve(env.TOKYOBETA_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
  return path.join(base, "tokyobeta");
}

interface CacheEntry {
  sha256: string;
  computedAt: string;
}

export class ChecksumCache {
  readonly file: string;
  private entries: Map<string, CacheEntry> | undefined;
  private dirty = false;

  constructor(dir: string = defaultCacheDir()) {
    this.file = path.join(dir, CACHE_FILE);
  }

  private static keyOf(store: DumpStore, info: StoreObjectInfo): string {
    return JSON.stringify([store.location, info.key, info.size, info.version]);
  }

  private async load(): Promise<Map<string, CacheEntry>> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const doc = JSON.parse(await readFile(this.file, "utf8")) as { entries?: Record<string, CacheEntry> };
      for (const [k, v] of Object.entries(doc.entries ?? {})) {
        if (v && typeof v.sha256 === "string" && /^[0-9a-f]{64}$/.test(v.sha256)) this.entries.set(k, v);
      }
    } catch {
      // Missing or unreadable cache: start empty; it is only a cache.
    }
    return this.entries;
  }

  async get(store: DumpStore, info: StoreObjectInfo): Promise<string | undefined> {
    return (await this.load()).get(ChecksumCache.keyOf(store, info))?.sha256;
  }

  async set(store: DumpStore, info: StoreObjectInfo, sha256: string): Promise<void> {
    const entries = await this.load();
    const k = ChecksumCache.keyOf(store, info);
    entries.delete(k); // re-insert at the end: insertion order is age order
    entries.set(k, { sha256, computedAt: new Date().toISOString() });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    this.dirty = true;
  }

  /** Writes the cache file if anything changed (atomically; failures are ignored). */
  async save(): Promise<void> {
    if (!this.dirty || !this.entries) return;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }), "utf8");
      await rename(tmp, this.file);
      this.dirty = false;
    } catch {
      // A cache that cannot be written only costs time on the next listing.
    }
  }
}

/**
 * The dump's SHA-256: from the cache when `cache` is given, `reuse` is true and the cache
 * knows this exact object; otherwise by reading every byte (and remembering the result when
 * a cache is given).
 */
export async function dumpSha256(
  store: DumpStore,
  info: StoreObjectInfo,
  cache?: ChecksumCache,
  reuse = true,
): Promise<{ sha256: string; fromCache: boolean }> {
  const cached = cache && reuse ? await cache.get(store, info) : undefined;
  if (cached) return { sha256: cached, fromCache: true };
  const { sha256 } = await sha256OfObject(store, info.key);
  if (cache) await cache.set(store, info, sha256);
  return { sha256, fromCache: false };
}
