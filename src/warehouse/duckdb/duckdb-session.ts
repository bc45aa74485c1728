/**
 * A connection to one generation file: reading (shared by readers and the writer) and the
 * read-only reader itself. Published generations are opened with access_mode READ_ONLY, and a
 * reader runs only query statements (SELECT, EXPLAIN, PRAGMA, CALL): anything else is refused
 * before DuckDB sees it, so a reader can neither change the state nor write files.
 */
import {
  DuckDBBlobValue,
  DuckDBConnection,
  DuckDBInstance,
  StatementType,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBValue,
} from "@duckdb/node-api";
import { WarehouseError } from "../../errors.js";
import type { QueryResult, SqlParam, WarehouseSession } from "../warehouse.js";
import { resultKindOf } from "./duckdb-types.js";
import { normalizeDuckDBValue } from "./duckdb-values.js";

const QUERY_STATEMENTS = new Set<StatementType>([
  StatementType.SELECT,
  StatementType.EXPLAIN,
  StatementType.PRAGMA,
  StatementType.CALL,
]);

export function toDuckDBParams(params: readonly SqlParam[]): DuckDBValue[] {
  return params.map((p) => (p instanceof Uint8Array ? new DuckDBBlobValue(p) : p));
}

/** Wraps a DuckDB error into a WarehouseError saying what was being done. */
export function duckdbError(doing: string, err: unknown): WarehouseError {
  if (err instanceof WarehouseError) return err;
  return new WarehouseError(`${doing}: ${(err as Error).message}`, { cause: err });
}

export function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const names = reader.deduplicatedColumnNames();
  const columns = names.map((name, i) => {
    const type = reader.columnType(i);
    return { name, type: type.alias ?? type.toString(), kind: resultKindOf(type.typeId, type.alias) };
  });
  return { columns, rows: reader.convertRowObjects(normalizeDuckDBValue) as QueryResult["rows"] };
}

export abstract class DuckDBSession implements WarehouseSession {
  abstract readonly readOnly: boolean;
  protected closed = false;

  constructor(
    readonly stateId: string,
    protected readonly instance: DuckDBInstance,
    protected readonly connection: DuckDBConnection,
  ) {}

  async query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
    this.ensureOpen();
    const prepared = await this.prepareOne(sql);
    try {
      this.checkStatement(prepared.statementType);
      if (params.length > 0) prepared.bind(toDuckDBParams(params));
      const reader = await prepared.runAndReadAll();
      return toQueryResult(reader);
    } catch (err) {
      throw duckdbError(`query failed (state ${this.stateId})`, err);
    } finally {
      prepared.destroySync();
    }
  }

  async listTables(schema?: string): Promise<{ schema: string; name: string; type: "table" | "view" }[]> {
    const result = await this.query(
      `SELECT table_schema AS schema, table_name AS name, table_type AS type
         FROM information_schema.tables
        WHERE table_catalog = current_database() AND table_type IN ('BASE TABLE', 'VIEW')
          ${schema === undefined ? "" : "AND table_schema = ?"}
        ORDER BY 1, 2`,
      schema === undefined ? [] : [schema],
    );
    return result.rows.map((r) => ({
      schema: r.schema as string,
      name: r.name as string,
      type: r.type === "VIEW" ? "view" : "table",
    }));
  }

  /** Called once when the session closes (the warehouse handle's bookkeeping). */
  whenClosed: (() => void) | undefined;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.release();
    } finally {
      this.whenClosed?.();
    }
  }

  /** Closes the DuckDB connection and database (the file is closed when this returns). */
  protected release(): void {
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }

  /** Readers refuse anything but queries; writers accept everything. */
  protected checkStatement(_type: StatementType): void {}

  protected ensureOpen(): void {
    if (this.closed) throw new WarehouseError(`the session on state ${this.stateId} is closed`);
  }

  private async prepareOne(sql: string): Promise<DuckDBPreparedStatement> {
    try {
      const extracted = await this.connection.extractStatements(sql);
      if (extracted.count !== 1) {
        throw new WarehouseError(`a query is exactly one SQL statement; got ${extracted.count}`);
      }
      return await extracted.prepare(0);
    } catch (err) {
      throw duckdbError(`query failed (state ${this.stateId})`, err);
    }
  }
}

export class DuckDBStateReader extends DuckDBSession {
  readonly readOnly = true;

  static async open(stateId: string, file: string): Promise<DuckDBStateReader> {
    const instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
    try {
      const connection = await instance.connect();
      return new DuckDBStateReader(stateId, instance, connection);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  protected override checkStatement(type: StatementType): void {
    if (!QUERY_STATEMENTS.has(type)) {
      throw new WarehouseError(
        `state ${this.stateId} is open read-only: ${StatementType[type] ?? "this"} statements are refused ` +
          `(only SELECT, EXPLAIN, PRAGMA and CALL run on a published state)`,
      );
    }
  }
}
