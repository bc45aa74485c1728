/** The dashboard app in memory (app.request): login, logout, redirects, cookies, CSRF, rate limit, `/`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { Warehouse } from "../warehouse/warehouse.js";
import { createDashboardApp, type DashboardApp } from "./create-dashboard-app.js";
import { UsersFile } from "./users/users-file.js";

let root: string;
let warehouse: Warehouse;
let users: UsersFile;
let clock = new Date("2026-02-01T03:30:00Z"); // 12:30 JST, seven hours after the 05:30 snapshot
let dash: DashboardApp;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "tokyobeta-dashboard-"));
  warehouse = await openWarehouse(path.join(root, "warehouse"));
  const writer = await warehouse.beginState({ label: "dashboard test" });
  await writer.exec(`CREATE SCHEMA gold;
    CREATE TABLE gold.occupancy_daily_metrics(snapshot_date DATE, is_projection BOOLEAN);
    INSERT INTO gold.occupancy_daily_metrics VALUES
      ('2026-01-31', false), ('2026-02-01', false), ('2026-02-02', true), ('2026-03-01', true);`);
  await writer.publish();
  users = new UsersFile(path.join(root, "users.json"));
  await users.add("aiko", "correct horse");
  dash = newApp();
});
afterAll(async () => {
  await dash.close();
  await warehouse.close();
  rmSync(root, { recursive: true, force: true });
});

function newApp(options: { trustProxy?: boolean } = {}): DashboardApp {
  return createDashboardApp({
    warehouse,
    users,
    now: () => clock,
    secret: "test-secret-0123456789",
    ...options,
  });
}

function cookiesOf(res: Response): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const i = pair!.indexOf("=");
    jar[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  return jar;
}

function cookieHeader(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
}

/** GETs the login form and returns its CSRF cookie and token. */
async function loginForm(app: DashboardApp, base = "http://localhost", headers: Record<string, string> = {}) {
  const res = await app.app.request(`${base}/__auth/login`, { headers });
  expect(res.status).toBe(200);
  const html = await res.text();
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
  return { jar: cookiesOf(res), token, html };
}

async function login(
  app: DashboardApp,
  fields: { username?: string; password?: string; return_to?: string; csrf_token?: string | null },
  options: { base?: string; headers?: Record<string, string> } = {},
) {
  const form = await loginForm(app, options.base, options.headers);
  const body = new URLSearchParams();
  body.set("username", fields.username ?? "aiko");
  body.set("password", fields.password ?? "correct horse");
  if (fields.return_to !== undefined) body.set("return_to", fields.return_to);
  if (fields.csrf_token !== null) body.set("csrf_token", fields.csrf_token ?? form.token);
  return app.app.request(`${options.base ?? "http://localhost"}/__auth/login`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieHeader(form.jar),
      ...options.headers,
    },
  });
}

