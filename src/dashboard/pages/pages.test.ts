/**
 * The dashboard pages in memory (app.request) over a real published DuckDB warehouse built from
 * a small demo world: every page in Japanese and English, every filter narrowing the numbers
 * (compared with the marts read directly), refusal of invalid and hostile filter values, CSV
 * downloads, a new publish picked up without restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LABELS } from "../i18n/labels.js";
import { DASHBOARD_PAGES } from "../pages.js";
import { buildDemoDashboard, type DemoDashboard } from "../testing/demo-dashboard.js";
import { DASHBOARD_PAGE_MODULES } from "./index.js";

const FROM = "2026-01-05";
const TO = "2026-01-25";
let clock = new Date("2026-01-25T03:30:00Z"); // 12:30 JST, seven hours after the 05:30 snapshot
let demo: DemoDashboard;

beforeAll(async () => {
  demo = await buildDemoDashboard({ from: FROM, to: TO, now: () => clock });
}, 240_000);
afterAll(async () => {
  await demo?.close();
});

async function html(url: string): Promise<string> {
  const res = await demo.get(url);
  expect(res.status, url).toBe(200);
  return res.text();
}

/** A CSV download: raw bytes checked for the BOM, parsed into header + rows (no quoted newlines here). */
async function csv(url: string) {
  const res = await demo.get(url);
  expect(res.status, url).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)], `${url} starts with the UTF-8 BOM`).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
  const lines = text.split("\r\n").filter((l) => l !== "");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => Object.fromEntries(parseCsvLine(l).map((v, i) => [header[i]!, v])));
  return { res, header, rows };
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else value += line[i++];
      }
      out.push(value);
      i += 2;
    } else {
      const end = line.indexOf(",", i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

const sum = (rows: Record<string, string>[], column: string) =>
  rows.reduce((s, r) => s + Number(r[column] || 0), 0);

async function scalar(sql: string): Promise<number> {
  const value = (await demo.reader.query(sql)).rows[0]?.v;
  return Number(value ?? 0);
}

/** Chart options of a page: the JSON data blocks, by chart name. */
function chartsOf(page: string): Record<string, { series?: { data?: unknown[] }[] }> {
  const out: Record<string, { series?: { data?: unknown[] }[] }> = {};
  for (const m of page.matchAll(
    /<script type="application\/json" id="chart-data-([^"]+)">([\s\S]*?)<\/script>/g,
  )) {
    out[m[1]!] = JSON.parse(m[2]!);
  }
  return out;
}

