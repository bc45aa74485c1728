/**
 * The PostgreSQL warehouse in one database: a state is a set of schemas.
 *
 * - The published state's schemas carry the plain names (`staging`, `silver`, `gold`,
 *   `tokyobeta_meta`, ...): every schema that is not a system schema, not `public` and not the
 *   engine's bookkeeping schema `tokyobeta_engine`, and does not end in a state suffix.
 * - Every other state's schemas (the one being built, kept ones) carry the state's suffix:
 *   `staging__s20260131_053000_123abc` for state `20260131-053000-123abc`.
 * - Publish and rollback swap names inside one transaction: the current plain schemas get
 *   their state's suffix, the new state's schemas lose theirs. Views keep working through
 *   renames (PostgreSQL binds them by object id), grants move with the schemas.
 *
 * Bookkeeping, in `tokyobeta_engine`:
 *
 * ```
 * marker(format, created_at)             one row: this database is a tokyobeta warehouse
 * pointer(current, changed_at)           one row: the published state (readers read it under the swap lock)
 * states(id, parent, ..., current_since)  the kept states
 * history(seq, event)                    one JSON StateEvent per row, oldest first
 * writer(pid, host, ..., state)          who holds the writer lock (the advisory lock itself is on the connection)
 * readonly_roles(role)                   roles granted read access to the published gold and records
 * ```
 */
import type pg from "pg";
import { WarehouseError } from "../../errors.js";
import type { StateEvent, StateInfo } from "../warehouse.js";

export const ENGINE_SCHEMA = "tokyobeta_engine";
/**
 * The daily-run records of a PostgreSQL warehouse (pipeline/run-records-postgres.ts): outside
 * every state, so records of abandoned or killed runs survive. Never renamed or copied.
 */
export const RUN_RECORDS_SCHEMA = "tokyobeta_runs";
export const FORMAT = 1;
/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/** Advisory lock keys (two-int form; advisory locks are per database). */
export const LOCK_CLASS = 0x746b62; // "tkb"
export const WRITER_LOCK = 1;
/** Taken exclusively by publish/rollback/prune, shared by each reader query: no query straddles a swap. */
export const SWAP_LOCK = 2;

export type Queryable = Pick<pg.Client, "query">;

/** The schema suffix of a state id: `20260131-053000-123abc` -> `__s20260131_053000_123abc`. */
export function stateSuffix(id: string): string {
  return `__s${id.replace(/-/g, "_")}`;
}

const SUFFIX = /^(.+)__s(\d{8})_(\d{6})_([0-9a-f]{6})$/;

/** `staging__s20260131_053000_123abc` -> { plain: "staging", id: "20260131-053000-123abc" }. */
export function parseSchemaName(name: string): { plain: string; id: string | undefined } {
  const m = SUFFIX.exec(name);
  return m ? { plain: m[1]!, id: `${m[2]}-${m[3]}-${m[4]}` } : { plain: name, id: undefined };
}

/** The physical name of plain schema `plain` in state `id`; refuses names PostgreSQL would truncate. */
export function physicalSchema(plain: string, id: string): string {
  const name = `${plain}${stateSuffix(id)}`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new WarehouseError(
      `schema name ${JSON.stringify(plain)} is too long for the PostgreSQL engine: at most ` +
        `${MAX_IDENTIFIER_BYTES - Buffer.byteLength(stateSuffix(id))} bytes (the state suffix takes the rest)`,
    );
  }
  return name;
}

/** Schemas that never belong to a state. */
export function isSystemSchema(name: string): boolean {
  return (
    name === ENGINE_SCHEMA ||
    // The daily-run records (src/pipeline/run-records-postgres.ts) live outside every state.
    name === RUN_RECORDS_SCHEMA ||
    name === "public" ||
    name === "information_schema" ||
    name.startsWith("pg_")
  );
}

/** Every non-system schema of the database. */
export async function listSchemas(db: Queryable): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_catalog.pg_namespace ORDER BY nspname",
  );
  return result.rows.map((r) => r.name).filter((n) => !isSystemSchema(n));
}

