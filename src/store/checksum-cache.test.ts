import { describe, expect, it } from "vitest";
import { ChecksumCache, defaultCacheDir } from "./checksum-cache.js";
import { listDumpStatuses } from "./list-dump-statuses.js";
import { LocalDumpStore } from "./local-dump-store.js";
import { CountingStore } from "./testing/counting-store.js";
import { addDump, SETTINGS } from "./testing/store-fixture.js";
import { useTempDirs } from "./testing/temp-dirs.js";

const { dir } = useTempDirs();

describe("checksum cache", () => {
  it("lets a second listing skip reading dumps it has already hashed", async () => {
    const store = new CountingStore(new LocalDumpStore(await dir()));
    await addDump(store, "2026-01-10");
    await addDump(store, "2026-01-11", { gz: true });
    const cacheDir = await dir();
    const first = await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    expect(store.opened).toHaveLength(2);
    expect(first.dates.every((d) => d.valid && d.checksumFromCache === false)).toBe(true);
    store.opened.length = 0;
    const second = await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    expect(store.opened).toEqual([]);
    expect(second.dates.map((d) => [d.valid, d.checksum, d.checksumFromCache])).toEqual([
      [true, "verified", true],
      [true, "verified", true],
    ]);
  });

  it("re-reads a dump whose bytes changed, and still catches the mismatch", async () => {
    const store = new CountingStore(new LocalDumpStore(await dir()));
    const { dumpKey } = await addDump(store, "2026-01-10");
    const cacheDir = await dir();
    await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    await store.put(dumpKey, "-- replaced");
    store.opened.length = 0;
    const again = await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    expect(store.opened).toEqual([dumpKey]);
    expect(again.dates[0]?.rejections.map((r) => r.code)).toEqual(["checksum_mismatch"]);
  });

  it("compares the cached digest with the manifest every time", async () => {
    const store = new LocalDumpStore(await dir());
    await addDump(store, "2026-01-10");
    const cacheDir = await dir();
    await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    await addDump(store, "2026-01-10", { noDump: true, manifest: { dump_sha256: "f".repeat(64) } });
    const again = await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    expect(again.dates[0]?.rejections.map((r) => r.code)).toEqual(["checksum_mismatch"]);
  });

  it("survives a corrupt cache file by starting over", async () => {
    const store = new CountingStore(new LocalDumpStore(await dir()));
    await addDump(store, "2026-01-10");
    const cacheDir = await dir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(new ChecksumCache(cacheDir).file, "garbage");
    const list = await listDumpStatuses(store, SETTINGS, { cache: new ChecksumCache(cacheDir) });
    expect(list.dates[0]?.valid).toBe(true);
    expect(store.opened).toHaveLength(1);
  });

  it("lives under TOKYOBETA_CACHE_DIR, XDG_CACHE_HOME or ~/.cache, never in the store", () => {
    expect(defaultCacheDir({ TOKYOBETA_CACHE_DIR: "/x/c" })).toBe("/x/c");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/xdg" })).toBe("/x/xdg/tokyobeta");
    expect(defaultCacheDir({})).toMatch(/\.cache\/tokyobeta$/);
  });
});
