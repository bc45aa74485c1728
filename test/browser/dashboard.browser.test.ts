/**
 * The dashboard in a real browser (Debian's chromium via playwright-core) against the real
 * server on a published demo world: access (login, logout, redirects, open-redirect attempts,
 * cookie flags), every page's charts drawn with data and without console errors or CSP
 * violations, the Time basis / Freshness labels in both languages, the language switch, a
 * filtered CSV download, a phone-sized overview, and a screenshot of every page saved under
 * test-artifacts/screenshots/. One browser and one world for the whole file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_PAGES, type DashboardPage } from "../../src/dashboard/pages.js";
import {
  buildDashboardWorld,
  CHROMIUM_PATH,
  chromiumAvailable,
  launchChromium,
  sessionCookie,
  signIn,
  signedInContext,
  startDashboardServer,
  type DashboardServer,
  type DashboardWorld,
} from "../support/browser.js";
import { requireServer } from "../support/mariadb.js";
import {
  ALL_CHARTS_RENDERED,
  CHART_REPORTS,
  CSP_VIOLATIONS,
  LAYOUT_WIDTHS,
  NEXT_FRAME,
  RECORD_CSP_VIOLATIONS,
  SCRIPT_COOKIES,
} from "./in-page.js";

// A missing chromium never lets these tests pass: with CI=true the file fails here (the
// project's rule for missing servers); locally the tests fail in beforeAll with the install hint.
if (process.env.CI === "true") requireServer(`Chromium (${CHROMIUM_PATH})`, chromiumAvailable());

const SCREENSHOTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../test-artifacts/screenshots",
);
/** Seven days of dumps: enough for daily and weekly charts, small enough to build in ~30 s. */
const FROM = "2026-01-19";
const TO = "2026-01-25";

let root: string;
let world: DashboardWorld;
let server: DashboardServer;
let browser: Browser;
let session: { context: BrowserContext; page: Page };

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "tb-browser-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  world = await buildDashboardWorld({ dir: root, scale: 0.02, from: FROM, to: TO, seed: 3 });
  server = await startDashboardServer(world, { trustProxy: true });
  session = await signedInContext(browser, server);
}, 300_000); // the world: ~30-90 s depending on the machine's load

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What went wrong in a page while it was open: console errors, page errors, CSP violations. */
interface PageProblems {
  console: string[];
  csp: string[];
}

/** Opens `url` in a new page of `context`, recording console errors and CSP violations. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems: PageProblems = { console: [], csp: [] };
  page.on("console", (m) => {
    if (m.type() === "error") problems.console.push(m.text());
  });
  page.on("pageerror", (e) => problems.console.push(`page error: ${e.message}`));
  await page.addInitScript(RECORD_CSP_VIOLATIONS);
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(200);
  return { page, problems };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(CSP_VIOLATIONS);
}

interface ChartReport {
  name: string;
  rendered: boolean;
  /** Data points over all series (and dataset rows). */
  points: number;
  /** Painted (non-transparent) canvas pixels, or SVG paths. */
  painted: number;
}

/** Waits until every chart is drawn, then measures what each one holds and paints. */
async function chartsOf(page: Page): Promise<ChartReport[]> {
  await page.waitForFunction(ALL_CHARTS_RENDERED, undefined, { timeout: 15_000 });
  await page.evaluate(NEXT_FRAME);
  return page.evaluate<ChartReport[]>(CHART_REPORTS);
}

/** The problems, with the page path, so a failure names them. */
function expectNoProblems(where: string, problems: PageProblems, csp: string[]): void {
  expect({ where, console: problems.console, csp }).toEqual({ where, console: [], csp: [] });
}