/**
 * The schemas of one state as { plain, physical } pairs: `id === current` -> the plain-named
 * ones; otherwise those with the state's suffix.
 */
export function schemasOfState(
  all: readonly string[],
  id: string,
  current: string | null,
): { plain: string; physical: string }[] {
  const out: { plain: string; physical: string }[] = [];
  for (const name of all) {
    const parsed = parseSchemaName(name);
    if (id === current ? parsed.id === undefined : parsed.id === id) {
      out.push({ plain: parsed.plain, physical: name });
    }
  }
  return out;
}

export async function engineSchemaExists(db: Queryable): Promise<boolean> {
  return schemaExists(db, ENGINE_SCHEMA);
}

/**
 * Creates the bookkeeping schema on first use. Refuses a database that already has schemas of
 * its own but no bookkeeping: publishing would rename them.
 */
export async function ensureEngineSchema(db: Queryable, location: string, now: Date): Promise<void> {
  if (await engineSchemaExists(db)) {
    const marker = await db.query<{ format: string }>(`SELECT format FROM ${ENGINE_SCHEMA}.marker`);
    if (Number(marker.rows[0]?.format) !== FORMAT) {
      throw new WarehouseError(
        `${location}: unsupported warehouse format ${String(marker.rows[0]?.format)} in ${ENGINE_SCHEMA}.marker`,
      );
    }
    return;
  }
  const foreign = await listSchemas(db);
  if (foreign.length > 0) {
    throw new WarehouseError(
      `${location} is not empty and is not a tokyobeta warehouse (schemas ${foreign.join(", ")}, ` +
        `no ${ENGINE_SCHEMA} schema); refusing to use it: publishing would rename those schemas`,
    );
  }
  await db.query(`BEGIN;
    CREATE SCHEMA ${ENGINE_SCHEMA};
    CREATE TABLE ${ENGINE_SCHEMA}.marker (format integer NOT NULL, created_at text NOT NULL);
    CREATE TABLE ${ENGINE_SCHEMA}.pointer (
      one boolean PRIMARY KEY DEFAULT true CHECK (one), current text NOT NULL, changed_at text NOT NULL);
    CREATE TABLE ${ENGINE_SCHEMA}.states (
      id text PRIMARY KEY, parent text, created_at text NOT NULL, published_at text NOT NULL,
      current_since text NOT NULL, label text, run text, size_bytes bigint NOT NULL);
    CREATE TABLE ${ENGINE_SCHEMA}.history (seq bigserial PRIMARY KEY, event text NOT NULL);
    CREATE TABLE ${ENGINE_SCHEMA}.writer (
      one boolean PRIMARY KEY DEFAULT true CHECK (one), pid integer NOT NULL, host text NOT NULL,
      started_at text NOT NULL, command text NOT NULL, token text NOT NULL, state text);
    CREATE TABLE ${ENGINE_SCHEMA}.readonly_roles (role text PRIMARY KEY);
    INSERT INTO ${ENGINE_SCHEMA}.marker VALUES (${FORMAT}, '${now.toISOString()}');
    COMMIT`);
}

/** The published state's id, or null (nothing published, or no warehouse in this database). */
export async function readCurrent(db: Queryable): Promise<string | null> {
  try {
    const r = await db.query<{ current: string }>(`SELECT current FROM ${ENGINE_SCHEMA}.pointer`);
    return r.rows[0]?.current ?? null;
  } catch (err) {
    // 42P01 undefined_table, 3F000 invalid_schema_name: not a warehouse (yet)
    if (["42P01", "3F000"].includes((err as { code?: string }).code ?? "")) return null;
    throw err;
  }
}

export type KeptState = Omit<StateInfo, "current" | "sizeBytes"> & { sizeBytes: number };

interface StateRow {
  id: string;
  parent: string | null;
  created_at: string;
  published_at: string;
  current_since: string;
  label: string | null;
  run: string | null;
  size_bytes: string;
}

