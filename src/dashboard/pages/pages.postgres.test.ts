/**
 * The dashboard on a real PostgreSQL 15 warehouse: the same small demo world is built into a
 * DuckDB folder and a PostgreSQL database, and every page, chart, KPI card and CSV download of
 * the PostgreSQL dashboard must equal the DuckDB one's. The dashboard also serves with a role
 * that may only read (`tokyobeta warehouse grant-readonly ROLE`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../../test/support/capture-io.js";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../../test/support/postgres.js";
import { grantReadonly } from "../../cli/commands/warehouse.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { LABELS } from "../i18n/labels.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { buildDemoDashboard, signedInDashboard, type DemoDashboard } from "../testing/demo-dashboard.js";
import { DASHBOARD_PAGE_MODULES } from "./index.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());
const FROM = "2026-01-12";
const TO = "2026-01-25";
const clock = new Date("2026-01-25T03:30:00Z"); // 12:30 JST, seven hours after the 05:30 snapshot
const now = () => clock;

/** Chart options of a page: the JSON data blocks, by chart name. */
function chartsOf(page: string): Record<string, { series?: { data?: unknown[] }[] }> {
  const out: Record<string, { series?: { data?: unknown[] }[] }> = {};
  for (const m of page.matchAll(
    /<script type="application\/json" id="chart-data-([^"]+)">([\s\S]*?)<\/script>/g,
  )) {
    out[m[1]!] = JSON.parse(m[2]!) as { series?: { data?: unknown[] }[] };
  }
  return out;
}

/** The Overview's KPI cards: name → shown value. */
function kpiCards(page: string): Record<string, string> {
  return Object.fromEntries(
    [...page.matchAll(/data-kpi="([^"]+)"[\s\S]*?kpi-value">([^<]+)</g)].map((m) => [m[1]!, m[2]!]),
  );
}

/** Each table's row count as a page shows it. */
function tableSizes(page: string): Record<string, string> {
  return Object.fromEntries(
    [...page.matchAll(/data-table="([^"]+)"[\s\S]*?data-rows="(\d+)"/g)].map((m) => [m[1]!, m[2]!]),
  );
}

/**
 * Floating point sums and averages may differ in their last bits between engines (summation
 * order): numbers are compared to 12 significant digits, everything else exactly.
 */
