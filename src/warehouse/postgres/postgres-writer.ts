/**
 * The writer of a new PostgreSQL state. It builds in schemas with the state's suffix
 * (`staging__s<id>`), while its SQL keeps the plain names the models use: every statement is
 * passed through `rewriteSchemas` (postgres-sql.ts), which maps a schema qualifier (`staging.`)
 * and a schema named after SCHEMA (`CREATE SCHEMA silver`) to the state's schema, outside
 * literals and comments. Known state schemas are the published state's (copied at begin) and
 * every schema the writer names after SCHEMA.
 *
 * It runs in autocommit on its own connection, which also holds the writer lock; appenders
 * COPY on connections of their own. Publish swaps schema names in one transaction under the
 * swap lock (readers never see half of it), records the state, grants the read-only roles,
 * then prunes states beyond `keep`. Abandon drops the state's schemas. A crash leaves the
 * schemas as leftovers the next writer removes.
 */
import type pg from "pg";
import { WarehouseError } from "../../errors.js";
import type { TableSchema } from "../../reader/types.js";
import type { QueryResult, SqlParam, StateInfo, StateWriter, TableAppender } from "../warehouse.js";
import { PostgresTableAppender } from "./postgres-appender.js";
import type { PostgresWriterLock } from "./postgres-lock.js";
import {
  bindParams,
  connectPostgres,
  listTablesIn,
  postgresError,
  postgresErrorText,
  runQuery,
  type TableList,
} from "./postgres-session.js";
import { countStatements, rewriteSchemas } from "./postgres-sql.js";
import {
  ENGINE_SCHEMA,
  LOCK_CLASS,
  SWAP_LOCK,
  appendHistory,
  grantReadonlyRoles,
  insertState,
  isSystemSchema,
  listSchemas,
  parseSchemaName,
  physicalSchema,
  quote,
  readCurrent,
  readStates,
  renameSchemas,
  schemaSizes,
  schemasOfState,
  stateSuffix,
  writePointer,
  type KeptState,
} from "./postgres-states.js";
import { postgresColumnType } from "./postgres-types.js";
import { qualifiedName } from "../quote-identifier.js";

export interface WriterContext {
  url: string;
  location: string;
  client: pg.Client;
  lock: PostgresWriterLock;
  keep: number;
  now: () => Date;
  id: string;
  parent: string | null;
  createdAt: string;
  label?: string;
  run?: string;
  /** Plain names of the state's schemas so far (copied from the published state). */
  schemas: Iterable<string>;
}

export class PostgresStateWriter implements StateWriter {
  readonly readOnly = false;
  /** For callers that hold only a session and need the engine's SQL dialect (model macros). */
  readonly engine = "postgres" as const;
  private readonly known = new Set<string>();
  private readonly appenders = new Set<PostgresTableAppender>();
  private readonly typeNames = new Map<string, string>();
  private outcome: "open" | "published" | "abandoned" = "open";
  whenClosed: (() => void) | undefined;

  constructor(private readonly ctx: WriterContext) {
    for (const s of ctx.schemas) this.known.add(s);
  }

  get stateId(): string {
    return this.ctx.id;
  }

  get parentId(): string | null {
    return this.ctx.parent;
  }

  /** The SQL with plain state schema names mapped to this state's schemas. */
  mapSql(sql: string): string {
    return rewriteSchemas(
      sql,
      (name) => (this.known.has(name) ? physicalSchema(name, this.ctx.id) : undefined),
      (name) => {
        if (!isSystemSchema(name) && parseSchemaName(name).id === undefined) {
          physicalSchema(name, this.ctx.id); // refuses a name too long for the suffix
          this.known.add(name);
        }
      },
    );
  }