/** Kept states, most recently current first. */
export async function readStates(db: Queryable): Promise<KeptState[]> {
  const r = await db.query<StateRow>(
    `SELECT * FROM ${ENGINE_SCHEMA}.states ORDER BY current_since DESC, id DESC`,
  );
  return r.rows.map((row) => ({
    id: row.id,
    parent: row.parent,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    currentSince: row.current_since,
    ...(row.label === null ? {} : { label: row.label }),
    ...(row.run === null ? {} : { run: row.run }),
    sizeBytes: Number(row.size_bytes),
  }));
}

export async function insertState(db: Queryable, s: KeptState): Promise<void> {
  await db.query(`INSERT INTO ${ENGINE_SCHEMA}.states VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
    s.id,
    s.parent,
    s.createdAt,
    s.publishedAt,
    s.currentSince,
    s.label ?? null,
    s.run ?? null,
    s.sizeBytes,
  ]);
}

export async function writePointer(db: Queryable, current: string, at: string): Promise<void> {
  await db.query(
    `INSERT INTO ${ENGINE_SCHEMA}.pointer (one, current, changed_at) VALUES (true, $1, $2)
     ON CONFLICT (one) DO UPDATE SET current = EXCLUDED.current, changed_at = EXCLUDED.changed_at`,
    [current, at],
  );
}

export async function appendHistory(db: Queryable, event: StateEvent): Promise<void> {
  await db.query(`INSERT INTO ${ENGINE_SCHEMA}.history (event) VALUES ($1)`, [JSON.stringify(event)]);
}

export async function readHistory(db: Queryable): Promise<StateEvent[]> {
  try {
    const r = await db.query<{ event: string }>(`SELECT event FROM ${ENGINE_SCHEMA}.history ORDER BY seq`);
    return r.rows.map((row) => JSON.parse(row.event) as StateEvent);
  } catch (err) {
    if (["42P01", "3F000"].includes((err as { code?: string }).code ?? "")) return [];
    throw err;
  }
}

/** Bytes on disk per schema (tables, indexes, TOAST, materialized views). */
export async function schemaSizes(db: Queryable): Promise<Map<string, number>> {
  const r = await db.query<{ schema: string; bytes: string }>(
    `SELECT n.nspname AS schema, sum(pg_catalog.pg_total_relation_size(c.oid))::bigint AS bytes
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm', 'p')
      GROUP BY n.nspname`,
  );
  return new Map(r.rows.map((row) => [row.schema, Number(row.bytes)]));
}

/** Renames schemas, within the caller's transaction. */
export async function renameSchemas(db: Queryable, renames: { from: string; to: string }[]): Promise<void> {
  for (const { from, to } of renames) {
    await db.query(`ALTER SCHEMA ${quote(from)} RENAME TO ${quote(to)}`);
  }
}

/** Grants each registered read-only role USAGE and SELECT on the plain `gold` and `tokyobeta_meta`. */
export async function grantReadonlyRoles(db: Queryable): Promise<void> {
  const roles = await db.query<{ role: string }>(`SELECT role FROM ${ENGINE_SCHEMA}.readonly_roles`);
  const present = new Set(await listSchemas(db));
  if (await schemaExists(db, RUN_RECORDS_SCHEMA)) present.add(RUN_RECORDS_SCHEMA);
  for (const { role } of roles.rows) {
    await db.query(`GRANT USAGE ON SCHEMA ${ENGINE_SCHEMA} TO ${quote(role)}`);
    await db.query(`GRANT SELECT ON ${ENGINE_SCHEMA}.pointer, ${ENGINE_SCHEMA}.states TO ${quote(role)}`);
    for (const schema of [...READONLY_SCHEMAS, RUN_RECORDS_SCHEMA]) {
      if (!present.has(schema)) continue;
      await db.query(`GRANT USAGE ON SCHEMA ${quote(schema)} TO ${quote(role)}`);
      await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quote(schema)} TO ${quote(role)}`);
    }
  }
}

async function schemaExists(db: Queryable, name: string): Promise<boolean> {
  const r = await db.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", [name]);
  return (r.rowCount ?? 0) > 0;
}

/** What a read-only role (the dashboard's) may read: the marts and the run/test records (+ RUN_RECORDS_SCHEMA). */
export const READONLY_SCHEMAS = ["gold", "tokyobeta_meta"];

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