function rounded(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/** A CSV download's lines, numbers rounded as above. */
async function csvLines(demo: DemoDashboard, url: string): Promise<string[]> {
  const res = await demo.get(url);
  expect(res.status, url).toBe(200);
  const text = (await res.text()).replace(/^\uFEFF/, "");
  return text
    .split("\r\n")
    .filter((l) => l !== "")
    .map((l) => l.replace(/-?\d+\.\d{6,}(e-?\d+)?/g, (n) => String(Number(Number(n).toPrecision(12)))));
}

/**
 * The run records differ by nature between two runs: run ids, clock times and durations. They
 * are compared without those, in a stable order (the model list is ordered by duration).
 */
const RUN_RECORD_TABLES = new Set(["runs", "steps", "model_runs"]);
function withoutTimings(lines: string[]): string[] {
  const [header, ...rows] = lines;
  const masked = new Set(["run_id", "started_at", "duration_ms"]);
  const columns = header!.split(",");
  const keep = (row: string) =>
    row
      .split(",")
      .filter((_, i) => !masked.has(columns[i]!))
      .join(",");
  return [keep(header!), ...rows.map(keep).sort()];
}

/** Charts drawn from the run records (step timings) differ between runs by nature. */
const TIMING_CHARTS = new Set(["step-timings"]);

describe.skipIf(!available)("dashboard on PostgreSQL", () => {
  let server: PostgresServer;
  let url: string;
  let duck: DemoDashboard;
  let pg: DemoDashboard;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    duck = await buildDemoDashboard({ from: FROM, to: TO, now });
    pg = await buildDemoDashboard({ from: FROM, to: TO, now, warehouse: url });
  }, 150_000);

  afterAll(async () => {
    await pg?.close();
    await duck?.close();
    await server?.stop();
  });

  it("builds the world into PostgreSQL", () => {
    expect(pg.warehouse.engine).toBe("postgres");
    expect(duck.warehouse.engine).toBe("duckdb");
  });

  it.each(DASHBOARD_PAGES.map((p) => [p.path, p] as const))(
    "%s: serves with its labels, and the same charts as on DuckDB, none empty",
    async (_path, page) => {
      const res = await pg.get(`${page.path}?lang=en`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("Time basis:");
      expect(text).toContain("Freshness: as of 2026-01-25, 7 hours old");
      const charts = chartsOf(text);
      expect(Object.keys(charts).length).toBeGreaterThan(0);
      for (const [name, option] of Object.entries(charts)) {
        const points = (option.series ?? []).reduce((n, s) => n + (s.data?.length ?? 0), 0);
        expect(points, `${page.path} chart ${name}`).toBeGreaterThan(0);
      }
      const duckCharts = chartsOf(await (await duck.get(`${page.path}?lang=en`)).text());
      for (const name of TIMING_CHARTS) {
        delete charts[name];
        delete duckCharts[name];
      }
      expect(rounded(charts)).toEqual(rounded(duckCharts));
    },
  );

  it("every page under each filter shows the same charts and tables as on DuckDB", async () => {
    const first = async (sql: string) => String((await duck.reader.query(sql)).rows[0]!.v);
    const muni = await first(
      "SELECT municipality_ja AS v FROM gold.move_events_weekly GROUP BY 1 ORDER BY sum(moveouts) DESC LIMIT 1",
    );
    const nationality = await first(
      "SELECT nationality_code AS v FROM gold.funnel_application_to_movein_daily GROUP BY 1 ORDER BY sum(applications) DESC LIMIT 1",
    );
    const building = await first("SELECT min(asset_id_hj) AS v FROM gold.occupancy_property_map_latest");
    const filters = [
      "grain=week",
      "grain=month",
      "tenant_type=corporate",
      `municipality=${encodeURIComponent(muni)}`,
      `nationality=${nationality}`,
      `building=${building}`,
      "from=2026-01-15&to=2026-01-21",
    ];
    for (const page of DASHBOARD_PAGES) {
      for (const filter of filters) {
        const url = `${page.path}?${filter}`;
        const res = await pg.get(url);
        expect(res.status, url).toBe(200);
        const text = await res.text();
        const expected = await (await duck.get(url)).text();
        const charts = chartsOf(text);
        const duckCharts = chartsOf(expected);
        for (const name of TIMING_CHARTS) {
          delete charts[name];
          delete duckCharts[name];
        }
        expect(rounded(charts), url).toEqual(rounded(duckCharts));
        expect(Object.keys(tableSizes(text)).length, url).toBeGreaterThan(0);
        expect(tableSizes(text), url).toEqual(tableSizes(expected));
      }
    }
  });

  it("Overview: the KPI cards equal DuckDB's", async () => {
    const cards = kpiCards(await (await pg.get("/?lang=en")).text());
    expect(Object.keys(cards).length).toBeGreaterThanOrEqual(3);
    for (const value of Object.values(cards)) expect(value).toMatch(/\d/);
    expect(cards).toEqual(kpiCards(await (await duck.get("/?lang=en")).text()));
  });

  // Two ranges: the whole world, and its last week (period rows overlapping it only).
  const tables = ["2026-01-12", "2026-01-19"].flatMap((from) =>
    DASHBOARD_PAGE_MODULES.flatMap((m) => m.tables.map((t) => [m.page.key, t.name, from, m, t] as const)),
  );
  const rowsByPage = new Map<string, number>();
  it.each(tables)("%s %s from %s: the CSV download equals DuckDB's", async (key, _n, from, module, table) => {
    const csv = `${module.page.csvPath}?table=${table.name}&from=${from}&to=2026-01-25`;
    const lines = await csvLines(pg, csv);
    const expected = await csvLines(duck, csv);
    expect(lines[0]!.split(",")).toEqual(table.columns);
    expect(lines.length, "row count").toBe(expected.length);
    if (RUN_RECORD_TABLES.has(table.name)) {
      expect(withoutTimings(lines)).toEqual(withoutTimings(expected));
    } else {
      expect(lines).toEqual(expected);
    }
    rowsByPage.set(key, (rowsByPage.get(key) ?? 0) + lines.length - 1);
  });

  it("every page has a download with rows", () => {
    expect(Object.fromEntries(rowsByPage)).toEqual(
      Object.fromEntries(
        DASHBOARD_PAGE_MODULES.map((m) => [m.page.key, expect.any(Number) as unknown as number]),
      ),
    );
    for (const [key, rows] of rowsByPage) expect(rows, key).toBeGreaterThan(0);
  });

  it("serves the Overview (and every page) with a role granted read-only access, with the same numbers", async () => {
    const database = new URL(url).pathname.slice(1);
    await server.sql("CREATE ROLE dashboard_reader LOGIN");
    expect(await grantReadonly("dashboard_reader", { warehouse: url }, captureIO())).toBe(0);
    const warehouse = await openWarehouse(server.url(database, "dashboard_reader"));
    const { dash, get } = signedInDashboard(warehouse, now);
    try {
      const res = await get("/?lang=en");
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain("Freshness: as of 2026-01-25, 7 hours old");
      expect(kpiCards(text)).toEqual(kpiCards(await (await duck.get("/?lang=en")).text()));
      for (const page of DASHBOARD_PAGES) {
        const other = await get(`${page.path}?lang=en`);
        expect(other.status, page.path).toBe(200);
        expect(await other.text(), page.path).not.toContain(LABELS["table.unavailable"].en);
      }
      // The role cannot write, whatever the dashboard did.
      const reader = await warehouse.openPublished();
      await expect(reader.query("CREATE TABLE gold.x (a int)")).rejects.toThrow();
      await reader.close();
    } finally {
      await dash.close();
      await warehouse.close();
    }
  });
});
