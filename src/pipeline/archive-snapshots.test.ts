/**
 * `tokyobeta archive snapshots` on a small fixture store spanning a month end (four daily
 * runs): the round trip (rows leave the table, the Parquet files hold them, a full rebuild of
 * silver and gold gives identical results before and after), refusal when a written file
 * does not verify (published state untouched), the latest snapshot protected, and an S3
 * destination (s3rver) with the local copy under <warehouse>/archive/.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../test/support/capture-io.js";
import { writeFixtureDay } from "../../test/support/fixture-dump.js";
import { archiveSnapshotsCommand } from "../cli/commands/archive.js";
import { resolveSettings, type Settings } from "../config/settings.js";
import { UsageError } from "../errors.js";
import { sqlString } from "../export/parquet-sink.js";
import { buildModels, loadProject } from "../models-runner/index.js";
import { S3DumpStore } from "../store/s3-dump-store.js";
import { startLocalS3, type LocalS3Server } from "../store/testing/local-s3-server.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { archiveSnapshots } from "./archive-snapshots.js";
import { DEFAULT_PROJECT_DIR, modelVars } from "./daily-run.js";
import { runDailyRecorded } from "./daily-run-recorded.js";
import { fixtureDay } from "./testing/run-fixture.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-archive-"));
const store = path.join(root, "store");
const wh = path.join(root, "wh");
const D = ["2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02"] as const;
let settings: Settings;
let s3: LocalS3Server | undefined;

beforeAll(async () => {
  for (const [i, date] of D.entries()) await writeFixtureDay(store, date, fixtureDay(i));
  settings = resolveSettings({ env: {}, flags: { store, warehouse: wh } }).values;
  for (const date of D) expect((await runDailyRecorded(settings, date)).record.state).toBe("SUCCEEDED");
}, 240_000);
afterAll(async () => {
  await s3?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function published(): Promise<string | null> {
  const w = await openWarehouse(wh);
  try {
    return await w.publishedStateId();
  } finally {
    await w.close();
  }
}

async function queryPublished(sql: string) {
  const w = await openWarehouse(wh);
  const reader = await w.openPublished();
  try {
    return (await reader.query(sql)).rows;
  } finally {
    await reader.close();
    await w.close();
  }
}

/**
 * Rebuilds every model from scratch (snapshot history included) in a throw-away state and
 * returns each silver and gold table's rows, sorted, as text, without the columns that hold
 * the wall clock of the build.
 */
const WALL_CLOCK = new Set(["computed_at", "trace_generated_at", "freshness_hours", "gold_built_at"]);

async function fullRebuild(): Promise<Record<string, string[]>> {
  const project = await loadProject(DEFAULT_PROJECT_DIR);
  const w = await openWarehouse(wh);
  const writer = await w.beginState({ label: "test: full rebuild" });
  try {
    const built = await buildModels(writer, project, {
      vars: modelVars(settings, D[3]),
      fullRefresh: true,
      fullRefreshProtected: true,
      engine: w.engine,
    });
    expect(built.models.filter((m) => m.status === "error")).toEqual([]);
    const tables: Record<string, string[]> = {};
    for (const schema of ["silver", "gold"]) {
      for (const t of await writer.listTables(schema)) {
        const { rows } = await writer.query(`SELECT * FROM "${schema}"."${t.name}"`);
        tables[`${schema}.${t.name}`] = rows
          .map((r) =>
            JSON.stringify(r, (k, v: unknown) =>
              WALL_CLOCK.has(k) ? undefined : typeof v === "bigint" ? `${v}n` : v,
            ),
          )
          .sort();
      }
    }
    return tables;
  } finally {
    await writer.abandon("test rebuild");
    await w.close();
  }
}

const countBefore = (table: string, date: string) =>
  queryPublished(`SELECT count(*) AS n FROM staging.${table} WHERE snapshot_date < DATE '${date}'`).then(
    (r) => Number(r[0]!.n),
  );

