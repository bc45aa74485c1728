/**
 * One writer at a time per database: a session-level advisory lock held by the writer's own
 * connection (`pg_try_advisory_lock`). PostgreSQL releases it when that connection ends, so a
 * killed writer never leaves a lock behind; the next writer finds the dead holder's row in
 * `tokyobeta_engine.writer`, records a lock takeover and removes the abandoned state's schemas.
 *
 * The row says who holds the lock (pid, host, since, command) for the message a second writer
 * gets; it is informational, the advisory lock is the truth.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type pg from "pg";
import { WarehouseError } from "../../errors.js";
import { ENGINE_SCHEMA, LOCK_CLASS, WRITER_LOCK, engineSchemaExists } from "./postgres-states.js";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  token: string;
  state?: string | null;
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host}, since ${h.startedAt} (${h.command})`;
}

/** How long a begin waits for the server to notice that a lock holder on this host died. */
const DEAD_HOLDER_WAIT_MS = 10_000;

export class PostgresWriterLock {
  private released = false;
  constructor(
    private readonly client: pg.Client,
    readonly holder: LockHolder,
    /** The holder row of a writer that died holding the lock (for the history), if any. */
    readonly replaced: LockHolder | undefined,
  ) {}

  /** Records the holder (and the state it builds) in the bookkeeping schema. */
  async record(state: string | null): Promise<void> {
    const h = this.holder;
    await this.client.query(
      `INSERT INTO ${ENGINE_SCHEMA}.writer (one, pid, host, started_at, command, token, state)
       VALUES (true, $1, $2, $3, $4, $5, $6)
       ON CONFLICT (one) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host, started_at = EXCLUDED.started_at,
         command = EXCLUDED.command, token = EXCLUDED.token, state = EXCLUDED.state`,
      [h.pid, h.host, h.startedAt, h.command, h.token, state],
    );
  }

  /** Removes the holder row (if still ours) and unlocks. The connection stays open. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      if (await engineSchemaExists(this.client)) {
        await this.client.query(`DELETE FROM ${ENGINE_SCHEMA}.writer WHERE token = $1`, [this.holder.token]);
      }
    } finally {
      await this.client.query(`SELECT pg_catalog.pg_advisory_unlock(${LOCK_CLASS}, ${WRITER_LOCK})`);
    }
  }
}

async function readHolder(client: pg.Client): Promise<LockHolder | undefined> {
  if (!(await engineSchemaExists(client))) return undefined;
  const r = await client.query<{
    pid: number;
    host: string;
    started_at: string;
    command: string;
    token: string;
    state: string | null;
  }>(`SELECT * FROM ${ENGINE_SCHEMA}.writer`);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    pid: Number(row.pid),
    host: row.host,
    startedAt: row.started_at,
    command: row.command,
    token: row.token,
    state: row.state,
  };
}

/**
 * The holder of the writer lock, described; null when free. The advisory lock in `pg_locks` is
 * the truth (PostgreSQL drops it with a dead writer's connection); the bookkeeping row only
 * names the holder, and is ignored when it belongs to no lock holder.
 */
export async function describeLockHolder(client: pg.Client): Promise<string | null> {
  const r = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_catalog.pg_locks
      WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
        AND classid = $1 AND objid = $2 AND objsubid = 2`,
    [LOCK_CLASS, WRITER_LOCK],
  );
  const backend = r.rows[0]?.pid;
  if (backend === undefined) return null;
  const holder = await readHolder(client).catch(() => undefined);
  return holder ? describeHolder(holder) : `PostgreSQL backend pid ${backend} (holder not recorded yet)`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the writer lock on `client`'s connection or throws a WarehouseError naming the holder.
 * When the holder is a dead process on this host, waits a little for PostgreSQL to notice its
 * connection is gone (it releases the lock then).
 */
export async function acquirePostgresLock(
  client: pg.Client,
  location: string,
  command: string,
  now: () => Date,
): Promise<PostgresWriterLock> {
  const deadline = Date.now() + DEAD_HOLDER_WAIT_MS;
  for (;;) {
    const r = await client.query<{ ok: string }>(
      `SELECT pg_catalog.pg_try_advisory_lock(${LOCK_CLASS}, ${WRITER_LOCK}) AS ok`,
    );
    if (r.rows[0]?.ok === "t") break;
    const holder = await readHolder(client);
    const deadHere = holder !== undefined && holder.host === hostname() && !processAlive(holder.pid);
    if (deadHere && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    throw new WarehouseError(
      `the warehouse ${location} is locked by another writer: ` +
        (holder ? describeHolder(holder) : "holder unknown (see pg_locks, advisory lock)"),
    );
  }
  const stale = await readHolder(client).catch(() => undefined);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: now().toISOString(),
    command,
    token: randomBytes(8).toString("hex"),
  };
  return new PostgresWriterLock(client, holder, stale);
}
