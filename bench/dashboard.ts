// Dashboard load benchmark (issue 8): the scale-1 demo world published by a real daily run,
// the dashboard server in its own process, 20 signed-in clients (20 sessions) hammering the
// Overview with autocannon for ~10 s, then the CSV downloads of every page timed to the last
// byte. Targets: p95 <= 150 ms per page, a 50,000-row CSV in <= 1 s. Prints a table.
// Usage: npx tsx bench/dashboard.ts [--world DIR] [--seconds 10] [--connections 20] [--pages all]
//   DIR (default bench/out/dashboard-world) is built on first use (scale 1, 2026-01-25 .. 31:
//   about 1.5 minutes) and reused afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { DASHBOARD_PAGES } from "../src/dashboard/pages.js";
import {
  buildDashboardWorld,
  sessionCookie,
  startDashboardServer,
  type DashboardServer,
  type DashboardWorld,
} from "../test/support/browser.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback;
const worldDir = option("--world", "bench/out/dashboard-world");
const seconds = Number(option("--seconds", "10"));
const connections = Number(option("--connections", "20"));
/** `--pages all`: every page in turn, not only the Overview. */
const allPages = option("--pages", "overview") === "all";
const TARGET_P95_MS = 150;
const TARGET_CSV_S = 1;
const CSV_ROWS = 50_000;

function buildWorld(): Promise<DashboardWorld> {
  return buildDashboardWorld({
    dir: worldDir,
    scale: 1,
    from: "2026-01-25",
    to: "2026-01-31",
    log: (line) => console.log(line),
  });
}

/** Child mode: serves the world and prints the server as one JSON line; stops when stdin closes. */
async function serveChild(): Promise<void> {
  const server = await startDashboardServer(await buildWorld());
  process.stdout.write(
    `${JSON.stringify({ base: server.base, user: server.user, password: server.password })}\n`,
  );
  process.stdin.resume();
  process.stdin.on("end", () => void server.stop().then(() => process.exit(0)));
}

/**
 * The server in its own process (the same tsx loader), so the load generator does not share
 * its event loop: what a real `tokyobeta serve` gets.
 */
async function spawnServer(): Promise<{ server: DashboardServer; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--serve-child", ...argv],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const json = out.split("\n").find((l) => l.startsWith("{"));
      if (json) resolve(json);
      else if (out.includes("\n")) {
        process.stdout.write(out);
        out = "";
      }
    });
    child.once("exit", (code) => reject(new Error(`the server process exited (${code}) before listening`)));
  });
  const started = JSON.parse(line) as Omit<DashboardServer, "stop">;
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.stdin!.end();
    });
  return { server: { ...started, stop }, child };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
}

/** autocannon on `path`: every connection's requests carry one of the signed-in sessions. */
async function load(server: DashboardServer, path: string, cookies: string[]): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (err: Error) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: `${server.base}${path}`,
      connections,
      duration: seconds,
      requests: [
        {
          method: "GET",
          path,
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, cookie: cookies[next++ % cookies.length]! },
          }),
        },
      ],
    },
    (err, result) => (err ? fail(err instanceof Error ? err : new Error(String(err))) : finish(result)),
  );
  instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

interface CsvTiming {
  url: string;
  rows: number;
  megabytes: number;
  seconds: number;
  /** When the 50,000th row had arrived (null for a shorter file). */
  secondsToTargetRows: number | null;
}

/** Downloads one CSV to the last byte, counting its rows (lines after the header). */
async function timeCsv(server: DashboardServer, href: string, cookie: string): Promise<CsvTiming> {
  const started = performance.now();
  const res = await fetch(`${server.base}${href}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${href}: HTTP ${res.status}`);
  let lines = 0;
  let bytes = 0;
  let secondsToTargetRows: number | null = null;
  for await (const chunk of res.body!) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) lines++;
    // lines - 1 rows (the header line) have fully arrived once the count passes the target.
    if (secondsToTargetRows === null && lines - 1 >= CSV_ROWS)
      secondsToTargetRows = (performance.now() - started) / 1000;
  }
  return {
    url: href,
    rows: lines - 1,
    megabytes: bytes / 1e6,
    seconds: (performance.now() - started) / 1000,
    secondsToTargetRows,
  };
}