describe("archive snapshots", () => {
  it("refuses to archive the latest snapshot", async () => {
    await expect(
      archiveSnapshots(settings, { before: "2026-04-03", out: path.join(root, "never") }),
    ).rejects.toThrow(UsageError);
    await expect(
      archiveSnapshots(settings, { before: "2026-04-03", out: path.join(root, "never") }),
    ).rejects.toThrow(/latest snapshot \(2026-04-02\)/);
  });

  it("refuses when a written file does not verify: the published state and the table are untouched", async () => {
    const before = await published();
    const rows = await countBefore("tenant_daily_snapshots", "2026-04-01");
    const out = path.join(root, "archive-bad");
    await expect(
      archiveSnapshots(settings, {
        before: "2026-04-01",
        out,
        afterWrite: async (file) => writeFileSync(file, readFileSync(file).subarray(0, 40)),
      }),
    ).rejects.toThrow(/cannot be read back/);
    expect(await published()).toBe(before);
    expect(await countBefore("tenant_daily_snapshots", "2026-04-01")).toBe(rows);
    const left = existsSync(out)
      ? readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith(".parquet"))
      : [];
    expect(left).toEqual([]);
  });

  it("round trip: rows move to Parquet, the models give identical silver and gold results", async () => {
    const baseline = await fullRebuild();
    const tenantRows = await countBefore("tenant_daily_snapshots", "2026-04-01");
    const roomRows = await countBefore("room_daily_snapshots", "2026-04-01");
    expect(tenantRows).toBeGreaterThan(0);
    const silverBefore = await queryPublished("SELECT count(*) AS n FROM silver.tenant_room_snapshot_daily");
    const out = path.join(root, "archive");
    const io = captureIO();
    expect(await archiveSnapshotsCommand({ store, warehouse: wh, before: "2026-04-01", out }, io)).toBe(0);
    expect(io.stderr()).toMatch(/archived \d+ rows of staging\.tenant_daily_snapshots/);

    expect(await countBefore("tenant_daily_snapshots", "2026-04-01")).toBe(0);
    expect(await countBefore("room_daily_snapshots", "2026-04-01")).toBe(0);
    const meta = await queryPublished(
      "SELECT table_name, month, rows, file, sha256 FROM tokyobeta_meta.snapshot_archive ORDER BY table_name",
    );
    expect(meta.map((m) => [m.table_name, m.month, Number(m.rows)])).toEqual([
      ["room_daily_snapshots", "2026-03", roomRows],
      ["tenant_daily_snapshots", "2026-03", tenantRows],
    ]);
    for (const m of meta) {
      const file = String(m.file);
      expect(file.startsWith(path.join(out, String(m.table_name), "month=2026-03"))).toBe(true);
      expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(m.sha256);
      const back = await queryPublished(
        `SELECT count(*) AS n, max(snapshot_date) AS last FROM read_parquet(${sqlString(file)})`,
      );
      expect(Number(back[0]!.n)).toBe(Number(m.rows));
      expect(back[0]!.last).toBe("2026-03-31");
    }
    // History as the models read it is whole; silver as published is unchanged.
    const history = await queryPublished(
      "SELECT (SELECT count(*) FROM staging.tenant_daily_snapshots) + (SELECT count(*) FROM tokyobeta_meta.tenant_daily_snapshots_archived) AS n",
    );
    const silverAfter = await queryPublished("SELECT count(*) AS n FROM silver.tenant_room_snapshot_daily");
    expect(Number(history[0]!.n)).toBe(Number(silverAfter[0]!.n));
    expect(silverAfter).toEqual(silverBefore);

    const rebuilt = await fullRebuild();
    expect(Object.keys(rebuilt).sort()).toEqual(Object.keys(baseline).sort());
    for (const table of Object.keys(baseline)) expect(rebuilt[table], table).toEqual(baseline[table]);

    // The daily run still works on an archived warehouse.
    expect((await runDailyRecorded(settings, D[3])).record.state).toBe("SUCCEEDED");
  });

  it("archives to s3://bucket/prefix, keeping the local copy the models read under <warehouse>/archive/", async () => {
    s3 = await startLocalS3("tokyobeta-archive");
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" });
    const s3Settings = {
      ...settings,
      s3Endpoint: s3.endpoint,
      s3Region: "us-east-1",
      s3ForcePathStyle: true,
    };
    try {
      const baseline = await fullRebuild();
      const rows = await countBefore("tenant_daily_snapshots", "2026-04-02");
      const url = `s3://${s3.bucket}/history`;
      const report = await archiveSnapshots(s3Settings, { before: "2026-04-02", out: url });
      const tenant = report.files.find((f) => f.table === "tenant_daily_snapshots")!;
      expect(tenant.rows).toBe(rows);
      expect(
        tenant.file.startsWith(
          path.join(path.resolve(wh), "archive", "tenant_daily_snapshots", "month=2026-04"),
        ),
      ).toBe(true);
      expect(tenant.destination).toMatch(
        /^s3:\/\/tokyobeta-archive\/history\/tenant_daily_snapshots\/month=2026-04\/part-.*\.parquet$/,
      );
      const remote = new S3DumpStore({
        url,
        endpoint: s3.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      const chunks: Buffer[] = [];
      for await (const c of await remote.openRead(tenant.destination.slice(url.length + 1)))
        chunks.push(c as Buffer);
      expect(createHash("sha256").update(Buffer.concat(chunks)).digest("hex")).toBe(tenant.sha256);
      expect(await countBefore("tenant_daily_snapshots", "2026-04-02")).toBe(0);
      const meta = await queryPublished("SELECT count(*) AS n FROM tokyobeta_meta.snapshot_archive");
      expect(Number(meta[0]!.n)).toBe(4);
      const rebuilt = await fullRebuild();
      for (const table of Object.keys(baseline)) expect(rebuilt[table], table).toEqual(baseline[table]);
    } finally {
      process.env = saved;
    }
  });
});
