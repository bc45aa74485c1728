/** The published reader: answers cached per published state, a publish noticed at once. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { Warehouse } from "../warehouse/warehouse.js";
import { createPublishedReader } from "./published-reader.js";

let root: string;
let warehouse: Warehouse;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "tb-published-reader-"));
  warehouse = await openWarehouse(path.join(root, "wh"));
});
afterAll(async () => {
  await warehouse.close();
  rmSync(root, { recursive: true, force: true });
});

async function publish(sql: string): Promise<void> {
  const writer = await warehouse.beginState({ label: "reader test" });
  await writer.exec(sql);
  await writer.publish();
}

describe("createPublishedReader", () => {
  it("answers null before anything is published, then caches per state and starts over on publish", async () => {
    const reader = createPublishedReader(warehouse);
    expect(await reader.cached("SELECT 1 AS v")).toBeNull();
    expect(await reader.stateId()).toBeNull();

    await publish("CREATE SCHEMA gold; CREATE TABLE gold.t(v INTEGER); INSERT INTO gold.t VALUES (1);");
    const first = await reader.cached("SELECT sum(v) AS v FROM gold.t WHERE v >= ?", [0]);
    expect(first!.rows).toEqual([{ v: 1 }]);
    expect(await reader.cached("SELECT sum(v) AS v FROM gold.t WHERE v >= ?", [0])).toBe(first);
    // Different parameters are a different entry.
    expect((await reader.cached("SELECT sum(v) AS v FROM gold.t WHERE v >= ?", [5]))!.rows).toEqual([
      { v: null },
    ]);

    await publish("INSERT INTO gold.t VALUES (41);");
    const second = await reader.cached("SELECT sum(v) AS v FROM gold.t WHERE v >= ?", [0]);
    expect(second).not.toBe(first);
    expect(second!.rows).toEqual([{ v: 42 }]);
    expect(await reader.stateId()).toBe(await warehouse.publishedStateId());
    await reader.close();
  });

  it("lets a query running on the previous state finish after a publish, then closes that reader", async () => {
    const reader = createPublishedReader(warehouse);
    await reader.query("SELECT 1");
    const slow = reader.query("SELECT sum(i) AS v FROM range(300000000) t(i)");
    await new Promise((r) => setTimeout(r, 30));
    await publish("CREATE TABLE gold.later(v INTEGER);");
    expect((await reader.query("SELECT count(*) AS v FROM gold.later"))!.rows).toEqual([{ v: 0 }]);
    expect((await slow)!.rows[0]!.v).toBe(44999999850000000n);
    await reader.close();
  });

  it("pin(): a download reads one state to its end though a publish happens meanwhile", async () => {
    const reader = createPublishedReader(warehouse);
    await publish("CREATE TABLE gold.pinned(v INTEGER); INSERT INTO gold.pinned VALUES (1);");
    const pinned = (await reader.pin())!;
    await publish("INSERT INTO gold.pinned VALUES (2);");
    expect((await reader.query("SELECT count(*) AS v FROM gold.pinned"))!.rows).toEqual([{ v: 2 }]);
    expect((await pinned.query("SELECT count(*) AS v FROM gold.pinned")).rows).toEqual([{ v: 1 }]);
    pinned.release();
    pinned.release(); // twice is harmless
    await reader.close();
  });

  it("does not keep a failed query: it is tried again", async () => {
    const reader = createPublishedReader(warehouse);
    await expect(reader.cached("SELECT * FROM gold.not_yet")).rejects.toThrow(/not_yet/);
    await publish("CREATE TABLE gold.not_yet(v INTEGER); INSERT INTO gold.not_yet VALUES (7);");
    expect((await reader.cached("SELECT * FROM gold.not_yet"))!.rows).toEqual([{ v: 7 }]);
    await reader.close();
  });
});