  async query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
    this.ensureOpen();
    if (countStatements(sql) !== 1) {
      throw new WarehouseError(`a query is exactly one SQL statement; got ${countStatements(sql)}`);
    }
    try {
      return await runQuery(this.ctx.client, this.mapSql(sql), params, this.typeNames);
    } catch (err) {
      throw postgresError(`query failed (state ${this.stateId})`, err);
    }
  }

  async exec(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    this.ensureOpen();
    try {
      const { text, values } = bindParams(this.mapSql(sql), params);
      const result = (await this.ctx.client.query({ text, values })) as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return last?.rowCount ?? 0;
    } catch (err) {
      throw postgresError(`SQL failed (state ${this.stateId})`, err);
    }
  }

  async listTables(schema?: string): Promise<TableList> {
    this.ensureOpen();
    const schemas = schemasOfState(await listSchemas(this.ctx.client), this.ctx.id, null);
    return listTablesIn(this.ctx.client, schemas, schema);
  }

  async createSchema(schema: string): Promise<void> {
    await this.exec(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
  }

  async createTable(schema: string, table: TableSchema, options: { replace?: boolean } = {}): Promise<void> {
    if (table.columns.length === 0) throw new WarehouseError(`table ${schema}.${table.name} has no columns`);
    const columns = table.columns.map((c) => `${quote(c.name)} ${postgresColumnType(c)}`).join(",\n  ");
    const name = `${quote(schema)}.${quote(table.name)}`;
    await this.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quote(schema)};\n` +
        (options.replace ? `DROP TABLE IF EXISTS ${name};\n` : "") +
        `CREATE TABLE ${name} (\n  ${columns}\n)`,
    );
  }

  /** COPY is PostgreSQL's bulk path already; nothing to set. */
  async bulkLoad<T>(work: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    return work();
  }

  /**
   * A table built by CREATE TABLE AS or COPY has no statistics until autovacuum gets to it, and
   * the planner's guesses for it (thousands of rows for a one-row table) pick poor joins.
   */
  async refreshStatistics(schema: string, table: string): Promise<void> {
    await this.exec(`ANALYZE ${qualifiedName(schema, table)}`);
  }

  async openAppender(schema: string, table: TableSchema): Promise<TableAppender> {
    this.ensureOpen();
    if (!this.known.has(schema)) {
      throw new WarehouseError(`cannot append to ${schema}.${table.name}: no schema ${schema} in this state`);
    }
    const client = await connectPostgres(this.ctx.url, "tokyobeta appender");
    const appender = await PostgresTableAppender.open(
      client,
      physicalSchema(schema, this.ctx.id),
      schema,
      table,
      () => this.appenders.delete(appender),
    );
    this.appenders.add(appender);
    return appender;
  }

  async publish(): Promise<StateInfo> {
    this.ensureOpen();
    const { client, id } = this.ctx;
    let entry: KeptState;
    try {
      for (const appender of [...this.appenders]) await appender.close();
      entry = await this.swapIn();
    } catch (err) {
      // Abandoning may fail too (a lost connection); the next writer removes the leftovers then.
      await this.abandon(`publish failed: ${(err as Error).message}`).catch(() => undefined);
      const reason = err instanceof WarehouseError ? err.message : postgresErrorText(err);
      throw new WarehouseError(`publishing state ${id} failed; the published state is unchanged: ${reason}`, {
        cause: err,
      });
    }
    // Published. Pruning is housekeeping: if it is interrupted, the next writer removes the
    // schemas of pruned states as leftovers.
    this.outcome = "published";
    try {
      await pruneStates(client, this.ctx.keep, this.ctx.now().toISOString());
    } catch {
      // see above
    } finally {
      await this.finish();
    }
    return { ...entry, current: true };
  }

  /** The one transaction that makes this state the published one. */
  private async swapIn(): Promise<KeptState> {
    const { client, id } = this.ctx;
    const now = this.ctx.now().toISOString();
    await client.query(`BEGIN; SELECT pg_catalog.pg_advisory_xact_lock(${LOCK_CLASS}, ${SWAP_LOCK})`);
    try {
      const current = await readCurrent(client);
      const all = await listSchemas(client);
      const sizes = await schemaSizes(client);
      const mine = schemasOfState(all, id, null);
      const entry: KeptState = {
        id,
        parent: this.ctx.parent,
        createdAt: this.ctx.createdAt,
        publishedAt: now,
        currentSince: now,
        ...(this.ctx.label === undefined ? {} : { label: this.ctx.label }),
        ...(this.ctx.run === undefined ? {} : { run: this.ctx.run }),
        sizeBytes: mine.reduce((sum, s) => sum + (sizes.get(s.physical) ?? 0), 0),
      };
      await swapSchemas(client, all, current, id);
      await insertState(client, entry);
      await writePointer(client, id, now);
      await appendHistory(client, { event: "published", at: now, id, sizeBytes: entry.sizeBytes });
      await client.query("COMMIT");
      return entry;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  }

  async abandon(reason = "abandoned by the writer"): Promise<void> {
    if (this.outcome !== "open") return;
    this.outcome = "abandoned";
    const { client, id } = this.ctx;
    try {
      for (const appender of [...this.appenders]) await appender.close().catch(() => undefined);
      await dropStateSchemas(client, id);
      await appendHistory(client, { event: "abandoned", at: this.ctx.now().toISOString(), id, reason });
    } finally {
      await this.finish();
    }
  }

  /** Closing a writer that has not published abandons its state. */
  async close(): Promise<void> {
    await this.abandon("closed without publishing");
  }

  private async finish(): Promise<void> {
    try {
      await this.ctx.lock.release();
    } catch {
      // the connection ends below, which releases the lock anyway
    } finally {
      await this.ctx.client.end().catch(() => undefined);
      this.whenClosed?.();
    }
  }

  private ensureOpen(): void {
    if (this.outcome !== "open")
      throw new WarehouseError(`state ${this.stateId} was already ${this.outcome}`);
  }
}

/**
 * Inside the caller's transaction: the published state's plain schemas get its suffix, the
 * schemas of state `id` lose theirs, and the read-only roles are granted on the new ones.
 */
export async function swapSchemas(
  client: pg.Client,
  all: readonly string[],
  current: string | null,
  id: string,
): Promise<void> {
  const outgoing =
    current === null
      ? []
      : schemasOfState(all, current, current).map((s) => ({
          from: s.physical,
          to: physicalSchema(s.plain, current),
        }));
  const incoming = schemasOfState(all, id, current).map((s) => ({ from: s.physical, to: s.plain }));
  await renameSchemas(client, [...outgoing, ...incoming]);
  await grantReadonlyRoles(client);
}

/** Drops every schema of state `id` (not the published one). */
export async function dropStateSchemas(client: pg.Client, id: string): Promise<void> {
  const schemas = (await listSchemas(client)).filter((name) => name.endsWith(stateSuffix(id)));
  if (schemas.length > 0) await client.query(`DROP SCHEMA ${schemas.map(quote).join(", ")} CASCADE`);
}

/** Drops the states beyond the newest `keep` (by when each last became current), one transaction each. */
export async function pruneStates(client: pg.Client, keep: number, at: string): Promise<void> {
  const states = await readStates(client);
  for (const old of states.slice(keep)) {
    await client.query(`BEGIN; SELECT pg_catalog.pg_advisory_xact_lock(${LOCK_CLASS}, ${SWAP_LOCK})`);
    try {
      await dropStateSchemas(client, old.id);
      await client.query(`DELETE FROM ${ENGINE_SCHEMA}.states WHERE id = $1`, [old.id]);
      await appendHistory(client, { event: "removed", at, id: old.id, reason: "pruned" });
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  }
}

/**
 * Copies the published state's schemas into state `id`'s, in one transaction: tables (with
 * their columns, defaults, indexes and constraints, then their rows), functions, then views
 * and materialized views in creation order, their definitions mapped to the new schemas.
 * Returns the plain schema names copied. Sequences, types and other objects are not copied.
 */
export async function copyPublishedState(client: pg.Client, current: string, id: string): Promise<string[]> {
  const schemas = schemasOfState(await listSchemas(client), current, current);
  if (schemas.length === 0) return [];
  const plain = new Set(schemas.map((s) => s.plain));
  const map = (sql: string) =>
    rewriteSchemas(sql, (name) => (plain.has(name) ? physicalSchema(name, id) : undefined));
  await client.query("BEGIN; SET LOCAL check_function_bodies = off");
  try {
    for (const s of schemas) await client.query(`CREATE SCHEMA ${quote(physicalSchema(s.plain, id))}`);
    // `bare`: no indexes, constraints, defaults, identity, generated or NOT NULL columns (what
    // createTable and models make): copied with CREATE TABLE AS, 25-40 % faster than LIKE + INSERT.
    const relations = await client.query<{
      oid: string;
      schema: string;
      name: string;
      kind: string;
      bare: string;
    }>(
      `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
              NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                 AND (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' OR a.attnotnull))
                AS bare
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
        ORDER BY c.oid`,
      [schemas.map((s) => s.physical)],
    );
    const target = (schema: string, name: string) => `${quote(physicalSchema(schema, id))}.${quote(name)}`;
    for (const r of relations.rows.filter((r) => r.kind === "r" || r.kind === "p")) {
      if (r.kind === "p") {
        throw new WarehouseError(`cannot copy partitioned table ${r.schema}.${r.name} into a new state`);
      }
      const source = `${quote(r.schema)}.${quote(r.name)}`;
      if (r.bare === "t") {
        await client.query(`CREATE TABLE ${target(r.schema, r.name)} AS TABLE ${source}`);
        continue;
      }
      await client.query(`CREATE TABLE ${target(r.schema, r.name)} (LIKE ${source} INCLUDING ALL)`);
      // Generated columns are computed again; identity values are kept as they are.
      const columns = await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_catalog.pg_attribute
          WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
        [r.oid],
      );
      const list = columns.rows.map((c) => quote(c.name)).join(", ");
      await client.query(
        `INSERT INTO ${target(r.schema, r.name)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${source}`,
      );
    }
    const functions = await client.query<{ def: string }>(
      `SELECT pg_catalog.pg_get_functiondef(p.oid) AS def
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p') ORDER BY p.oid`,
      [schemas.map((s) => s.physical)],
    );
    for (const f of functions.rows) await client.query(map(f.def));
    for (const r of relations.rows.filter((r) => r.kind === "v" || r.kind === "m")) {
      const def = await client.query<{ def: string }>("SELECT pg_catalog.pg_get_viewdef($1::oid) AS def", [
        r.oid,
      ]);
      const body = map(def.rows[0]!.def.trim().replace(/;$/, ""));
      const what = r.kind === "v" ? "VIEW" : "MATERIALIZED VIEW";
      await client.query(`CREATE ${what} ${target(r.schema, r.name)} AS ${body}`);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
  return [...plain];
}
