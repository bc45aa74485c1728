import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalDumpStore } from "../store/local-dump-store.js";
import { openStore } from "../store/open-store.js";
import { addDump } from "../store/testing/store-fixture.js";
import { useTempDirs } from "../store/testing/temp-dirs.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { checkFreshness, snapshotMoment, type CheckFreshnessInput } from "./check-freshness.js";
import { exitCodeOf } from "./freshness-status.js";
import { buildFreshnessWarehouse, upstreamStamps } from "./testing/freshness-fixture.js";

const temp = useTempDirs();
const DATE = "2026-01-10";
const SETTINGS = { upstreamSyncStaleHours: 24, dumpPrefix: "gghouse" };
const hoursAfterSnapshot = (date: string, hours: number) =>
  new Date(snapshotMoment(date).getTime() + hours * 3_600_000);

async function freshStore(date = DATE, stamps = upstreamStamps(`${date}T05:10:00+09:00`)) {
  const store = await temp.localStore();
  await addDump(store, date, {
    manifest: { max_updated_at_by_table: stamps, generated_at: `${date}T05:31:00+09:00` },
  });
  return store;
}

async function check(input: Partial<CheckFreshnessInput> & { now: Date }) {
  const dir = await temp.dir();
  await buildFreshnessWarehouse(dir, { latest: DATE });
  return checkFreshness({
    warehouse: () => openWarehouse(dir),
    store: await freshStore(),
    settings: SETTINGS,
    ...input,
  });
}