describe("access", () => {
  it("redirects every page and download to the login page when not signed in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const p of DASHBOARD_PAGES) {
      await page.goto(`${server.base}${p.path}?lang=en`);
      const url = new URL(page.url());
      expect(url.pathname, p.path).toBe("/__auth/login");
      expect(url.searchParams.get("return_to"), p.path).toBe(`${p.path}?lang=en`);
      expect(await page.locator('input[name="password"]').count()).toBe(1);
    }
    const csv = await fetch(`${server.base}${DASHBOARD_PAGES[0]!.csvPath}`, { redirect: "manual" });
    expect(csv.status).toBe(302);
    expect(csv.headers.get("location")).toMatch(/^\/__auth\/login\?return_to=/);
    await context.close();
  });

  it("signs in back to return_to, signs out back to the login page, and the session is gone", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/moveins?lang=en`);
    await page.fill('input[name="username"]', server.user);
    await page.fill('input[name="password"]', server.password);
    await Promise.all([page.waitForURL(/\/moveins\?lang=en$/), page.click('button[type="submit"]')]);
    expect(await page.locator("h1").textContent()).toBeTruthy();

    await Promise.all([page.waitForURL(/\/__auth\/login$/), page.click('a[href="/__auth/logout"]')]);
    expect((await context.cookies()).find((c) => c.name === "evidence_session")).toBeUndefined();
    await page.goto(`${server.base}/`);
    expect(new URL(page.url()).pathname).toBe("/__auth/login");
    await context.close();
  });

  it("refuses a wrong password on the form", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/__auth/login`);
    await page.fill('input[name="username"]', server.user);
    await page.fill('input[name="password"]', "not the password");
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.click("button"),
    ]);
    expect(res.status()).toBe(401);
    expect(await page.locator('[role="alert"]').textContent()).toContain("Wrong user name or password");
    await context.close();
  });

  const attempts = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
  ];
  for (const attempt of attempts) {
    it(`lands on / after login when return_to is ${attempt}`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.base}/__auth/login?return_to=${encodeURIComponent(attempt)}`);
      // The form carries what the server kept; put the raw attempt back so the POST is tested too.
      await page.evaluate(
        `document.querySelector('input[name="return_to"]').value = ${JSON.stringify(attempt)}`,
      );
      await page.fill('input[name="username"]', server.user);
      await page.fill('input[name="password"]', server.password);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/__auth/")), page.click("button")]);
      expect(page.url()).toBe(`${server.base}/`);
      await context.close();
    });
  }

  it("sets the session cookie HttpOnly, SameSite=Lax, at most 8 hours, not Secure over plain HTTP", async () => {
    const cookie = (await session.context.cookies()).find((c) => c.name === "evidence_session");
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
    expect(cookie!.secure).toBe(false);
    expect(cookie!.path).toBe("/");
    const lifetime = cookie!.expires - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(7.9 * 3600);
    expect(lifetime).toBeLessThanOrEqual(8 * 3600);
    // Scripts in the page cannot read it.
    expect(await session.page.evaluate<string>(SCRIPT_COOKIES)).not.toContain("evidence_session");
  });

  it("marks the cookie Secure behind a trusted proxy that says X-Forwarded-Proto: https", async () => {
    const form = await fetch(`${server.base}/__auth/login`, { headers: { "x-forwarded-proto": "https" } });
    const token = /name="csrf_token" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await fetch(`${server.base}/__auth/login`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-proto": "https",
        cookie: form.headers
          .getSetCookie()
          .map((l) => l.split(";")[0])
          .join("; "),
      },
      body: new URLSearchParams({ username: server.user, password: server.password, csrf_token: token }),
    });
    expect(res.status).toBe(303);
    const line = res.headers.getSetCookie().find((l) => l.startsWith("evidence_session="))!;
    expect(line).toMatch(/;\s*Secure/i);
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(Number(/Max-Age=(\d+)/i.exec(line)![1])).toBeLessThanOrEqual(8 * 3600);
  });
});

function pageUrl(p: DashboardPage, lang: "ja" | "en"): string {
  return `${server.base}${p.path}${lang === "en" ? "?lang=en" : ""}`;
}

describe("pages", () => {
  for (const p of DASHBOARD_PAGES) {
    it(`${p.path} (${p.key}) draws its charts with data, no console error or CSP violation, screenshot`, async () => {
      const { page, problems } = await open(session.context, pageUrl(p, "ja"));
      expect(await page.getAttribute("html", "lang")).toBe("ja");
      const charts = await chartsOf(page);
      expect(charts.length, `${p.path}: chart containers`).toBeGreaterThan(0);
      for (const c of charts) {
        expect({
          page: p.path,
          chart: c.name,
          rendered: c.rendered,
          hasData: c.points > 0,
          painted: c.painted > 100,
        }).toEqual({ page: p.path, chart: c.name, rendered: true, hasData: true, painted: true });
      }
      const text = await page.locator("body").innerText();
      expect(text).toContain("Time basis:");
      expect(text).toContain("Freshness:");
      expect(text).toContain("時間基準");
      expect(text).toContain("鮮度");
      expect(await page.locator("#lang-switch").count()).toBe(1);
      expect(await page.locator("a.csv-download").count(), `${p.path}: CSV links`).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${p.key}.png`), fullPage: true });
      expectNoProblems(p.path, problems, await cspViolations(page));
      await page.close();
    });

    it(`${p.path} (${p.key}) in English keeps the labels and draws its charts`, async () => {
      const { page, problems } = await open(session.context, pageUrl(p, "en"));
      expect(await page.getAttribute("html", "lang")).toBe("en");
      const charts = await chartsOf(page);
      expect(charts.every((c) => c.rendered && c.points > 0)).toBe(true);
      const text = await page.locator("body").innerText();
      expect(text).toContain("Time basis:");
      expect(text).toContain("Freshness:");
      expect(text).not.toContain("時間基準");
      expectNoProblems(`${p.path}?lang=en`, problems, await cspViolations(page));
      await page.close();
    });
  }
});

