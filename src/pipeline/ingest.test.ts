import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseBusinessDate } from "../calendar/business-date.js";
import { generateTestWorld, type TestWorld } from "../../test/support/demo-world.js";
import type { Settings } from "../config/settings.js";
import type { GenerateResult } from "../demo/generate.js";
import { isCopy } from "../demo/world-model.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { ingestDate, loadDumpFile } from "./ingest.js";

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), "tb-ingest-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let testWorld: TestWorld;
let world: GenerateResult;
const worldDir = path.join(root, "world");

beforeAll(async () => {
  testWorld = await generateTestWorld(worldDir, {
    from: "2026-01-01",
    to: "2026-01-20",
    scale: 0.01,
    seed: 11,
    gzip: true,
    incidents: true,
    auxMb: 0.05,
  });
  world = testWorld.generated;
});

function settingsFor(warehouse: string): Settings {
  return testWorld.settingsFor(warehouse);
}

async function publishedSnapshot(warehouse: string) {
  const wh = await openWarehouse(warehouse);
  try {
    const states = (await wh.listStates()).map((s) => s.id);
    const reader = await wh.openPublished();
    const counts = await reader.query("SELECT COUNT(*) AS tenants, SUM(id) AS ids FROM staging.tenants");
    const tables = (await reader.listTables("staging")).map((t) => t.name);
    await reader.close();
    return { published: await wh.publishedStateId(), states, counts: counts.rows, tables };
  } finally {
    await wh.close();
  }
}

describe("ingest", () => {
  let warehouse: string;
  beforeEach(() => {
    warehouse = mkdtempSync(path.join(root, "wh-"));
  });

  it("loads a date's dump, matches the simulator, appends its snapshot slices and publishes", async () => {
    const settings = settingsFor(warehouse);
    const result = await ingestDate(settings, "2026-01-20");
    expect(result.snapshotDate).toBe("2026-01-20");
    const at = parseBusinessDate("2026-01-20") * 1440 + 330;
    const byTable = Object.fromEntries(result.load.tables.map((t) => [t.table, t.rows]));
    expect(byTable.tenants).toBe(world.world.tenants.filter((t) => t.createdAt < at).length);
    expect(byTable.movings).toBe(
      world.world.movingRows.filter((r) => (isCopy(r) ? r.copyOf : r).applicationAt < at).length,
    );
    expect(result.load.tables).toHaveLength(81);
    expect(
      result.load.tables.find((t) => t.table === "tenants")!.zeroDatesByColumn.birth_date ?? 0,
    ).toBeGreaterThanOrEqual(0);

    const wh = await openWarehouse(warehouse);
    const reader = await wh.openPublished();
    const pairs = await reader.query(
      "SELECT COUNT(*) AS n FROM staging.tenant_daily_snapshots WHERE snapshot_date = DATE '2026-01-20'",
    );
    expect(pairs.rows[0]!.n).toBe(result.slices!.tenantRows);
    const personal = await reader.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'tenant_daily_snapshots'",
    );
    expect(personal.rows.map((r) => r.column_name)).not.toContain("last_name");
    await reader.close();
    await wh.close();
  });

  it("is idempotent per date: loading the same date again replaces its slice", async () => {
    const settings = settingsFor(warehouse);
    await ingestDate(settings, "2026-01-19");
    const first = await ingestDate(settings, "2026-01-20");
    const again = await ingestDate(settings, "2026-01-20");
    expect(again.slices!.tenantRows).toBe(first.slices!.tenantRows);
    const snap = await publishedSnapshot(warehouse);
    const wh = await openWarehouse(warehouse);
    const reader = await wh.openPublished();
    const perDate = await reader.query(
      "SELECT snapshot_date, COUNT(*) AS n FROM staging.tenant_daily_snapshots GROUP BY 1 ORDER BY 1",
    );
    await reader.close();
    await wh.close();
    expect(perDate.rows.map((r) => r.snapshot_date)).toEqual(["2026-01-19", "2026-01-20"]);
    expect(snap.states).toHaveLength(3);
  });

  it("refuses every planted incident, naming the date and reason, and publishes nothing", async () => {
    const settings = settingsFor(warehouse);
    await ingestDate(settings, "2026-01-01");
    const before = await publishedSnapshot(warehouse);
    for (const day of world.days.filter((d) => d.incident)) {
      const expected = {
        missing: /missing/,
        invalid: /valid_for_etl|quarantined/,
        source_drift: /pms-db-legacy/,
        checksum_mismatch: /checksum|sha256/,
      }[day.incident!];
      await expect(ingestDate(settings, day.date), day.date).rejects.toThrow(expected);
      await expect(ingestDate(settings, day.date)).rejects.toThrow(new RegExp(day.date));
    }
    expect(await publishedSnapshot(warehouse)).toEqual(before);
  });

  it("refuses a dump whose bytes were replaced after the manifest was written, while streaming", async () => {
    const lying = path.join(root, "lying-world");
    rmSync(lying, { recursive: true, force: true });
    copyTree(worldDir, lying);
    const dump = path.join(lying, "dumps/gghouse_20260120.sql.gz");
    copyFileSync(path.join(lying, "dumps/gghouse_20260119.sql.gz"), dump);
    const settings = { ...settingsFor(warehouse), store: lying };
    await ingestDate(settings, "2026-01-18");
    const before = await publishedSnapshot(warehouse);
    await expect(ingestDate(settings, "2026-01-20")).rejects.toThrow(
      /2026-01-20 \(.*gghouse_20260120\.sql\.gz\): checksum mismatch/,
    );
    expect(await publishedSnapshot(warehouse)).toEqual(before);
  });
});

