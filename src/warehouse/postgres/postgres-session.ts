/**
 * Connections and queries: one pg.Client per session, every value read as text and
 * normalized by postgres-values.ts (a per-client parser table, nothing global), the session
 * settings that make the text predictable (UTC, ISO dates, hex bytea, shortest exact floats),
 * and `search_path` = pg_catalog only, so unqualified names never reach a state's schemas by
 * accident.
 *
 * A reader is pinned to its state: each query runs in its own READ ONLY transaction that
 * first takes the swap lock shared (publish and rollback take it exclusively) and reads the
 * pointer; if its state is still the published one the SQL runs as written, otherwise the
 * state's schema names are mapped to their suffixed names. So a reader opened before a publish
 * keeps reading its state, and no query ever sees half of a swap.
 */
import pg from "pg";
import { WarehouseError } from "../../errors.js";
import type { QueryResult, ResultColumn, SqlParam, SqlValue, WarehouseSession } from "../warehouse.js";
import { countStatements, firstKeyword, rewriteSchemas, translatePlaceholders } from "./postgres-sql.js";
import {
  ENGINE_SCHEMA,
  LOCK_CLASS,
  SWAP_LOCK,
  isSystemSchema,
  parseSchemaName,
  readStates,
  schemasOfState,
} from "./postgres-states.js";
import { resultKindOf } from "./postgres-types.js";
import { normalizePostgresValue } from "./postgres-values.js";

/** Every value as PostgreSQL's text: normalized afterwards by column type. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const SESSION_OPTIONS = [
  "-c TimeZone=UTC",
  "-c DateStyle=ISO,YMD",
  "-c IntervalStyle=postgres",
  "-c bytea_output=hex",
  "-c extra_float_digits=1",
  "-c search_path=pg_catalog",
  "-c client_encoding=UTF8",
].join(" ");

/** Opens a client with the engine's session settings. */
export async function connectPostgres(url: string, applicationName = "tokyobeta"): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    types: TEXT_TYPES,
    options: SESSION_OPTIONS,
    application_name: applicationName,
  });
  // A lost connection surfaces as the next query's error; without a listener it would crash.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new WarehouseError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return client;
}

/** The URL without its password (for messages and `Warehouse.location`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

/** A PostgreSQL error's message with its detail, hint and context (the COPY line, ...). */
export function postgresErrorText(err: unknown): string {
  const e = err as { message?: string; detail?: string; where?: string; hint?: string; code?: string };
  const extra = [e.detail, e.hint, e.where].filter(Boolean).join("; ");
  // A role without access to the bookkeeping cannot even find the published state.
  const grant =
    e.code === "42501" && e.message?.includes(ENGINE_SCHEMA)
      ? "; a read-only role needs `tokyobeta warehouse grant-readonly ROLE` first"
      : "";
  return `${e.message ?? String(err)}${extra ? ` (${extra})` : ""}${grant}`;
}

/** Wraps a PostgreSQL error into a WarehouseError saying what was being done. */
export function postgresError(doing: string, err: unknown): WarehouseError {
  if (err instanceof WarehouseError) return err;
  return new WarehouseError(`${doing}: ${postgresErrorText(err)}`, { cause: err });
}

/** PostgreSQL text cannot hold NUL: replaced by U+FFFD, as in loaded text (README.md). */
export function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}

/**
 * `?` -> `$n` with a cast chosen from the JS type where PostgreSQL could not infer one
 * (`SELECT ?` would otherwise be text): booleans, numbers, bigints and bytes. Strings and
 * NULL stay untyped, so PostgreSQL types them from their context (dates, numerics, ...).
 */
export function bindParams(sql: string, params: readonly SqlParam[]): { text: string; values: unknown[] } {
  const values = params.map(toPostgresParam);
  if (params.length === 0) return { text: sql, values };
  const translated = translatePlaceholders(sql, (n) => (n <= params.length ? castFor(params[n - 1]!) : ""));
  if (translated.count === 0) return { text: sql, values }; // already $n style
  if (translated.count !== params.length) {
    throw new WarehouseError(`the SQL has ${translated.count} ? placeholders, ${params.length} values given`);
  }
  return { text: translated.sql, values };
}

function castFor(p: SqlParam): string {
  if (typeof p === "boolean") return "::boolean";
  if (typeof p === "number") {
    if (!Number.isInteger(p)) return "::float8";
    return p >= -(2 ** 31) && p < 2 ** 31 ? "::int4" : Number.isSafeInteger(p) ? "::int8" : "::float8";
  }
  if (typeof p === "bigint") {
    if (p >= -(2n ** 63n) && p < 2n ** 63n) return "::int8";
    return p >= 0n && p < 2n ** 64n ? "::numeric(20,0)" : "::numeric";
  }
  if (p instanceof Uint8Array) return "::bytea";
  return "";
}

function toPostgresParam(p: SqlParam): unknown {
  if (p === null) return null;
  if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  if (typeof p === "string") return withoutNul(p);
  if (typeof p === "number") return Number.isNaN(p) ? "NaN" : String(p);
  return String(p);
}

/** Runs one statement and normalizes the result. */
export async function runQuery(
  client: pg.Client,
  sql: string,
  params: readonly SqlParam[],
  typeNames: Map<string, string>,
): Promise<QueryResult> {
  const { text, values } = bindParams(sql, params);
  const result = await client.query({ text, values, rowMode: "array" });
  const fields = result.fields ?? [];
  const names = deduplicate(fields.map((f) => f.name));
  const columns: ResultColumn[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    columns.push({
      name: names[i]!,
      type: await typeName(client, f.dataTypeID, f.dataTypeModifier, typeNames),
      kind: resultKindOf(f.dataTypeID, f.dataTypeModifier),
    });
  }
  const rows = (result.rows as (string | null)[][]).map((raw) => {
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < fields.length; i++) {
      row[names[i]!] = normalizePostgresValue(raw[i]!, fields[i]!.dataTypeID, fields[i]!.dataTypeModifier);
    }
    return row;
  });
  return { columns, rows };
}