describe("every page", () => {
  it.each(DASHBOARD_PAGES.map((p) => [p.path, p] as const))(
    "%s: Japanese by default with its labels, charts and hooks",
    async (_path, page) => {
      const text = await html(page.path);
      expect(text).toContain('<html lang="ja">');
      expect(text).toContain(`<h1>${LABELS[`page.${page.key}`].ja} ${LABELS[`page.${page.key}`].en}</h1>`);
      expect(text).toContain("時間基準 Time basis:");
      expect(text).toContain("鮮度 Freshness: 2026-01-25 時点、経過 7 時間");
      expect(text).not.toContain("⚠ 警告");
      expect(text).toMatch(/<a id="lang-switch" href="[^"]*lang=en"/);
      for (const other of DASHBOARD_PAGES) expect(text).toContain(`href="${other.path}"`);
      expect(text).toContain('class="csv-download"');
      expect(text).toContain('<form id="filters"');
      expect(text).not.toContain(LABELS["table.unavailable"].ja);
      // No inline script or style (the CSP refuses them): scripts are files or JSON data blocks.
      for (const tag of text.match(/<script[^>]*>/g) ?? [])
        expect(tag).toMatch(/ src="\/assets\/|type="application\/json"/);
      expect(text).not.toMatch(/ style=|<style|onclick|onload/i);
      const charts = chartsOf(text);
      const containers = [...text.matchAll(/<div class="chart" data-chart="([^"]+)"/g)].map((m) => m[1]);
      expect(containers.length).toBeGreaterThan(0);
      expect(Object.keys(charts).sort()).toEqual([...containers].sort());
      // Every chart has data to draw.
      for (const [name, option] of Object.entries(charts)) {
        const points = (option.series ?? []).reduce((n, s) => n + (s.data?.length ?? 0), 0);
        expect(points, `${page.path} chart ${name}`).toBeGreaterThan(0);
      }
    },
  );

  it.each(DASHBOARD_PAGES.map((p) => [p.path, p] as const))(
    "%s: English with ?lang=en",
    async (_path, page) => {
      const text = await html(`${page.path}?lang=en`);
      expect(text).toContain('<html lang="en">');
      expect(text).toContain(`<h1>${LABELS[`page.${page.key}`].en}</h1>`);
      expect(text).toContain("Time basis: snapshot taken 05:30 JST; weeks start Monday");
      expect(text).toContain("Freshness: as of 2026-01-25, 7 hours old");
      expect(text).toMatch(new RegExp(`<a id="lang-switch" href="${page.path.replace("/", "\\/")}"`));
      expect(text).toContain(`>${LABELS["filter.apply"].en}</button>`);
      expect(text).toContain(LABELS["table.download"].en);
      // Links keep the language.
      expect(text).toContain(`href="/funnel?lang=en"`);
    },
  );

  it("Overview: KPI cards of the latest month with month-over-month change; rooms at 00:00 of the latest day while the month runs", async () => {
    const text = await html("/?lang=en");
    const month = (
      await demo.reader.query(
        "SELECT occupancy_rate, rent FROM gold.kpi_month_end_metrics WHERE month_start = DATE '2026-01-01'",
      )
    ).rows[0]!;
    const card = (name: string) =>
      new RegExp(`data-kpi="${name}"[\\s\\S]*?kpi-value">([^<]+)<`).exec(text)![1];
    expect(card("occupancy_rate")).toBe(`${(Number(month.occupancy_rate) * 100).toFixed(1)}%`);
    expect(card("rent")).toBe(`¥${Math.round(Number(month.rent)).toLocaleString("en-US")}`);
    const rooms = await scalar(
      "SELECT occupancy_room_count_0000 AS v FROM gold.occupancy_daily_metrics WHERE snapshot_date = DATE '2026-01-25'",
    );
    expect(card("occupied_rooms_0000")).toBe(rooms.toLocaleString("en-US"));
    expect(text).toContain("Occupied rooms 00:00 (latest day 2026-01-25)");
    expect(text).toContain("Month: 2026-01");
    // The world holds one month: nothing to compare with yet.
    expect(text).toContain("vs previous month —");
    expect(text).toContain("data-trace>KPI definition version: ");
  });

  it("Data quality: the latest run's steps all ok, and its publish (untimed in the state) draws no bar", async () => {
    const steps = await csv("/quality.csv?table=steps");
    expect(steps.rows.map((r) => [r.step, r.status])).toEqual(
      ["select", "load", "snapshot", "enrich", "models", "publish"].map((step) => [step, "ok"]),
    );
    expect(steps.rows.at(-1)!.duration_ms).toBe("");
    const chart = chartsOf(await html("/quality?lang=en"))["step-timings"] as {
      yAxis?: { data?: string[] };
      series?: { data?: unknown[] }[];
    };
    expect(chart.yAxis?.data).toEqual(["select", "load", "snapshot", "enrich", "models"]);
    expect(chart.series?.[0]?.data).toHaveLength(5);
  });

  it("warns on every page when the data is older than the threshold", async () => {
    const start = clock;
    clock = new Date(start.getTime() + 2 * 86_400_000);
    try {
      for (const page of DASHBOARD_PAGES) {
        const text = await html(`${page.path}?lang=en`);
        expect(text).toContain("Freshness: as of 2026-01-25, 55 hours old ⚠ warning: older than 36 hours");
        expect(text).toContain('class="freshness stale" role="alert"');
      }
    } finally {
      clock = start;
    }
  });

  it("does not warn before the KPI definition's threshold (36 h): 33 hours old is fresh", async () => {
    const start = clock;
    clock = new Date(start.getTime() + 26 * 3_600_000);
    try {
      const text = await html("/?lang=en");
      expect(text).toContain("Freshness: as of 2026-01-25, 33 hours old");
      expect(text).not.toContain("warning: older than");
    } finally {
      clock = start;
    }
  });
});

describe("CSV downloads", () => {
  const tables = DASHBOARD_PAGE_MODULES.flatMap((m) =>
    m.tables.map((t) => [m.page.key, t.name, m, t] as const),
  );

  it.each(tables)(
    "%s %s: BOM, header, exactly the rows of the page's table, a file name",
    async (_k, _n, module, table) => {
      const url = `${module.page.csvPath}?table=${table.name}&from=2026-01-12&to=2026-01-25`;
      const { res, header, rows } = await csv(url);
      expect(header).toEqual(table.columns);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe(
        `attachment; filename="${module.page.key}_${table.name}_2026-01-12_2026-01-25.csv"`,
      );
      // Small tables are read whole and say their size; large ones stream page by page.
      if (table.previewOnly) expect(res.headers.get("x-row-count")).toBeNull();
      else expect(Number(res.headers.get("x-row-count"))).toBe(rows.length);
      const page = await html(`${module.page.path}?from=2026-01-12&to=2026-01-25`);
      const shown = new RegExp(`data-table="${table.name}"[\\s\\S]*?data-rows="(\\d+)"`).exec(page);
      expect(Number(shown![1])).toBe(rows.length);
      expect(page).toContain(
        `href="${module.page.csvPath}?from=2026-01-12&#38;to=2026-01-25&#38;table=${table.name}"`,
      );
    },
  );

  it("streams a large table page by page: every building x day of the range, in order", async () => {
    const { rows } = await csv("/geography.csv?table=property_daily&from=2026-01-10&to=2026-01-20");
    const expected = await scalar(
      "SELECT count(*) AS v FROM gold.occupancy_property_daily WHERE snapshot_date BETWEEN DATE '2026-01-10' AND DATE '2026-01-20'",
    );
    expect(rows.length).toBe(expected);
    expect(expected).toBeGreaterThan(50);
    const keys = rows.map((r) => `${r.snapshot_date}|${r.asset_id_hj}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
  });

  it("quotes values and holds no personal data columns", async () => {
    const { header } = await csv("/moveouts.csv?table=profile");
    expect(header.join(",")).not.toMatch(/name|email|phone|birth|tenant_code|tenant_id/);
    const { rows } = await csv("/geography.csv?table=buildings&lang=en");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.latitude !== "" && Number(r.latitude) > 35)).toBe(true);
  });

  it("refuses an unknown table with 400 naming the known ones", async () => {
    const res = await demo.get("/moveins.csv?table=users");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("table: expected one of weekly, profile, segments, got 'users'");
  });
});

describe("filters narrow the data", () => {
  it("from/to: the daily occupancy rows of the range only", async () => {
    const { rows } = await csv("/overview.csv?table=occupancy_daily&from=2026-01-10&to=2026-01-20");
    expect(rows.map((r) => r.snapshot_date)).toEqual(
      Array.from({ length: 11 }, (_, i) => `2026-01-${String(10 + i).padStart(2, "0")}`),
    );
  });

  it("tenant_type: weekly move-ins are the corporate ones of the mart", async () => {
    const all = await csv("/moveins.csv?table=weekly");
    const corporate = await csv("/moveins.csv?table=weekly&tenant_type=corporate");
    const expected = await scalar(
      "SELECT sum(moveins) AS v FROM gold.move_events_weekly WHERE tenant_type = 'corporate'",
    );
    expect(sum(corporate.rows, "moveins")).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(sum(corporate.rows, "moveins")).toBeLessThan(sum(all.rows, "moveins"));
    expect(sum(all.rows, "moveins")).toBe(
      await scalar("SELECT sum(moveins) AS v FROM gold.move_events_weekly"),
    );
  });

  it("nationality: funnel applications by day of one nationality", async () => {
    const code = String(
      (
        await demo.reader.query(
          "SELECT nationality_code AS v FROM gold.funnel_application_to_movein_daily GROUP BY 1 ORDER BY sum(applications) DESC LIMIT 1",
        )
      ).rows[0]!.v,
    );
    const { rows } = await csv(`/funnel.csv?table=daily&nationality=${code}`);
    const expected = await scalar(
      `SELECT sum(applications) AS v FROM gold.funnel_application_to_movein_daily WHERE nationality_code = '${code}'`,
    );
    expect(sum(rows, "applications")).toBe(expected);
    expect(expected).toBeLessThan(
      await scalar("SELECT sum(applications) AS v FROM gold.funnel_application_to_movein_daily"),
    );
  });

  it("building: one building on the map and in the churn table", async () => {
    const asset = String(
      (await demo.reader.query("SELECT min(asset_id_hj) AS v FROM gold.occupancy_property_map_latest"))
        .rows[0]!.v,
    );
    const buildings = await csv(`/geography.csv?table=buildings&building=${asset}`);
    expect(buildings.rows.map((r) => r.asset_id_hj)).toEqual([asset]);
    const churn = await csv(`/geography.csv?table=property_churn&building=${asset}`);
    expect(churn.rows.map((r) => r.asset_id_hj)).toEqual([asset]);
    const page = await html(`/geography?building=${asset}`);
    const map = chartsOf(page).map!;
    expect(map.series![1]!.data).toHaveLength(1);
  });

  it("municipality: churn and weekly move-outs of one municipality", async () => {
    const muni = String(
      (
        await demo.reader.query(
          "SELECT municipality_ja AS v FROM gold.move_events_weekly GROUP BY 1 ORDER BY sum(moveouts) DESC LIMIT 1",
        )
      ).rows[0]!.v,
    );
    const q = `municipality=${encodeURIComponent(muni)}`;
    const churn = await csv(`/geography.csv?table=municipality_churn&${q}`);
    expect(churn.rows.map((r) => r.municipality)).toEqual([muni]);
    expect(sum(churn.rows, "moveouts")).toBe(
      await scalar(
        `SELECT sum(moveouts) AS v FROM gold.municipality_churn_weekly WHERE municipality_ja = '${muni}'`,
      ),
    );
    const weekly = await csv(`/moveouts.csv?table=weekly&${q}`);
    const expected = await scalar(
      `SELECT sum(moveouts) AS v FROM gold.move_events_weekly WHERE municipality_ja = '${muni}'`,
    );
    expect(sum(weekly.rows, "moveouts")).toBe(expected);
    expect(expected).toBeLessThan(await scalar("SELECT sum(moveouts) AS v FROM gold.move_events_weekly"));
    // The weekly reasons mart has no municipality: the page says the filter does not apply.
    expect(await html(`/moveouts?${q}&lang=en`)).toContain(LABELS["note.unfiltered"].en);
  });

  it("grain: the funnel by day, week and month", async () => {
    const range = "from=2026-01-05&to=2026-01-25";
    const day = await csv(`/funnel.csv?table=periods&grain=day&${range}`);
    const week = await csv(`/funnel.csv?table=periods&grain=week&${range}`);
    const month = await csv(`/funnel.csv?table=periods&grain=month&${range}`);
    expect(week.rows.map((r) => r.period_start)).toEqual(["2026-01-05", "2026-01-12", "2026-01-19"]);
    expect(month.rows.map((r) => r.period_start)).toEqual(["2026-01-01"]);
    expect(day.rows.length).toBeGreaterThan(week.rows.length);
    expect(sum(day.rows, "applications")).toBe(sum(week.rows, "applications"));
  });

  it("date range and tenant type together on the move-in profile: shares sum to one per dimension", async () => {
    const { rows } = await csv(
      "/moveins.csv?table=profile&tenant_type=individual&from=2026-01-01&to=2026-01-31",
    );
    const dims = new Set(rows.map((r) => r.dimension));
    expect(dims.size).toBeGreaterThan(3);
    for (const d of dims) {
      const share = rows.filter((r) => r.dimension === d).reduce((s, r) => s + Number(r.share), 0);
      expect(share).toBeCloseTo(1, 6);
    }
    const tenantTypes = rows.filter((r) => r.dimension === "tenant_type");
    expect(tenantTypes).toHaveLength(1);
  });
});

describe("invalid and hostile filters", () => {
  const HOSTILE = [
    "' OR 1=1 --",
    "'; DROP TABLE gold.move_events_weekly; --",
    "corporate' OR 'a'='a",
    "\u2019 OR 1=1 --",
    "\uff07; DROP TABLE gold.dim_property; --",
    "2026-01-01' OR '1'='1",
    "1; SELECT * FROM tokyobeta_meta.daily_runs",
  ];
  const targets = DASHBOARD_PAGE_MODULES.flatMap((m) =>
    m.filters.flatMap((f) => [
      [m.page.path, f] as const,
      [`${m.page.csvPath}?table=${m.tables[0]!.name}&`, f] as const,
    ]),
  );

  it.each(targets)("%s %s: refused with 400, the marts untouched", async (base, filter) => {
    const before = await scalar(
      "SELECT count(*) AS v FROM information_schema.tables WHERE table_schema = 'gold'",
    );
    for (const value of HOSTILE) {
      const sep = base.endsWith("&") ? "" : "?";
      const res = await demo.get(`${base}${sep}${filter}=${encodeURIComponent(value)}`);
      expect(res.status, `${base} ${filter}=${value}`).toBe(400);
      const body = await res.text();
      expect(body).toContain(`${filter}:`);
      expect(body).not.toContain(value.includes("<") ? value : "\u0000");
    }
    // A fresh reader still sees every gold table, and the pages still answer.
    const reader = await demo.warehouse.openPublished();
    try {
      const after = Number(
        (
          await reader.query(
            "SELECT count(*) AS v FROM information_schema.tables WHERE table_schema = 'gold'",
          )
        ).rows[0]!.v,
      );
      expect(after).toBe(before);
      expect(
        Number((await reader.query("SELECT count(*) AS v FROM gold.move_events_weekly")).rows[0]!.v),
      ).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  });

  it("names the parameter of a malformed date, an impossible date, a reversed range, an unknown value", async () => {
    const cases: [string, string][] = [
      ["/?from=2026-1-5", "from: expected a date YYYY-MM-DD, got &#39;2026-1-5&#39;"],
      ["/?to=2026-02-30", "to: expected a date YYYY-MM-DD, got &#39;2026-02-30&#39;"],
      ["/funnel?from=2026-01-20&to=2026-01-10", "from (2026-01-20) is after to (2026-01-10)"],
      ["/funnel?grain=year", "grain: expected one of day, week, month, got &#39;year&#39;"],
      ["/moveins?tenant_type=robot", "tenant_type: unknown value &#39;robot&#39;"],
      ["/geography?building=HJ999999", "building: unknown value &#39;HJ999999&#39;"],
      ["/moveins?nationality=%3Cscript%3E", "nationality: unknown value &#39;&#60;script&#62;&#39;"],
    ];
    for (const [url, message] of cases) {
      const res = await demo.get(url);
      expect(res.status, url).toBe(400);
      expect(await res.text()).toContain(message);
    }
  });

  it("ignores filters a page does not have and empty values (the form's All)", async () => {
    expect((await demo.get("/quality?tenant_type=anything")).status).toBe(200);
    expect((await demo.get("/moveins?tenant_type=&nationality=&from=")).status).toBe(200);
  });
});

describe("assets and publishing", () => {
  it("serves ECharts and the page's script and stylesheet from the package, behind login", async () => {
    const echarts = await demo.get("/assets/echarts.min.js");
    expect(echarts.status).toBe(200);
    expect(echarts.headers.get("content-type")).toContain("javascript");
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    expect((await demo.get("/assets/dashboard.js")).status).toBe(200);
    expect((await demo.get("/assets/dashboard.css")).headers.get("content-type")).toContain("text/css");
    expect((await demo.get("/assets/..%2Fpackage.json")).status).toBe(404);
    expect((await demo.dash.app.request("/assets/echarts.min.js")).status).toBe(302);
  });

  it("keeps serving the published state while a run builds, and picks up the next publish", async () => {
    const before = await html("/?lang=en");
    const rent = /data-kpi="rent"[\s\S]*?kpi-value">([^<]+)</.exec(before)![1];
    const writer = await demo.warehouse.beginState({ label: "pages test" });
    await writer.exec(
      "UPDATE gold.kpi_month_end_metrics SET rent = 123456 WHERE month_start = (SELECT max(month_start) FROM gold.kpi_month_end_metrics WHERE month_start <= DATE '2026-01-25')",
    );
    const during = await html("/?lang=en");
    expect(/data-kpi="rent"[\s\S]*?kpi-value">([^<]+)</.exec(during)![1]).toBe(rent);
    await writer.exec(`INSERT INTO tokyobeta_meta.test_results (run_id, test, node, severity, status, failures, "at")
      SELECT run_id, 'not_null_gold_dim_property_latitude', 'gold.dim_property', 'warn', 'warn', 3, "at" + INTERVAL 1 SECOND
      FROM tokyobeta_meta.test_results ORDER BY "at" DESC LIMIT 1`);
    await writer.publish();
    const after = await html("/?lang=en");
    expect(/data-kpi="rent"[\s\S]*?kpi-value">([^<]+)</.exec(after)![1]).toBe("¥123,456");
    const failing = await csv("/quality.csv?table=failing_tests");
    expect(failing.rows).toEqual([
      {
        test: "not_null_gold_dim_property_latitude",
        node: "gold.dim_property",
        severity: "warn",
        status: "warn",
        failures: "3",
      },
    ]);
  });
});
