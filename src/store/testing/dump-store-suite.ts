/**
 * Conformance suite every DumpStore implementation must pass, run against a real folder and
 * a real S3-protocol server (see *.test.ts). `newStore` returns an empty store.
 */
import { describe, expect, it } from "vitest";
import type { DumpStore } from "../dump-store.js";
import { StoreError } from "../store-error.js";
import { readAll } from "./store-fixture.js";

export function runDumpStoreSuite(name: string, newStore: () => Promise<DumpStore>): void {
  describe(`DumpStore conformance: ${name}`, () => {
    it("reads back what was put, and reports missing objects as undefined", async () => {
      const store = await newStore();
      await store.put("dumps-manifest/a.json", '{"x":"日本語"}');
      expect(await store.readText("dumps-manifest/a.json")).toBe('{"x":"日本語"}');
      expect(await store.readText("dumps-manifest/missing.json")).toBeUndefined();
      expect(await store.stat("dumps-manifest/missing.json")).toBeUndefined();
      const info = await store.stat("dumps-manifest/a.json");
      expect(info?.key).toBe("dumps-manifest/a.json");
      expect(info?.size).toBe(Buffer.byteLength('{"x":"日本語"}'));
      expect(info?.modifiedAt).toBeInstanceOf(Date);
    });

    it("lists every object under a key prefix, recursively and sorted, and nothing else", async () => {
      const store = await newStore();
      for (const k of [
        "dumps/b.sql",
        "dumps/a.sql.gz",
        "dumps-manifest/a.json",
        "quarantine/X/2026-01-01/a.sql",
        "source.json",
      ]) {
        await store.put(k, k);
      }
      expect((await store.list("dumps/")).map((o) => o.key)).toEqual(["dumps/a.sql.gz", "dumps/b.sql"]);
      expect((await store.list("dumps")).map((o) => o.key)).toEqual([
        "dumps-manifest/a.json",
        "dumps/a.sql.gz",
        "dumps/b.sql",
      ]);
      expect((await store.list("quarantine/")).map((o) => o.key)).toEqual(["quarantine/X/2026-01-01/a.sql"]);
      expect((await store.list("dumps-manifest/a")).map((o) => o.key)).toEqual(["dumps-manifest/a.json"]);
      expect(await store.list("processed/")).toEqual([]);
      const [first] = await store.list("dumps/a");
      expect(first?.size).toBe("dumps/a.sql.gz".length);
    });

    it("streams binary objects byte for byte", async () => {
      const store = await newStore();
      const bytes = Buffer.alloc(300_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
      await store.put("dumps/big.sql.gz", bytes);
      expect((await readAll(store, "dumps/big.sql.gz")).equals(bytes)).toBe(true);
      await expect(store.openRead("dumps/none.sql")).rejects.toBeInstanceOf(StoreError);
    });

    it("gives an object a new version when its bytes change", async () => {
      const store = await newStore();
      await store.put("dumps/v.sql", "aaaa");
      const before = await store.stat("dumps/v.sql");
      await store.put("dumps/v.sql", "bbbb");
      const after = await store.stat("dumps/v.sql");
      expect(after?.size).toBe(before?.size);
      expect(after?.version).not.toBe(before?.version);
    });

    it("copies without touching the source", async () => {
      const store = await newStore();
      await store.put("dumps/c.sql", "copy me");
      await store.copy("dumps/c.sql", "processed/c.sql");
      expect(await store.readText("dumps/c.sql")).toBe("copy me");
      expect(await store.readText("processed/c.sql")).toBe("copy me");
      await expect(store.copy("dumps/none.sql", "processed/none.sql")).rejects.toBeInstanceOf(StoreError);
    });

    it("moves: the bytes arrive at the destination and leave the source", async () => {
      const store = await newStore();
      await store.put("dumps/m.sql", "move me");
      await store.move("dumps/m.sql", "quarantine/bad/2026-01-01/m.sql");
      expect(await store.readText("quarantine/bad/2026-01-01/m.sql")).toBe("move me");
      expect(await store.stat("dumps/m.sql")).toBeUndefined();
      await expect(store.move("dumps/m.sql", "elsewhere/m.sql")).rejects.toBeInstanceOf(StoreError);
    });

    it("refuses keys that could escape the store", async () => {
      const store = await newStore();
      await expect(store.put("../outside.json", "x")).rejects.toBeInstanceOf(StoreError);
      await expect(store.readText("dumps/../../x")).rejects.toBeInstanceOf(StoreError);
      await expect(store.stat("/etc/passwd")).rejects.toBeInstanceOf(StoreError);
    });
  });
}