async function typeName(
  client: pg.Client,
  oid: number,
  typmod: number,
  cache: Map<string, string>,
): Promise<string> {
  const key = `${oid}/${typmod}`;
  let name = cache.get(key);
  if (name === undefined) {
    const r = await client.query<{ name: string }>("SELECT pg_catalog.format_type($1, $2) AS name", [
      oid,
      typmod,
    ]);
    name = r.rows[0]?.name ?? `oid ${oid}`;
    cache.set(key, name);
  }
  return name;
}

/** `a`, `a`, `b` -> `a`, `a_1`, `b` (so each row can be a plain object). */
export function deduplicate(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let k = 1; seen.has(candidate); k++) candidate = `${name}_${k}`;
    seen.add(candidate);
    return candidate;
  });
}

export type TableList = { schema: string; name: string; type: "table" | "view" }[];

/** Tables and views in the given physical schemas, reported under their plain names. */
export async function listTablesIn(
  client: pg.Client,
  schemas: { plain: string; physical: string }[],
  only?: string,
): Promise<TableList> {
  const wanted = schemas.filter((s) => only === undefined || s.plain === only);
  if (wanted.length === 0) return [];
  const r = await client.query<{ schema: string; name: string; kind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [wanted.map((s) => s.physical)],
  );
  const plainOf = new Map(wanted.map((s) => [s.physical, s.plain]));
  return r.rows
    .map((row) => ({
      schema: plainOf.get(row.schema)!,
      name: row.name,
      type: (row.kind === "v" || row.kind === "m" ? "view" : "table") as "table" | "view",
    }))
    .sort((a, b) => (a.schema === b.schema ? cmp(a.name, b.name) : cmp(a.schema, b.schema)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Statements a reader runs; anything else is refused before PostgreSQL sees it. */
const QUERY_KEYWORDS = new Set(["SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW"]);

/** A published (current or kept) state, read-only. */
export class PostgresStateReader implements WarehouseSession {
  readonly readOnly = true;
  /** For callers that hold only a session and need the engine's SQL dialect (model macros). */
  readonly engine = "postgres" as const;
  private closed = false;
  private readonly typeNames = new Map<string, string>();
  /** Plain -> physical names of this state once it is no longer the published one. */
  private keptNames: Map<string, string> | undefined;
  whenClosed: (() => void) | undefined;

  constructor(
    readonly stateId: string,
    private readonly client: pg.Client,
  ) {}

  async query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
    this.ensureOpen();
    if (countStatements(sql) !== 1) {
      throw new WarehouseError(`a query is exactly one SQL statement; got ${countStatements(sql)}`);
    }
    const keyword = firstKeyword(sql);
    if (!QUERY_KEYWORDS.has(keyword)) {
      throw new WarehouseError(
        `state ${this.stateId} is open read-only: ${keyword || "this"} statements are refused ` +
          `(only SELECT, WITH, VALUES, TABLE, EXPLAIN and SHOW run on a published state)`,
      );
    }
    return this.pinned((map) => runQuery(this.client, map(sql), params, this.typeNames));
  }

  async listTables(schema?: string): Promise<TableList> {
    this.ensureOpen();
    return this.pinned(async (_map, schemas) => listTablesIn(this.client, schemas, schema));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.end();
    } finally {
      this.whenClosed?.();
    }
  }

  /** Runs `fn` in a READ ONLY transaction holding the swap lock shared, with this state's names. */
  private async pinned<T>(
    fn: (map: (sql: string) => string, schemas: { plain: string; physical: string }[]) => Promise<T>,
  ): Promise<T> {
    const client = this.client;
    try {
      // One round trip: the transaction, the shared swap lock, the pointer and the schemas.
      const [, , pointer, namespaces] = (await client.query(
        `BEGIN READ ONLY; SELECT pg_catalog.pg_advisory_xact_lock_shared(${LOCK_CLASS}, ${SWAP_LOCK});
         SELECT current FROM ${ENGINE_SCHEMA}.pointer;
         SELECT nspname FROM pg_catalog.pg_namespace`,
      )) as unknown as pg.QueryResult[];
      const current = (pointer!.rows[0] as { current?: string } | undefined)?.current ?? null;
      const all = (namespaces!.rows as { nspname: string }[])
        .map((r) => r.nspname)
        .filter((n) => !isSystemSchema(n));
      const schemas = schemasOfState(all, this.stateId, current);
      let map = (sql: string) => sql;
      if (current !== this.stateId) {
        if (!(await readStates(client)).some((s) => s.id === this.stateId)) {
          throw new WarehouseError(
            `state ${this.stateId} is no longer kept (pruned); open the published state again`,
          );
        }
        this.keptNames ??= new Map(schemas.map((s) => [s.plain, s.physical]));
        const names = this.keptNames;
        map = (sql) => rewriteSchemas(sql, (name) => names.get(name));
      }
      const result = await fn(map, schemas);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      const e = err as { code?: string };
      if (e.code === "25006") {
        throw postgresError(`state ${this.stateId} is open read-only`, err);
      }
      throw postgresError(`query failed (state ${this.stateId})`, err);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new WarehouseError(`the session on state ${this.stateId} is closed`);
  }
}

/** The plain name a physical schema stands for (for messages). */
export function plainName(physical: string): string {
  return parseSchemaName(physical).plain;
}