describe("language switch", () => {
  it("switches Japanese to English and back, keeping the filters", async () => {
    const { page } = await open(session.context, `${server.base}/?from=${FROM}&to=${TO}`);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await Promise.all([page.waitForURL(/lang=en/), page.click("#lang-switch")]);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    let url = new URL(page.url());
    expect([url.pathname, url.searchParams.get("from"), url.searchParams.get("to")]).toEqual(["/", FROM, TO]);
    expect(await page.locator("nav").innerText()).toMatch(/Overview/);

    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("lang") !== "en"),
      page.click("#lang-switch"),
    ]);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    url = new URL(page.url());
    expect([url.pathname, url.searchParams.get("from"), url.searchParams.get("to")]).toEqual(["/", FROM, TO]);
    await page.close();
  });
});

/** Parses RFC 4180 CSV text (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ",") {
      endField();
    } else if (!quoted && ch === "\n") {
      field = field.replace(/\r$/, "");
      endField();
      rows.push(row);
      row = [];
    } else {
      field += ch;
    }
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Clicks the CSV link of `table` and returns the downloaded file's name, raw bytes and rows. */
async function downloadCsv(page: Page, table: string) {
  const link = page.locator(`[data-table="${table}"] a.csv-download`);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const bytes = readFileSync((await download.path())!);
  const [header, ...rows] = parseCsv(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  const shown = Number(await page.locator(`[data-table="${table}"] .row-count`).getAttribute("data-rows"));
  return { file: download.suggestedFilename(), bytes, header: header!, rows, shown };
}

describe("CSV download", () => {
  it("downloads exactly the rows of the date filter in the URL, UTF-8 with BOM", async () => {
    const from = "2026-01-21";
    const to = "2026-01-23";
    const { page } = await open(session.context, `${server.base}/?from=${from}&to=${to}`);
    const csv = await downloadCsv(page, "occupancy_daily");
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.file).toBe(`overview_occupancy_daily_${from}_${to}.csv`);
    const date = csv.header.indexOf("snapshot_date");
    expect(date).toBeGreaterThanOrEqual(0);
    expect(csv.rows.map((r) => r[date])).toEqual(["2026-01-21", "2026-01-22", "2026-01-23"]);
    expect(csv.rows).toHaveLength(csv.shown);
    await page.close();
  });

  it("downloads exactly the rows of a categorical filter chosen in the filter form", async () => {
    const moveins = DASHBOARD_PAGES.find((p) => p.key === "moveins")!;
    const { page } = await open(session.context, `${server.base}${moveins.path}?lang=en`);
    const select = 'form#filters select[name="tenant_type"]';
    const option = page.locator(`${select} option:not([value=""])`).first();
    const tenantType = (await option.getAttribute("value"))!;
    const label = (await option.textContent())!;
    expect(tenantType).toBeTruthy();
    await page.selectOption(select, tenantType);
    await Promise.all([page.waitForURL(/tenant_type=/), page.click('form#filters button[type="submit"]')]);
    const url = new URL(page.url());
    expect([url.searchParams.get("tenant_type"), url.searchParams.get("lang")]).toEqual([tenantType, "en"]);

    // The profile table counts move-ins per dimension value: filtered by one tenant type, its
    // tenant_type rows hold that type only (share 1), and every row of the CSV is on the page.
    const csv = await downloadCsv(page, "profile");
    expect(csv.header).toEqual(["dimension", "value", "moveins", "share"]);
    expect(csv.rows).toHaveLength(csv.shown);
    const typeRows = csv.rows.filter((r) => r[0] === "tenant_type");
    expect(typeRows).toHaveLength(1);
    expect(label).toContain(typeRows[0]![1]);
    expect(Number(typeRows[0]![3])).toBe(1);
    const filtered = Number(typeRows[0]![2]);
    expect(filtered).toBeGreaterThan(0);

    // Without the filter the same download holds every tenant type, with more move-ins.
    const all = await fetch(`${server.base}${moveins.csvPath}?table=profile&lang=en`, {
      headers: { cookie: await sessionCookie(server) },
    });
    expect(all.status).toBe(200);
    const allTypes = parseCsv((await all.text()).replace(/^\uFEFF/, "")).filter(
      (r) => r[0] === "tenant_type",
    );
    expect(allTypes.length).toBeGreaterThan(1);
    expect(allTypes.reduce((n, r) => n + Number(r[2]), 0)).toBeGreaterThan(filtered);
    await page.close();
  });
});