/** Attribute text back to the URL (escapeHtml writes `&#38;`-style numeric references). */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&");
}

/** Every CSV link of every page (unfiltered: all rows of each detail table). */
async function csvLinks(server: DashboardServer, cookie: string): Promise<string[]> {
  const links: string[] = [];
  for (const page of DASHBOARD_PAGES) {
    const html = await (await fetch(`${server.base}${page.path}?lang=en`, { headers: { cookie } })).text();
    for (const m of html.matchAll(/<a class="csv-download" href="([^"]+)"/g)) links.push(unescapeHtml(m[1]!));
  }
  return links;
}

async function main(): Promise<void> {
  await buildWorld();
  console.log("starting the dashboard server ...");
  const { server } = await spawnServer();
  try {
    console.log(`${server.base}: signing in ${connections} clients ...`);
    const cookies: string[] = [];
    for (let i = 0; i < connections; i++) cookies.push(await sessionCookie(server));

    // Warm-up: the first request of a page fills the reader's query cache.
    for (const page of DASHBOARD_PAGES)
      await fetch(`${server.base}${page.path}`, { headers: { cookie: cookies[0]! } });
    const pages: Record<string, LoadResult> = {};
    for (const page of DASHBOARD_PAGES.filter((p) => allPages || p.key === "overview")) {
      console.log(`autocannon: ${connections} connections on ${page.path} for ${seconds} s ...`);
      pages[page.path] = await load(server, page.path, cookies);
    }

    console.log("CSV downloads of every detail table ...");
    const csvs: CsvTiming[] = [];
    for (const href of await csvLinks(server, cookies[0]!))
      csvs.push(await timeCsv(server, href, cookies[0]!));
    csvs.sort((a, b) => b.rows - a.rows);
    console.table(
      csvs.slice(0, 6).map((c) => ({
        csv: c.url,
        rows: c.rows,
        MB: c.megabytes.toFixed(1),
        seconds: c.seconds.toFixed(3),
      })),
    );
    const big = csvs.find((c) => c.rows >= CSV_ROWS) ?? csvs[0]!;
    if (big.rows < CSV_ROWS)
      console.log(`no detail table reaches ${CSV_ROWS} rows at scale 1: timing the largest`);

    const table = [
      ...Object.entries(pages).flatMap(([path, r]) => [
        { metric: `${path} requests/s`, value: r.requestsPerSecond.toFixed(0), target: "", ok: "" },
        {
          metric: `${path} requests (non-2xx)`,
          value: `${r.requests} (${r.non2xx})`,
          target: "0 non-2xx",
          ok: r.non2xx === 0 ? "yes" : "NO",
        },
        { metric: `${path} p50 ms`, value: r.p50.toFixed(1), target: "", ok: "" },
        {
          metric: `${path} p95 ms`,
          value: r.p95.toFixed(1),
          target: `<= ${TARGET_P95_MS}`,
          ok: r.p95 <= TARGET_P95_MS ? "yes" : "NO",
        },
        { metric: `${path} p99 ms`, value: r.p99.toFixed(1), target: "", ok: "" },
      ]),
      {
        metric: `CSV ${big.url} (${big.rows} rows, ${big.megabytes.toFixed(1)} MB) s, whole file`,
        value: big.seconds.toFixed(3),
        target: "",
        ok: "",
      },
      {
        // The streamed download's first 50,000 rows: the target's 50,000-row CSV.
        metric: `CSV first ${CSV_ROWS} rows of that download s`,
        value: big.secondsToTargetRows?.toFixed(3) ?? "n/a",
        target: `<= ${TARGET_CSV_S}`,
        ok: big.secondsToTargetRows !== null && big.secondsToTargetRows <= TARGET_CSV_S ? "yes" : "NO",
      },
    ];
    console.table(table);
  } finally {
    await server.stop();
  }
}

if (argv.includes("--serve-child")) await serveChild();
else await main();
