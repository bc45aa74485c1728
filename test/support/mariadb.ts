/**
 * A throw-away MariaDB server for tests: a fresh data directory under os.tmpdir(), a free
 * loopback TCP port and a Unix socket, the current user (root is fine: `--user=root`), no
 * option files read (`--no-defaults`), removed again by `stop()`.
 *
 * ```ts
 * const available = requireServer("MariaDB", mariadbAvailable());
 * describe.skipIf(!available)("...", () => {
 *   let db: MariaDbServer;
 *   beforeAll(async () => { db = await startMariaDb(); });
 *   afterAll(async () => { await db?.stop(); });
 *   it("...", async () => { await db.sql("CREATE DATABASE d"); const dump = await db.dump("d", ["--hex-blob"]); });
 * });
 * ```
 */
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort, ownServer, sleep, tail, type StartOptions } from "./local-server.js";

export interface SqlOptions {
  /** Default database (`mariadb <db>`). */
  database?: string;
  /** Print the header line with column names (default false: `--skip-column-names`). */
  columnNames?: boolean;
  /**
   * `--raw`: values printed as stored. Default false: batch mode escapes tab, newline, NUL and
   * backslash in values as `\t`, `\n`, `\0`, `\\`. Use HEX() for binary data either way.
   */
  raw?: boolean;
}

export interface MariaDbServer {
  readonly port: number;
  readonly host: string;
  readonly socket: string;
  readonly dataDir: string;
  /** Runs SQL text through the `mariadb` client in batch mode (text on stdin); resolves to stdout. */
  sql(text: string, options?: SqlOptions): Promise<string>;
  /** `mariadb --default-character-set=utf8mb4 [database] < path`, binary-safe. */
  importFile(path: string, database?: string): Promise<void>;
  /** `mariadb-dump [args...] <db>` (connection options added), stdout as bytes. */
  dump(db: string, args?: string[]): Promise<Buffer>;
  /** Shuts the server down and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const SEARCH_DIRS = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/local/mysql/bin"];

/** Absolute path of the first executable found on PATH or in the usual sbin/bin folders. */
function findBinary(...names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

interface Binaries {
  server: string;
  installDb: string;
  client: string;
  dump: string;
}

function binaries(): Binaries | undefined {
  const server = findBinary("mariadbd", "mysqld");
  const installDb = findBinary("mariadb-install-db", "mysql_install_db");
  const client = findBinary("mariadb", "mysql");
  const dump = findBinary("mariadb-dump", "mysqldump");
  if (!server || !installDb || !client || !dump) return undefined;
  return { server, installDb, client, dump };
}

/** True when the MariaDB server, install, client and dump binaries are all installed. */
export function mariadbAvailable(): boolean {
  return binaries() !== undefined;
}

/**
 * Gate for suites that need an external server. Returns `available`. When it is false: on CI
 * (`CI=true`) throws, so the suite fails instead of silently skipping; locally prints a loud
 * warning and the caller skips (`describe.skipIf(!requireServer(...))`).
 */
export function requireServer(name: string, available: boolean): boolean {
  if (available) return true;
  const message = `${name} is not available on this machine: its integration tests cannot run`;
  if (process.env.CI === "true") {
    throw new Error(`${message} (CI=true: failing instead of skipping)`);
  }
  const bar = "!".repeat(Math.min(100, message.length + 20));
  console.warn(`\n${bar}\n!!! SKIPPED: ${message}\n${bar}\n`);
  return false;
}

interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(cmd: string, args: string[], stdin?: string | Buffer | { path: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.on("error", () => {
      /* the process may exit before reading all input: the exit code tells */
    });
    if (stdin === undefined) child.stdin.end();
    else if (typeof stdin === "string" || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else {
      const file = createReadStream(stdin.path);
      file.on("error", (e) => {
        child.kill();
        reject(e);
      });
      file.pipe(child.stdin);
    }
  });
}

async function check(what: string, result: Promise<RunResult>): Promise<Buffer> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export type { StartOptions };

/** Starts a fresh server; rejects (after cleaning up) when it is not ready within the deadline. */
export async function startMariaDb(options: StartOptions = {}): Promise<MariaDbServer> {
  const bin = binaries();
  if (!bin)
    throw new Error("MariaDB binaries (mariadbd, mariadb-install-db, mariadb, mariadb-dump) not found");
  const timeoutMs = options.timeoutMs ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), "tkb-mdb-"));
  const dataDir = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  const errorLog = join(dir, "error.log");
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const userArgs = asRoot ? ["--user=root"] : [];

  const owned = ownServer(dir, "SIGTERM");

  try {
    await check(
      "mariadb-install-db",
      run(bin.installDb, [
        "--no-defaults",
        `--datadir=${dataDir}`,
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
        "--skip-name-resolve",
        ...userArgs,
      ]),
    );

    const deadline = Date.now() + timeoutMs;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const child = spawn(
        bin.server,
        [
          "--no-defaults",
          `--datadir=${dataDir}`,
          `--socket=${socket}`,
          `--port=${port}`,
          "--bind-address=127.0.0.1",
          `--pid-file=${join(dir, "mysqld.pid")}`,
          `--log-error=${errorLog}`,
          "--skip-log-bin",
          "--skip-name-resolve",
          "--innodb-buffer-pool-size=32M",
          "--innodb-log-file-size=16M",
          "--max-allowed-packet=256M",
          "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_general_ci",
          "--default-time-zone=+00:00",
          ...userArgs,
        ],
        { stdio: "ignore" },
      );
      owned.adopt(child);
      const ready = await waitReady(bin.client, socket, owned.exited, deadline);
      if (ready) break;
      if (!owned.exited() || attempt >= 3 || Date.now() > deadline) {
        throw new Error(`MariaDB did not become ready within ${timeoutMs} ms; error log:\n${tail(errorLog)}`);
      }
      // exited early: most likely the port was taken between freePort() and bind; retry
    }

    const conn = ["--no-defaults", "-uroot", `--socket=${socket}`, "--default-character-set=utf8mb4"];
    const server: MariaDbServer = {
      port,
      host: "127.0.0.1",
      socket,
      dataDir,
      async sql(text, opts = {}) {
        const args = [...conn, "--batch"];
        if (!opts.columnNames) args.push("--skip-column-names");
        if (opts.raw) args.push("--raw");
        if (opts.database) args.push(opts.database);
        const out = await check("mariadb", run(bin.client, args, text));
        return out.toString("utf8");
      },
      async importFile(path, database) {
        const args = [...conn, "--binary-mode"];
        if (database) args.push(database);
        await check(`mariadb < ${path}`, run(bin.client, args, { path }));
      },
      async dump(db, args = []) {
        return check(`mariadb-dump ${args.join(" ")} ${db}`, run(bin.dump, [...conn, ...args, db]));
      },
      stop: owned.stop,
    };
    return server;
  } catch (e) {
    await owned.stop();
    throw e;
  }
}

async function waitReady(
  client: string,
  socket: string,
  hasExited: () => boolean,
  deadline: number,
): Promise<boolean> {
  while (Date.now() < deadline) {
    if (hasExited()) return false;
    if (existsSync(socket)) {
      const r = spawnSync(client, ["--no-defaults", "-uroot", `--socket=${socket}`, "-e", "SELECT 1"], {
        stdio: "ignore",
        timeout: 5_000,
      });
      if (r.status === 0) return true;
    }
    await sleep(100);
  }
  return false;
}
