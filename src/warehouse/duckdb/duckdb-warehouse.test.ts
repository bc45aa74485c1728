/** The conformance suite on DuckDB, plus what is specific to generation files on disk. */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WarehouseError } from "../../errors.js";
import { openWarehouse } from "../open-warehouse.js";
import { loadPeople, runCrashWriter, runWarehouseSuite } from "../testing/warehouse-suite.js";
import type { Warehouse } from "../warehouse.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tempFolder(): string {
  const root = mkdtempSync(path.join(tmpdir(), "tokyobeta-wh-"));
  roots.push(root);
  return path.join(root, "warehouse");
}

runWarehouseSuite("DuckDB", async () => {
  const location = tempFolder();
  return {
    location,
    open: (options) => openWarehouse(location, options),
    dispose: async () => rmSync(path.dirname(location), { recursive: true, force: true }),
  };
});

async function publishOne(warehouse: Warehouse, names: string[]): Promise<string> {
  const writer = await warehouse.beginState();
  await loadPeople(writer, names);
  return (await writer.publish()).id;
}

const generations = (folder: string) => readdirSync(path.join(folder, "generations")).sort();

describe("DuckDB warehouse on disk", () => {
  it("is a folder of generation files, a CURRENT pointer and a history", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    const first = await publishOne(warehouse, ["a"]);
    const second = await publishOne(warehouse, ["b"]);
    expect(readdirSync(folder).sort()).toEqual(["CURRENT", "generations", "history.jsonl", "warehouse.json"]);
    expect(generations(folder)).toEqual([`${first}.duckdb`, `${second}.duckdb`].sort());
    const pointer = JSON.parse(readFileSync(path.join(folder, "CURRENT"), "utf8"));
    expect(pointer).toMatchObject({ format: 1, current: second });
    expect(pointer.states.map((s: { id: string }) => s.id)).toEqual([second, first]);
    expect(JSON.parse(readFileSync(path.join(folder, "warehouse.json"), "utf8"))).toMatchObject({
      engine: "duckdb",
    });
    const events = readFileSync(path.join(folder, "history.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).event);
    expect(events).toEqual(["begun", "published", "begun", "published"]);
  });

  it("deletes the files of pruned states", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder, { keep: 2 });
    const ids = [];
    for (const n of ["a", "b", "c"]) ids.push(await publishOne(warehouse, [n]));
    expect(generations(folder)).toEqual([`${ids[1]}.duckdb`, `${ids[2]}.duckdb`].sort());
  });

  it("removes the generation of a writer killed mid-state, and other leftovers, when the next writer begins", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    const first = await publishOne(warehouse, ["a"]);
    const crashed = await runCrashWriter(folder);
    expect(existsSync(path.join(folder, "writer.lock"))).toBe(true);
    expect(generations(folder)).toContain(`${crashed.id}.duckdb`);
    writeFileSync(path.join(folder, "generations", "20200101-000000-abcdef.duckdb.copying"), "partial copy");
    writeFileSync(path.join(folder, "CURRENT.tmp-1234-abcdef"), "{");

    const writer = await warehouse.beginState();
    const after = generations(folder);
    expect(after).toContain(`${first}.duckdb`);
    expect(after.filter((f) => f.startsWith(crashed.id) || f.startsWith("20200101"))).toEqual([]);
    expect(existsSync(path.join(folder, "CURRENT.tmp-1234-abcdef"))).toBe(false);
    const history = await warehouse.history();
    expect(history).toContainEqual(
      expect.objectContaining({
        event: "lock-takeover",
        stale: expect.stringContaining(`pid ${crashed.pid}`),
      }),
    );
    expect(history).toContainEqual(
      expect.objectContaining({ event: "removed", id: crashed.id, reason: "abandoned-leftover" }),
    );
    await writer.abandon();
    expect(generations(folder)).toEqual([`${first}.duckdb`]);
    expect(existsSync(path.join(folder, "writer.lock"))).toBe(false);
  });

  it("takes over a stale lock of a dead process, and refuses a live or foreign one", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    await publishOne(warehouse, ["a"]);
    const lockFile = path.join(folder, "writer.lock");
    const holder = (pid: number, host = hostname()) =>
      JSON.stringify({
        pid,
        host,
        startedAt: "2026-01-31T00:00:00.000Z",
        command: "tokyobeta run daily",
        token: `t${pid}`,
      });

    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    writeFileSync(lockFile, holder(Number(dead)));
    const writer = await warehouse.beginState();
    expect(JSON.parse(readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    await writer.abandon();

    writeFileSync(lockFile, holder(process.ppid));
    await expect(warehouse.beginState()).rejects.toThrow(
      new RegExp(`locked by another writer: pid ${process.ppid}.*tokyobeta run daily`),
    );
    writeFileSync(lockFile, holder(Number(dead), "elsewhere"));
    await expect(warehouse.beginState()).rejects.toThrow(
      /another host: pid \d+ on elsewhere.*remove .*writer\.lock/,
    );
    rmSync(lockFile);
    const ok = await warehouse.beginState();
    await ok.abandon();
  });

  it("lets a long-lived reader notice a publish by comparing state ids", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    await publishOne(warehouse, ["a"]);
    const reader = await warehouse.openPublished();
    expect(await warehouse.publishedStateId()).toBe(reader.stateId);
    await publishOne(warehouse, ["b"]);
    expect(await warehouse.publishedStateId()).not.toBe(reader.stateId);
    await reader.close();
  });

  it("refuses a non-empty folder that is not a warehouse, and reading where none exists", async () => {
    const folder = tempFolder();
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "notes.txt"), "mine");
    const warehouse = await openWarehouse(folder);
    await expect(warehouse.beginState()).rejects.toThrow(/not a tokyobeta warehouse/);
    expect(readdirSync(folder)).toEqual(["notes.txt"]);
    const missing = await openWarehouse(path.join(folder, "nothing-here"));
    await expect(missing.openPublished()).rejects.toThrow(/no warehouse at/);
    expect(await missing.publishedStateId()).toBeNull();
  });

  it("publishes a checkpointed file: no WAL left, readable by a fresh DuckDB", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    const id = await publishOne(warehouse, ["a", "b"]);
    expect(generations(folder)).toEqual([`${id}.duckdb`]);
  });

  it("loads in bulk on one thread, in 300 MB, uncompressed, then sets DuckDB back to its defaults", async () => {
    const warehouse = await openWarehouse(tempFolder());
    const writer = await warehouse.beginState();
    const settings = async () =>
      (
        await writer.query(
          "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory, " +
            "current_setting('force_compression') AS compression",
        )
      ).rows[0];
    const before = await settings();
    const during = await writer.bulkLoad(settings);
    expect(during).toEqual({
      threads: 1,
      memory: expect.stringMatching(/^(286\.1 MiB|300\.0 MB)$/),
      compression: "uncompressed",
    });
    expect(await settings()).toEqual(before);
    await expect(writer.bulkLoad(() => Promise.reject(new Error("bad dump")))).rejects.toThrow("bad dump");
    expect(await settings()).toEqual(before);
    await writer.abandon();
  });

  it("normalizes DuckDB-only result types", async () => {
    const folder = tempFolder();
    const warehouse = await openWarehouse(folder);
    const writer = await warehouse.beginState();
    const result = await writer.query(`SELECT
        TIMESTAMPTZ '2026-01-31 05:30:00.25+09' AS tz,
        INTERVAL 3 MONTH + INTERVAL 2 DAY AS months,
        INTERVAL 2 DAY + INTERVAL 90 MINUTE AS days,
        TIME '23:59:59.5' AS t,
        (2::HUGEINT ** 100)::HUGEINT AS huge,
        -(2::BIGINT ** 53)::BIGINT AS min_safe_minus_one,
        [1, 2] AS list,
        {'a': 1.5::DECIMAL(4,2)} AS struct,
        'infinity'::TIMESTAMP AS inf,
        DATE '2026-01-31' - DATE '2026-01-01' AS days_between`);
    expect(result.rows[0]).toEqual({
      tz: "2026-01-30T20:30:00.25Z",
      months: "3 months 2 days",
      days: "49:30:00",
      t: "23:59:59.5",
      huge: 2n ** 100n,
      min_safe_minus_one: -(2n ** 53n),
      list: [1, 2],
      struct: { a: "1.50" },
      inf: "infinity",
      days_between: 30,
    });
    expect(result.columns.map((c) => c.kind)).toEqual([
      "datetime",
      "interval",
      "interval",
      "time",
      "integer",
      "integer",
      "other",
      "other",
      "datetime",
      "integer",
    ]);
    await writer.abandon();
  });

  it("wraps SQL errors in WarehouseError", async () => {
    const warehouse = await openWarehouse(tempFolder());
    const writer = await warehouse.beginState();
    const error = await writer.exec("SELECT * FROM missing_table").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(String(error)).toMatch(/missing_table/);
    await writer.abandon();
  });
});