function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

describe("load-dump: bad input gets a clear error and loses nothing", () => {
  let warehouse: string;
  let before: Awaited<ReturnType<typeof publishedSnapshot>>;
  const header =
    "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `name` varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n";

  beforeAll(async () => {
    warehouse = mkdtempSync(path.join(root, "wh-bad-"));
    const good = path.join(root, "good.sql.gz");
    copyFileSync(world.days[0]!.dumpFile!, good);
    await loadDumpFile({ warehouse, keepGenerations: 7 }, good);
    before = await publishedSnapshot(warehouse);
  });

  const cases: [string, string | Buffer, RegExp][] = [
    ["truncated inside a statement", header + "INSERT INTO `t` VALUES (1,'a'),(2,'b", /byte offset \d+/],
    ["a bad escape at the end of input", header + "INSERT INTO `t` VALUES (1,'abc\\", /byte offset \d+/],
    [
      "a tuple with the wrong number of values",
      header + "INSERT INTO `t` VALUES (1,'a','extra');\n",
      /table `t`.*byte offset \d+/,
    ],
    ["an INSERT into a table never created", "INSERT INTO `ghost` VALUES (1);\n", /ghost/],
    [
      "a corrupt gzip",
      Buffer.concat([gzipSync(Buffer.from(header)).subarray(0, 20), Buffer.from("garbage!")]),
      /gzip|unexpected end|incorrect header|invalid/i,
    ],
  ];

  it.each(cases)("%s", async (name, content, message) => {
    const file = path.join(root, `${name.replace(/\W+/g, "-")}.sql${Buffer.isBuffer(content) ? ".gz" : ""}`);
    writeFileSync(file, content);
    const error = await loadDumpFile({ warehouse, keepGenerations: 7 }, file).then(
      () => null,
      (e: Error) => e,
    );
    expect(error, "the load must fail").not.toBeNull();
    expect(error!.message).toContain(path.basename(file));
    expect(error!.message).toMatch(message);
    expect(await publishedSnapshot(warehouse)).toEqual(before);
  });

  it("exits non-zero from the CLI with the file named, state untouched", async () => {
    const file = path.join(root, "cli-truncated.sql");
    writeFileSync(file, header + "INSERT INTO `t` VALUES (1,'a'");
    const cli = path.resolve("src/cli/main.ts");
    const failure = await run(process.execPath, [
      "--import",
      "tsx",
      cli,
      "load-dump",
      file,
      "--warehouse",
      warehouse,
    ]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/cli-truncated\.sql.*byte offset \d+/);
    expect(await publishedSnapshot(warehouse)).toEqual(before);
  });

  it("keeps the published dump readable: tables created by the good load are all there", async () => {
    const wh = await openWarehouse(warehouse);
    const reader = await wh.openPublished();
    const tables = await reader.listTables("staging");
    await reader.close();
    await wh.close();
    expect(tables.length).toBe(81);
    expect(readFileSync(world.days[0]!.dumpFile!).length).toBeGreaterThan(0);
  });
});
