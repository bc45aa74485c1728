/**
 * A throw-away PostgreSQL 15 server for tests: initdb on a fresh directory under os.tmpdir(),
 * a free loopback TCP port, its Unix socket in the same directory, trust authentication, no
 * durability (fsync, synchronous_commit and full_page_writes off: tests never survive a crash
 * anyway), removed again by `stop()`. One server per test file; `createDatabase()` gives each
 * test its own database.
 *
 * initdb and postgres refuse to run as root; when the tests run as root the directory is
 * chowned to the `postgres` user and both programs are started as that user.
 *
 * ```ts
 * const available = requireServer("PostgreSQL", postgresAvailable());
 * describe.skipIf(!available)("...", () => {
 *   let pg: PostgresServer;
 *   beforeAll(async () => { pg = await startPostgres(); });
 *   afterAll(async () => { await pg?.stop(); });
 *   it("...", async () => { const url = await pg.createDatabase(); ... });
 * });
 * ```
 */
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort, ownServer, sleep, tail, type StartOptions } from "./local-server.js";

export { requireServer } from "./mariadb.js";

/** Where Debian's postgresql-15 package installs the server binaries (override: TOKYOBETA_PG_BIN). */
export const POSTGRES_BIN_DIR = process.env.TOKYOBETA_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `postgres://postgres@127.0.0.1:PORT/<database>` (superuser, trust authentication). */
  url(database?: string, user?: string): string;
  /** Creates a fresh, empty database (`tkb_1`, `tkb_2`, ...) and returns its URL. */
  createDatabase(): Promise<string>;
  /** Runs SQL (one or several statements) as the superuser; resolves to the last result's rows. */
  sql(text: string, database?: string): Promise<Record<string, unknown>[]>;
  /** Shuts the server down and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

function binaries(): { initdb: string; postgres: string } | undefined {
  const initdb = join(POSTGRES_BIN_DIR, "initdb");
  const postgres = join(POSTGRES_BIN_DIR, "postgres");
  return existsSync(initdb) && existsSync(postgres) ? { initdb, postgres } : undefined;
}

/** The uid/gid to run the server as: the `postgres` user when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * True when the PostgreSQL 15 server binaries are installed (and, when running as root, the
 * `postgres` user exists to run them).
 */
export function postgresAvailable(): boolean {
  if (!binaries()) return false;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  return !root || serverUser() !== undefined;
}

export type { StartOptions };

/** Starts a fresh server; rejects (after cleaning up) when it is not ready within the deadline. */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
  const bin = binaries();
  if (!bin) throw new Error(`PostgreSQL 15 binaries (initdb, postgres) not found in ${POSTGRES_BIN_DIR}`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "tkb-pg-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "server.log");
  if (user) chownSync(dir, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};

  const owned = ownServer(dir, "SIGINT"); // SIGINT: fast shutdown, disconnects clients, no checkpoint wait
  let databases = 0;

  try {
    const init = spawnSync(
      bin.initdb,
      ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
      { ...asUser, encoding: "utf8", cwd: dir },
    );
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${init.stderr.trim()}`);

    const deadline = Date.now() + timeoutMs;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const child = spawn(
        bin.postgres,
        [
          "-D",
          dataDir,
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          `port=${port}`,
          "-c",
          `unix_socket_directories=${dir}`,
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "timezone=UTC",
          "-c",
          "max_connections=100",
          "-c",
          `log_destination=stderr`,
          "-c",
          "logging_collector=off",
        ],
        { ...asUser, cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
      );
      const log: Buffer[] = [];
      child.stderr?.on("data", (b: Buffer) => log.push(b));
      owned.adopt(child);
      const ready = await waitReady(port, owned.exited, deadline);
      if (ready) break;
      const text = Buffer.concat(log).toString("utf8").trim().split("\n").slice(-15).join("\n");
      if (!owned.exited() || attempt >= 3 || Date.now() > deadline) {
        throw new Error(
          `PostgreSQL did not become ready within ${timeoutMs} ms; log:\n${text || tail(logFile)}`,
        );
      }
      // exited early: most likely the port was taken between freePort() and bind; retry
    }

    const url = (database = "postgres", role = "postgres") =>
      `postgres://${encodeURIComponent(role)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const sql = async (text: string, database = "postgres") => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return (last?.rows ?? []) as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    };
    const server: PostgresServer = {
      host: "127.0.0.1",
      port,
      dataDir,
      url,
      sql,
      async createDatabase() {
        const name = `tkb_${++databases}`;
        await sql(`CREATE DATABASE ${name}`);
        return url(name);
      },
      stop: owned.stop,
    };
    return server;
  } catch (e) {
    await owned.stop();
    throw e;
  }
}

async function waitReady(port: number, hasExited: () => boolean, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (hasExited()) return false;
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => {});
    }
    await sleep(100);
  }
  return false;
}
