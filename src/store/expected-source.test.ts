import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { resolveExpectedSource } from "./expected-source.js";
import { listDumpStatuses } from "./list-dump-statuses.js";
import { addDump } from "./testing/store-fixture.js";
import { useTempDirs } from "./testing/temp-dirs.js";

const { localStore: newStore } = useTempDirs();
const none = { expectedSourceHost: undefined, expectedSourceDatabase: undefined };

describe("expected source", () => {
  it("comes from settings when host and database are configured, even if source.json exists", async () => {
    const store = await newStore();
    await store.put("source.json", JSON.stringify({ source_host: "demo", source_database: "demo" }));
    const s = await resolveExpectedSource(store, { expectedSourceHost: "h", expectedSourceDatabase: "d" });
    expect(s).toMatchObject({ host: "h", database: "d", origin: "settings" });
  });

  it("falls back to source.json at the store root and says so", async () => {
    const store = await newStore();
    await store.put(
      "source.json",
      JSON.stringify({ source_host: "demo-db", source_database: "gghouse_demo" }),
    );
    const s = await resolveExpectedSource(store, none);
    expect(s).toMatchObject({ host: "demo-db", database: "gghouse_demo", origin: "store-source-json" });
    expect(s.note).toContain(`${store.location}/source.json`);
    expect(s.note).toContain("TOKYOBETA_EXPECTED_SOURCE_HOST");
  });

  it("drives drift checks when it is the fallback", async () => {
    const store = await newStore();
    await store.put("source.json", JSON.stringify({ source_host: "demo-db", source_database: "gghouse" }));
    await addDump(store, "2026-01-10", { manifest: { source_host: "demo-db" } });
    await addDump(store, "2026-01-11");
    const list = await listDumpStatuses(store, { dumpPrefix: "gghouse", ...none }, { checksum: "skip" });
    expect(list.expectedSource.origin).toBe("store-source-json");
    expect(list.dates.map((d) => [d.date, d.rejections.map((r) => r.code)])).toEqual([
      ["2026-01-10", []],
      ["2026-01-11", ["source_drift"]],
    ]);
  });

  it("is a configuration error, telling how to configure it, when there is neither", async () => {
    const store = await newStore();
    const err = await resolveExpectedSource(store, none).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/expected_source\.host/);
    expect((err as Error).message).toMatch(/TOKYOBETA_EXPECTED_SOURCE_HOST/);
    expect((err as Error).message).toMatch(/source\.json/);
  });

  it("is a configuration error when only one of host and database is set", async () => {
    const store = await newStore();
    await expect(resolveExpectedSource(store, { ...none, expectedSourceHost: "h" })).rejects.toThrow(
      /expected_source\.database .* is not set/,
    );
  });

  it("is a configuration error when source.json is malformed", async () => {
    const store = await newStore();
    await store.put("source.json", JSON.stringify({ source_host: "h" }));
    await expect(resolveExpectedSource(store, none)).rejects.toThrow(/source_database/);
    await store.put("source.json", "{");
    await expect(resolveExpectedSource(store, none)).rejects.toBeInstanceOf(ConfigError);
  });
});