describe("every detail table", () => {
  it("downloads as CSV from every page: 200, UTF-8 with BOM, the table's header, a file name", async () => {
    const cookie = await sessionCookie(server);
    const failures: string[] = [];
    let checked = 0;
    for (const p of DASHBOARD_PAGES) {
      const html = await (await fetch(`${server.base}${p.path}`, { headers: { cookie } })).text();
      for (const m of html.matchAll(/<a class="csv-download" href="([^"]+)"/g)) {
        const href = m[1]!.replace(/&#(\d+);/g, (_x, code: string) => String.fromCharCode(Number(code)));
        const res = await fetch(`${server.base}${href}`, { headers: { cookie } });
        const bytes = Buffer.from(await res.arrayBuffer());
        checked++;
        const disposition = res.headers.get("content-disposition") ?? "";
        if (res.status !== 200)
          failures.push(`${href}: HTTP ${res.status} ${bytes.toString("utf8").slice(0, 200)}`);
        else if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf)
          failures.push(`${href}: no BOM`);
        else if (!/^[a-z0-9_]+(,[a-z0-9_]+)*\r\n/.test(bytes.subarray(3).toString("utf8")))
          failures.push(`${href}: header ${bytes.subarray(3, 120).toString("utf8")}`);
        else if (!/attachment; filename="[a-z_]+_[a-z_]+_[\w-]+\.csv"/.test(disposition))
          failures.push(`${href}: content-disposition ${disposition}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(DASHBOARD_PAGES.length);
    expect(failures).toEqual([]);
  });
});

describe("phone", () => {
  it("renders the overview on a phone-sized screen without horizontal scrolling", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await signIn(page, server);
    const charts = await chartsOf(page);
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts)
      expect({ chart: c.name, painted: c.painted > 100 }).toEqual({ chart: c.name, painted: true });
    const widths = await page.evaluate<{ page: number; screen: number; chart: number }>(LAYOUT_WIDTHS);
    expect(widths.page).toBeLessThanOrEqual(widths.screen + 1);
    expect(widths.chart).toBeLessThanOrEqual(widths.screen);
    expect(await page.locator("body").innerText()).toContain("Freshness:");
    await page.screenshot({ path: path.join(SCREENSHOTS, "overview-phone.png"), fullPage: true });
    await phone.close();
  });
});
