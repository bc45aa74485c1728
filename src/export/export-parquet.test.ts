/**
 * Parquet export round trip: the gold marts of a small published world (fixture store, two
 * daily runs) exported, every table read back with DuckDB `read_parquet` (hive partitioning)
 * and compared with the warehouse row by row and column by column (EXCEPT ALL both ways, in
 * the warehouse's own engine), types included; manifest counts and sha256 match; an S3
 * destination (s3rver) receives the same files.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import { exportParquetCommand } from "../cli/commands/export.js";
import { resolveSettings } from "../config/settings.js";
import { UsageError } from "../errors.js";
import { loadProject } from "../models-runner/index.js";
import { DEFAULT_PROJECT_DIR } from "../pipeline/daily-run.js";
import { runDailyRecorded } from "../pipeline/daily-run-recorded.js";
import { fixtureDay } from "../pipeline/testing/run-fixture.js";
import { S3DumpStore } from "../store/s3-dump-store.js";
import { startLocalS3, type LocalS3Server } from "../store/testing/local-s3-server.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { qualifiedName, quoteIdentifier } from "../warehouse/quote-identifier.js";
import { mainDateColumn, selectExportTables, type ExportManifest } from "./export-parquet.js";
import { sqlString } from "./parquet-sink.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-export-"));
const store = path.join(root, "store");
const wh = path.join(root, "wh");
const D = ["2026-03-01", "2026-03-02"] as const;
let s3: LocalS3Server | undefined;

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
  const settings = resolveSettings({ env: {}, flags: { store, warehouse: wh } }).values;
  for (const date of D) expect((await runDailyRecorded(settings, date)).record.state).toBe("SUCCEEDED");
}, 180_000);
afterAll(async () => {
  await s3?.stop();
  rmSync(root, { recursive: true, force: true });
});

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("export parquet", () => {
  it("selects tables with the models selector syntax; a bare schema name means schema:<name>", async () => {
    const project = await loadProject(DEFAULT_PROJECT_DIR);
    const gold = selectExportTables(project, "gold");
    expect(gold.length).toBeGreaterThan(10);
    expect(gold.every((id) => id.startsWith("gold."))).toBe(true);
    expect(selectExportTables(project, "kpi_month_end_metrics")).toEqual(["gold.kpi_month_end_metrics"]);
    expect(() => selectExportTables(project, "no_such_model")).toThrow(UsageError);
    expect(
      mainDateColumn([
        { name: "built_on", type: "DATE", kind: "date" },
        { name: "week_start", type: "DATE", kind: "date" },
      ]),
    ).toBe("week_start");
    expect(mainDateColumn([{ name: "n", type: "BIGINT", kind: "integer" }])).toBeUndefined();
    expect(
      mainDateColumn([
        { name: "as_of_date", type: "DATE", kind: "date" },
        { name: "application_date", type: "DATE", kind: "date" },
      ]),
    ).toBe("application_date");
  });

  it("round trip: every gold table read back equals the warehouse, every row and column, types included", async () => {
    const out = path.join(root, "out");
    const io = captureIO();
    expect(await exportParquetCommand({ store, warehouse: wh, out, models: "gold", json: true }, io)).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as ExportManifest;
    expect(JSON.parse(io.stdout())).toEqual(manifest);
    const warehouse = await openWarehouse(wh);
    const reader = await warehouse.openPublished();
    try {
      expect(manifest.state_id).toBe(reader.stateId);
      expect(manifest.engine).toBe("duckdb");
      const goldTables = (await reader.listTables("gold")).map((t) => `${t.schema}.${t.name}`);
      expect(manifest.tables.map((t) => t.table).sort()).toEqual(goldTables.sort());
      let partitioned = 0;
      for (const t of manifest.tables) {
        const [schema, name] = t.table.split(".") as [string, string];
        const table = qualifiedName(schema, name);
        const columns = t.columns.map((c) => quoteIdentifier(c.name)).join(", ");
        const files = `read_parquet(${sqlString(path.join(out, t.folder, "**", "*.parquet"))}, hive_partitioning = true)`;
        const count = Number((await reader.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
        expect(t.rows, t.table).toBe(count);
        expect(
          t.files.reduce((s, f) => s + f.rows, 0),
          t.table,
        ).toBe(count);
        if (count === 0) continue;
        const back = await reader.query(`SELECT count(*) AS n FROM ${files}`);
        expect(Number(back.rows[0]!.n), t.table).toBe(count);
        for (const [a, b] of [
          [`SELECT ${columns} FROM ${table}`, `SELECT ${columns} FROM ${files}`],
          [`SELECT ${columns} FROM ${files}`, `SELECT ${columns} FROM ${table}`],
        ]) {
          const diff = await reader.query(`SELECT count(*) AS n FROM (${a} EXCEPT ALL ${b}) d`);
          expect(Number(diff.rows[0]!.n), `${t.table}: ${a} EXCEPT ALL ...`).toBe(0);
        }
        const typesIn = (await reader.query(`DESCRIBE SELECT ${columns} FROM ${files}`)).rows.map(
          (r) => r.column_type,
        );
        const typesWh = (await reader.query(`DESCRIBE SELECT ${columns} FROM ${table}`)).rows.map(
          (r) => r.column_type,
        );
        // HUGEINT (e.g. a SUM of BIGINT) is written as the exact DECIMAL(38,0).
        expect(typesIn, t.table).toEqual(typesWh.map((x) => (x === "HUGEINT" ? "DECIMAL(38,0)" : x)));
        for (const f of t.files) {
          expect(sha256(path.join(out, f.path))).toBe(f.sha256);
          if (t.partition) expect(f.path).toMatch(new RegExp(`/${t.partition.key}=(\\d{4}-\\d{2}|NULL)/`));
        }
        if (t.partition) partitioned++;
      }
      expect(partitioned).toBeGreaterThan(3);
      const daily = manifest.tables.find((t) => t.table === "gold.occupancy_daily_metrics")!;
      // The KPI window runs 90 days ahead: several months, one folder each.
      expect(new Set(daily.files.map((f) => f.path.split("/")[2])).size).toBeGreaterThan(2);
    } finally {
      await reader.close();
      await warehouse.close();
    }
  });

  it("refuses a destination that already holds an export, and a table the state lacks", async () => {
    const out = path.join(root, "out");
    await expect(exportParquetCommand({ store, warehouse: wh, out }, captureIO())).rejects.toThrow(
      /already holds an export/,
    );
    const empty = path.join(root, "wh-empty");
    const w = await openWarehouse(empty);
    const writer = await w.beginState();
    await writer.createSchema("gold");
    await writer.publish();
    await w.close();
    await expect(
      exportParquetCommand({ store, warehouse: empty, out: path.join(root, "out-empty") }, captureIO()),
    ).rejects.toThrow(/has no table gold\./);
    expect(existsSync(path.join(root, "out-empty", "manifest.json"))).toBe(false);
  });

  it("writes to s3://bucket/prefix: the same files and manifest, verified by sha256", async () => {
    s3 = await startLocalS3("tokyobeta-export");
    const saved = { ...process.env };
    Object.assign(process.env, {
      TOKYOBETA_S3_ENDPOINT: s3.endpoint,
      AWS_REGION: "us-east-1",
      TOKYOBETA_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    });
    try {
      const url = `s3://${s3.bucket}/marts/run1`;
      expect(
        await exportParquetCommand(
          { store, warehouse: wh, out: url, models: "kpi_month_end_metrics occupancy_daily_metrics" },
          captureIO(),
        ),
      ).toBe(0);
      const exported = new S3DumpStore({
        url,
        endpoint: s3.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      const manifest = JSON.parse((await exported.readText("manifest.json"))!) as ExportManifest;
      expect(manifest.tables.map((t) => t.table).sort()).toEqual([
        "gold.kpi_month_end_metrics",
        "gold.occupancy_daily_metrics",
      ]);
      for (const t of manifest.tables) {
        for (const f of t.files) {
          const chunks: Buffer[] = [];
          for await (const c of await exported.openRead(f.path)) chunks.push(c as Buffer);
          expect(createHash("sha256").update(Buffer.concat(chunks)).digest("hex")).toBe(f.sha256);
        }
      }
      expect(manifest.tables.find((t) => t.table === "gold.occupancy_daily_metrics")!.rows).toBeGreaterThan(
        0,
      );
    } finally {
      process.env = saved;
    }
  });
});