describe("checkFreshness", () => {
  it("dates a snapshot at 05:30 Asia/Tokyo of its business date", () => {
    expect(snapshotMoment("2026-01-10").toISOString()).toBe("2026-01-09T20:30:00.000Z");
  });

  it("is ok when every table holds the date of the last snapshot", async () => {
    const report = await check({ now: hoursAfterSnapshot(DATE, 3.5) });
    expect(report.level).toBe("ok");
    const targets = report.rows.map((r) => r.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        "staging.tenant_daily_snapshots",
        "silver.tenant_room_snapshot_daily",
        "gold.occupancy_daily_metrics",
        "gold.kpi_month_end_metrics",
        "upstream.movings",
        "upstream.tenants",
        "upstream.rooms",
        "upstream.apartments",
      ]),
    );
    expect(targets).not.toContain("upstream.inquiries");
    const gold = report.rows.find((r) => r.target === "gold.occupancy_daily_metrics");
    // The projections run 90 days ahead; only fact days count.
    expect(gold).toMatchObject({ latest: DATE, ageHours: 3.5, level: "ok" });
    expect(exitCodeOf(report.level)).toBe(0);
  });

  it("is ok at exactly one day, warn just past it, critical just past two days", async () => {
    const levelAt = async (hours: number) => (await check({ now: hoursAfterSnapshot(DATE, hours) })).level;
    expect(await levelAt(24)).toBe("ok");
    expect(await levelAt(24.5)).toBe("warn");
    expect(await levelAt(48)).toBe("warn");
    expect(await levelAt(48.5)).toBe("critical");
  });

  it("judges each table on its own date: one lagging table makes the whole report warn", async () => {
    const dir = await temp.dir();
    await buildFreshnessWarehouse(dir, {
      latest: DATE,
      overrides: { "gold.kpi_month_end_metrics": "2026-01-09" },
    });
    const report = await checkFreshness({
      warehouse: () => openWarehouse(dir),
      store: await freshStore(),
      settings: SETTINGS,
      now: hoursAfterSnapshot(DATE, 3),
    });
    expect(report.level).toBe("warn");
    expect(report.rows.filter((r) => r.level !== "ok").map((r) => r.target)).toEqual([
      "gold.kpi_month_end_metrics",
    ]);
    expect(exitCodeOf(report.level)).toBe(1);
  });

  it("is critical, naming the folder, when the warehouse does not exist", async () => {
    const missing = path.join(await temp.dir(), "no-warehouse");
    const report = await checkFreshness({
      warehouse: () => openWarehouse(missing),
      store: await freshStore(),
      settings: SETTINGS,
      now: hoursAfterSnapshot(DATE, 1),
    });
    expect(report.level).toBe("critical");
    expect(report.rows[0]).toMatchObject({ kind: "warehouse", level: "critical" });
    expect(report.rows[0]!.message).toMatch(/cannot read the published warehouse state: .*no warehouse at/);
    // The upstream part still ran: one failure does not hide the rest.
    expect(report.rows.some((r) => r.kind === "upstream")).toBe(true);
    expect(exitCodeOf(report.level)).toBe(2);
  });

  it("is critical when a monitored table is missing", async () => {
    const dir = await temp.dir();
    await buildFreshnessWarehouse(dir, { latest: DATE, omit: ["silver.tenant_room_snapshot_daily"] });
    const report = await checkFreshness({
      warehouse: () => openWarehouse(dir),
      store: await freshStore(),
      settings: SETTINGS,
      now: hoursAfterSnapshot(DATE, 1),
    });
    expect(report.level).toBe("critical");
    expect(report.rows.find((r) => r.target === "silver.tenant_room_snapshot_daily")).toMatchObject({
      level: "critical",
      message: "table silver.tenant_room_snapshot_daily is missing",
    });
  });

  it("is critical when the store cannot be opened or holds no manifest", async () => {
    const unreadable = await check({
      now: hoursAfterSnapshot(DATE, 1),
      store: () =>
        openStore({
          store: "/nonexistent/tokyobeta-store",
          s3Endpoint: undefined,
          s3Region: "ap-northeast-1",
          s3ForcePathStyle: false,
        }),
    });
    expect(unreadable.level).toBe("critical");
    expect(unreadable.rows.find((r) => r.kind === "store")?.message).toMatch(
      /cannot read the dump store: store folder .* does not exist/,
    );
    const empty = await check({ now: hoursAfterSnapshot(DATE, 1), store: await temp.localStore() });
    expect(empty.level).toBe("critical");
    expect(empty.rows.find((r) => r.kind === "store")?.message).toMatch(/no manifest in/);
  });

  it("is critical when the latest manifest does not parse", async () => {
    const store = await temp.localStore();
    await addDump(store, "2026-01-09");
    await addDump(store, DATE, { manifestText: "{ broken" });
    const report = await check({ now: hoursAfterSnapshot(DATE, 1), store });
    expect(report.level).toBe("critical");
    expect(report.rows.find((r) => r.kind === "store")?.message).toMatch(
      /latest manifest dumps-manifest\/gghouse_20260110.json is unusable: .*not valid JSON/,
    );
  });

  it("is critical when an upstream table stopped updating longer than UPSTREAM_SYNC_STALE_HOURS before the dump", async () => {
    const store = await freshStore(
      DATE,
      upstreamStamps(`${DATE}T05:10:00+09:00`, { rooms: "2026-01-08T20:00:00+09:00" }),
    );
    const report = await check({ now: hoursAfterSnapshot(DATE, 1), store });
    expect(report.level).toBe("critical");
    const rooms = report.rows.find((r) => r.target === "upstream.rooms")!;
    // generated_at 2026-01-10 05:31 JST minus 2026-01-08 20:00 JST.
    expect(rooms).toMatchObject({ level: "critical", ageHours: 33.5 });
    expect(rooms.message).toMatch(/UPSTREAM_SYNC_STALE_HOURS=24/);
    expect(report.rows.filter((r) => r.level !== "ok").map((r) => r.target)).toEqual(["upstream.rooms"]);

    const lenient = await check({
      now: hoursAfterSnapshot(DATE, 1),
      store,
      settings: { ...SETTINGS, upstreamSyncStaleHours: 48 },
    });
    expect(lenient.level).toBe("ok");
  });

  it("reads the legacy field name and measures against the dump date's 05:30 without generated_at", async () => {
    const store = new LocalDumpStore(await temp.dir());
    await addDump(store, DATE, {
      manifest: {
        max_updated_at_by_table: undefined,
        generated_at: undefined,
        source_table_max_updated_at: upstreamStamps("2026-01-09 05:00:00", { apartments: null }),
      },
    });
    const report = await check({ now: hoursAfterSnapshot(DATE, 1), store });
    const byTarget = Object.fromEntries(report.rows.map((r) => [r.target, r]));
    // No zone: PMS wall time (JST); 2026-01-10 05:30 minus 2026-01-09 05:00 = 24.5 h > 24.
    expect(byTarget["upstream.movings"]).toMatchObject({ level: "critical", ageHours: 24.5 });
    expect(byTarget["upstream.apartments"]?.message).toMatch(/apartments was empty upstream/);
  });
});
