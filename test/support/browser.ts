/**
 * Browser tests and the dashboard benchmark: Debian's chromium driven by playwright-core (never
 * a downloaded browser), a demo world built into a published warehouse, the real dashboard
 * server (`startDashboard`, the code behind `tokyobeta serve`) on a random loopback port, a user
 * in the users file and a signed-in browser context.
 *
 * ```ts
 * const available = requireServer("Chromium", chromiumAvailable());
 * describe.skipIf(!available)("...", () => {
 *   beforeAll(async () => {
 *     world = await buildDashboardWorld({ dir, scale: 0.02, from: "2026-01-05", to: "2026-01-25" });
 *     server = await startDashboardServer(world);
 *     browser = await launchChromium();
 *   });
 * });
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { formatBusinessDate, parseBusinessDate } from "../../src/calendar/business-date.js";
import { startDashboard } from "../../src/cli/commands/serve.js";
import { resolveSettings, type Settings } from "../../src/config/settings.js";
import { UsersFile } from "../../src/dashboard/users/users-file.js";
import { backfill } from "../../src/pipeline/backfill.js";
import { snapshotModelsStep } from "../../src/pipeline/daily-run.js";
import { runDailyRecorded } from "../../src/pipeline/daily-run-recorded.js";
import { engineOfLocation } from "../../src/warehouse/open-warehouse.js";
import { generateTestWorld } from "./demo-world.js";

/** Debian's chromium (`.ci/run` installs it); TOKYOBETA_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.TOKYOBETA_CHROMIUM ?? "/usr/bin/chromium";

/** The flags of a quiet, offline headless chromium (no update, sync or QUIC traffic). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** True when the chromium binary is installed (callers pass this to requireServer). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Launches chromium. playwright's launch() gives every browser a fresh temporary
 * user-data-dir and removes it on close, so no profile state leaks between runs.
 */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium, as .ci/run does)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface DashboardWorldOptions {
  /** Folder of the world: `world/` (dumps) and `world/warehouse/` are created inside. */
  dir: string;
  scale: number;
  /** First and last business date (YYYY-MM-DD) of the dumps. */
  from: string;
  to: string;
  seed?: number;
  /** Megabytes of auxiliary tables per dump (default 0.02: the dashboard never reads them). */
  auxMb?: number;
  /** Progress lines (the benchmark prints them; tests stay quiet). */
  log?: (line: string) => void;
}

export interface DashboardWorld {
  /** The world's config file (store and warehouse paths, reference scale). */
  config: string;
  settings: Settings;
  /** Business date of the published state (the last dump). */
  asOf: string;
}

/**
 * A demo world whose last day is published by a real daily run, as `tokyobeta demo` builds it:
 * dumps generated, the earlier days backfilled with their snapshot models, then the recorded
 * `run daily` for the last day (gold marts, tests, run record, publish). Reused when the
 * folder already holds it.
 */
export async function buildDashboardWorld(options: DashboardWorldOptions): Promise<DashboardWorld> {
  const log = options.log ?? (() => {});
  const out = path.resolve(options.dir, "world");
  const config = path.join(out, "tokyobeta.yaml");
  const done = path.join(out, "dashboard-world.done");
  const settings = () => resolveSettings({ env: {}, configFile: config }).values;
  if (existsSync(done)) {
    log(`reusing the world in ${out}`);
    return { config, settings: settings(), asOf: readFileSync(done, "utf8").trim() };
  }
  if (!existsSync(path.join(out, "demo-world.json"))) {
    log(`generating a scale-${options.scale} world ${options.from} .. ${options.to} in ${out}`);
    await generateTestWorld(out, {
      from: options.from,
      to: options.to,
      scale: options.scale,
      seed: options.seed ?? 1,
      auxMb: options.auxMb ?? 0.02,
    });
  }
  const resolved = settings();
  const before = formatBusinessDate(parseBusinessDate(options.to) - 1);
  log(`backfilling ${options.from} .. ${before}`);
  await backfill(resolved, {
    from: options.from,
    to: before,
    checkpointEvery: 30,
    afterDate: snapshotModelsStep(resolved, engineOfLocation(resolved.warehouse)),
    cacheDir: path.join(options.dir, "checksum-cache"),
  });
  log(`daily run for ${options.to}`);
  // The recorded run, as `tokyobeta run daily` does: its record lands in tokyobeta_meta.daily_runs.
  const { record, exitCode } = await runDailyRecorded(resolved, options.to);
  if (exitCode !== 0) {
    const failing = (record.tests?.failing ?? []).map((t) => t.test).join(", ");
    throw new Error(
      `the daily run for ${options.to} ended ${record.state}: ${record.error ?? ""} (failing tests: ${failing})`,
    );
  }
  writeFileSync(done, `${options.to}\n`);
  return { config, settings: resolved, asOf: options.to };
}

export interface DashboardServer {
  /** Base URL without the trailing slash, e.g. `http://127.0.0.1:41234`. */
  base: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * Starts the dashboard as `tokyobeta serve --host 127.0.0.1 --port 0` does, on the world's
 * published warehouse, with a user added to the users file. `trustProxy` writes a config
 * beside the world's that sets dashboard.trust_proxy (X-Forwarded-Proto makes cookies Secure).
 */
export async function startDashboardServer(
  world: DashboardWorld,
  options: { trustProxy?: boolean; user?: string; password?: string } = {},
): Promise<DashboardServer> {
  const user = options.user ?? "aiko";
  const password = options.password ?? "correct horse battery";
  const config = path.join(path.dirname(world.config), "dashboard-test.yaml");
  const usersFile = path.join(path.dirname(world.config), "dashboard-users.json");
  writeFileSync(
    config,
    [
      readFileSync(world.config, "utf8").trimEnd(),
      "dashboard:",
      `  users_file: ${JSON.stringify(usersFile)}`,
      `  trust_proxy: ${options.trustProxy ? "true" : "false"}`,
      "",
    ].join("\n"),
  );
  const users = new UsersFile(usersFile);
  await users.add(user, password);
  const quiet = { out: () => {}, err: () => {} };
  const started = await startDashboard(
    { config, warehouse: world.settings.warehouse, host: "127.0.0.1", port: "0" },
    quiet,
  );
  return { base: started.url.replace(/\/$/, ""), user, password, stop: started.stop };
}

/** Signs `page` in through the login form; resolves once the dashboard page has loaded. */
export async function signIn(page: Page, server: DashboardServer, returnTo = "/"): Promise<void> {
  await page.goto(`${server.base}/__auth/login?return_to=${encodeURIComponent(returnTo)}`);
  await page.fill('input[name="username"]', server.user);
  await page.fill('input[name="password"]', server.password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/__auth/")),
    page.click('button[type="submit"]'),
  ]);
}

/** A new browser context (own cookie jar) with a signed-in page. */
export async function signedInContext(
  browser: Browser,
  server: DashboardServer,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, server);
  return { context, page };
}

/** Signs in over plain HTTP (no browser): the session cookie header for fetch and autocannon. */
export async function sessionCookie(server: DashboardServer): Promise<string> {
  const form = await fetch(`${server.base}/__auth/login`);
  const html = await form.text();
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF token in the login form of ${server.base}`);
  const csrfCookie = form.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
  const res = await fetch(`${server.base}/__auth/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ username: server.user, password: server.password, csrf_token: token }),
  });
  const session = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .find((pair) => pair.startsWith("evidence_session="));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: HTTP ${res.status}`);
  return session;
}