describe("access", () => {
  it("redirects unauthenticated requests to the login page with return_to", async () => {
    const res = await dash.app.request("/moveins?x=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/__auth/login?return_to=%2Fmoveins%3Fx%3D1");
    expect((await dash.app.request("/")).headers.get("location")).toBe("/__auth/login?return_to=%2F");
  });

  it("serves a login form without inline script, with a CSRF token", async () => {
    const { html, jar } = await loginForm(dash);
    expect(html).toContain('<form method="post" action="/__auth/login">');
    expect(html).not.toMatch(/<script|onclick|onload|style=/i);
    expect(jar.evidence_csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("logs in, sets the session cookie with its flags, shows `/`, logs out", async () => {
    const res = await login(dash, { return_to: "/moveins?x=1" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/moveins?x=1");
    const line = res.headers.getSetCookie().find((l) => l.startsWith("evidence_session="))!;
    expect(line).toContain("HttpOnly");
    expect(line).toContain("SameSite=Lax");
    expect(line).toContain("Max-Age=28800");
    expect(line).toContain("Path=/");
    expect(line).not.toContain("Secure");
    const session = cookiesOf(res).evidence_session!;
    expect(Buffer.from(session, "base64url")).toHaveLength(32);

    const cookie = `evidence_session=${session}`;
    const home = await dash.app.request("/", { headers: { cookie } });
    expect(home.status).toBe(200);

    const out = await dash.app.request("/__auth/logout", { headers: { cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/__auth/login");
    expect(out.headers.getSetCookie().join("\n")).toMatch(/evidence_session=;.*Max-Age=0/);
    expect((await dash.app.request("/", { headers: { cookie } })).status).toBe(302);
  });

  it("expires sessions on the server after 8 hours", async () => {
    const app = newApp();
    const session = cookiesOf(await login(app, {})).evidence_session!;
    const cookie = `evidence_session=${session}`;
    const start = clock;
    clock = new Date(start.getTime() + 8 * 3_600_000 - 1000);
    expect((await app.app.request("/", { headers: { cookie } })).status).toBe(200);
    clock = new Date(start.getTime() + 8 * 3_600_000);
    expect((await app.app.request("/", { headers: { cookie } })).status).toBe(302);
    clock = start;
  });

  it("marks the cookie Secure over HTTPS, and behind a trusted proxy only", async () => {
    const secure = (res: Response) =>
      res.headers
        .getSetCookie()
        .find((l) => l.startsWith("evidence_session="))!
        .includes("Secure");
    expect(secure(await login(newApp(), {}, { base: "https://dash.example" }))).toBe(true);
    const forwarded = { headers: { "x-forwarded-proto": "https" } };
    expect(secure(await login(newApp(), {}, forwarded))).toBe(false);
    expect(secure(await login(newApp({ trustProxy: true }), {}, forwarded))).toBe(true);
  });

  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
  ])("lands on / after login for return_to %j", async (returnTo) => {
    const res = await login(newApp(), { return_to: returnTo });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
  });

  it("keeps a relative return_to and carries it through the login form", async () => {
    const res = await dash.app.request("/__auth/login?return_to=%2Fmoveins%3Fx%3D1");
    expect(await res.text()).toContain('name="return_to" value="/moveins?x=1"');
    const evil = await dash.app.request("/__auth/login?return_to=%2F%2Fevil.example");
    expect(await evil.text()).toContain('name="return_to" value="/"');
  });

  it("refuses a login POST without or with a wrong CSRF token (403)", async () => {
    const app = newApp();
    expect((await login(app, { csrf_token: null })).status).toBe(403);
    expect((await login(app, { csrf_token: "x".repeat(43) })).status).toBe(403);
    // A token from another browser's cookie does not fit this one.
    const other = await loginForm(app);
    expect((await login(app, { csrf_token: other.token })).status).toBe(403);
  });

  it("refuses a wrong password with 401 and no session", async () => {
    const res = await login(newApp(), { password: "wrong" });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().join("\n")).not.toContain("evidence_session");
    expect(await res.text()).toContain("Wrong user name or password");
    expect((await login(newApp(), { username: "nobody" })).status).toBe(401);
  });

  it("rate-limits failed logins per user and per IP: the sixth within 15 minutes gets 429", async () => {
    const app = newApp({ trustProxy: true });
    const ip = (addr: string) => ({ headers: { "x-forwarded-for": addr } });
    for (let i = 0; i < 5; i++) {
      expect((await login(app, { password: "wrong" }, ip(`10.0.0.${i}`))).status).toBe(401);
    }
    const blocked = await login(app, {}, ip("10.0.0.99"));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);

    for (let i = 0; i < 5; i++) {
      expect((await login(app, { username: `u${i}`, password: "x" }, ip("10.9.9.9"))).status).toBe(401);
    }
    expect((await login(app, { username: "someone" }, ip("10.9.9.9"))).status).toBe(429);
  });

  it("puts the security headers on every response", async () => {
    for (const p of ["/", "/__auth/login", "/nowhere"]) {
      const res = await dash.app.request(p);
      expect(res.headers.get("content-security-policy")).toBe(
        "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("/", () => {
  async function signedIn(): Promise<string> {
    return `evidence_session=${cookiesOf(await login(dash, {})).evidence_session!}`;
  }

  it("shows the as-of date (latest fact snapshot) with Time basis and Freshness, Japanese by default", async () => {
    const html = await (await dash.app.request("/", { headers: { cookie: await signedIn() } })).text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("時間基準 Time basis: スナップショット 05:30 JST");
    expect(html).toContain("鮮度 Freshness: 2026-02-01 時点、経過 7 時間");
    expect(html).not.toContain("2026-03-01");
    expect(html).not.toContain("警告");
  });

  it("switches to English with ?lang=en and warns when the data is stale", async () => {
    const cookie = await signedIn();
    const html = await (await dash.app.request("/?lang=en", { headers: { cookie } })).text();
    expect(html).toContain("Time basis: snapshot taken 05:30 JST; weeks start Monday");
    expect(html).toContain("Freshness: as of 2026-02-01, 7 hours old");
    const start = clock;
    clock = new Date(start.getTime() + 2 * 3_600_000 * 24);
    const later = await signedIn();
    const stale = await (await dash.app.request("/?lang=en", { headers: { cookie: later } })).text();
    clock = start;
    expect(stale).toContain("Freshness: as of 2026-02-01, 55 hours old ⚠ warning: older than 36 hours");
  });

  it("notices a new publish", async () => {
    const cookie = await signedIn();
    const writer = await warehouse.beginState({ label: "next day" });
    await writer.exec("INSERT INTO gold.occupancy_daily_metrics VALUES ('2026-02-02', false)");
    await writer.publish();
    const html = await (await dash.app.request("/?lang=en", { headers: { cookie } })).text();
    expect(html).toContain("As-of date: 2026-02-02");
  });

  it("warns at the published KPI definition's freshness threshold (gold.occupancy_kpi_meta)", async () => {
    const writer = await warehouse.beginState({ label: "threshold 12 h" });
    await writer.exec(`CREATE TABLE gold.occupancy_kpi_meta(freshness_threshold_hours INTEGER);
      INSERT INTO gold.occupancy_kpi_meta VALUES (12)`);
    await writer.publish();
    const start = clock;
    clock = new Date(start.getTime() + 24 * 3_600_000);
    try {
      const cookie = await signedIn();
      const html = await (await dash.app.request("/?lang=en", { headers: { cookie } })).text();
      expect(html).toContain("Freshness: as of 2026-02-02, 7 hours old");
      clock = new Date(start.getTime() + 30 * 3_600_000);
      const later = await (await dash.app.request("/?lang=en", { headers: { cookie } })).text();
      expect(later).toContain("⚠ warning: older than 12 hours");
    } finally {
      clock = start;
    }
  });
});
