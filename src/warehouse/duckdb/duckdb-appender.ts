/**
 * Bulk append through DuckDB data chunks: rows are written column by column into a chunk of
 * 2048 rows (numbers into typed arrays copied in one call per column, strings and bytes
 * assigned per value), and each full chunk goes to DuckDB's appender with one
 * `append_data_chunk` call, which also casts string-carried values (DECIMAL, DATE,
 * TIMESTAMP, INTERVAL) to the column types in C++.
 *
 * Measured (bench/append.mjs): as fast as per-value appender calls on text-heavy rows, about
 * five times faster on numeric rows. Numbers are range-checked: a typed array would silently
 * wrap an out-of-range value.
 */
import { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBVector } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { WarehouseError } from "../../errors.js";
import type { ColumnDef, TableSchema, Value } from "../../reader/types.js";
import type { TableAppender } from "../warehouse.js";
import { carrierFor, type Carrier } from "./duckdb-types.js";

const CHUNK_ROWS = DuckDBVector.standardSize();
const VALIDITY_BYTES = Math.ceil(CHUNK_ROWS / 64) * 8;
const utf8 = new TextEncoder();

/** One column's buffer for the chunk being filled. */
interface ColumnBuffer {
  /** Stores row `i`'s value; returns an error text for a value the column cannot hold. */
  set(i: number, value: Value): string | undefined;
  /** Writes the first `rows` values into the chunk's vector. */
  flush(vector: duckdb.Vector, rows: number): void;
  /** Vector of the current chunk, for string and byte columns (assigned as they come). */
  vector: duckdb.Vector | undefined;
}

export class DuckDBTableAppender implements TableAppender {
  private readonly chunk: duckdb.DataChunk;
  private readonly wrappedChunk: DuckDBDataChunk;
  private readonly columns: ColumnBuffer[];
  private readonly validity: Uint8Array<ArrayBuffer>[];
  private readonly hasNull: boolean[];
  private rowsInChunk = 0;
  private appended = 0;
  private closed = false;

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly schema: string,
    private readonly table: TableSchema,
    private readonly onClose: () => void,
  ) {
    const carriers = table.columns.map((c) => carrierFor(c.kind));
    this.chunk = duckdb.create_data_chunk(carriers.map((c) => c.type.toLogicalType().logical_type));
    this.wrappedChunk = new DuckDBDataChunk(this.chunk);
    this.validity = table.columns.map(() => new Uint8Array(VALIDITY_BYTES).fill(0xff));
    this.hasNull = table.columns.map(() => false);
    this.columns = carriers.map((c) => columnBuffer(c));
    this.attachVectors();
  }

  static async open(
    connection: DuckDBConnection,
    schema: string,
    table: TableSchema,
    onClose: () => void,
  ): Promise<DuckDBTableAppender> {
    let appender: DuckDBAppender;
    try {
      appender = await connection.createAppender(table.name, schema);
    } catch (err) {
      throw new WarehouseError(`cannot append to ${schema}.${table.name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (appender.columnCount !== table.columns.length) {
      appender.closeSync();
      throw new WarehouseError(
        `cannot append to ${schema}.${table.name}: the table has ${appender.columnCount} columns, the rows ${table.columns.length}`,
      );
    }
    return new DuckDBTableAppender(appender, schema, table, onClose);
  }

  async append(rows: readonly (readonly Value[])[]): Promise<void> {
    if (this.closed) throw new WarehouseError(`appender for ${this.schema}.${this.table.name} is closed`);
    const columns = this.columns;
    const width = columns.length;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (row.length !== width) {
        throw new WarehouseError(
          `${this.schema}.${this.table.name}: row ${this.appended + this.rowsInChunk + 1} has ${row.length} values, the table ${width} columns`,
        );
      }
      const i = this.rowsInChunk;
      for (let c = 0; c < width; c++) {
        const value = row[c]!;
        if (value === null) {
          this.validity[c]![i >> 3]! &= ~(1 << (i & 7));
          this.hasNull[c] = true;
          continue;
        }
        const problem = columns[c]!.set(i, value);
        if (problem !== undefined) throw this.valueError(this.table.columns[c]!, value, problem);
      }
      if (++this.rowsInChunk === CHUNK_ROWS) this.flushChunk();
    }
  }

  async close(): Promise<number> {
    if (this.closed) return this.appended;
    this.closed = true;
    try {
      if (this.rowsInChunk > 0) this.flushChunk();
      this.appender.closeSync();
    } catch (err) {
      throw this.duckdbError(err);
    } finally {
      this.onClose();
    }
    return this.appended;
  }

  private attachVectors(): void {
    this.columns.forEach((column, c) => {
      column.vector = duckdb.data_chunk_get_vector(this.chunk, c);
    });
  }

  private flushChunk(): void {
    const rows = this.rowsInChunk;
    this.columns.forEach((column, c) => {
      const vector = column.vector!;
      column.flush(vector, rows);
      if (this.hasNull[c]) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, this.validity[c]!.buffer, 0, VALIDITY_BYTES);
        this.validity[c]!.fill(0xff);
        this.hasNull[c] = false;
      }
    });
    duckdb.data_chunk_set_size(this.chunk, rows);
    try {
      this.appender.appendDataChunk(this.wrappedChunk);
    } catch (err) {
      throw this.duckdbError(err, rows);
    } finally {
      duckdb.data_chunk_reset(this.chunk);
      this.attachVectors();
      this.rowsInChunk = 0;
    }
    this.appended += rows;
  }

  private valueError(column: ColumnDef, value: Value, problem: string): WarehouseError {
    const shown =
      value instanceof Uint8Array ? `${value.length} bytes` : JSON.stringify(String(value)).slice(0, 80);
    return new WarehouseError(
      `${this.schema}.${this.table.name}, row ${this.appended + this.rowsInChunk + 1}, column ${column.name} (${column.kind}): ${problem}: ${shown}`,
    );
  }

  private duckdbError(err: unknown, rows?: number): WarehouseError {
    const where = rows === undefined ? "" : ` (rows ${this.appended + 1}..${this.appended + rows})`;
    return new WarehouseError(
      `appending to ${this.schema}.${this.table.name}${where} failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function columnBuffer(carrier: Carrier): ColumnBuffer {
  switch (carrier.vector) {
    case "number": {
      const { min, max } = carrier;
      const items = new carrier.array(CHUNK_ROWS);
      return {
        vector: undefined,
        set(i, value) {
          const n = typeof value === "bigint" ? Number(value) : value;
          if (typeof n !== "number" || !Number.isInteger(n)) return "not an integer";
          if (n < min || n > max) return "out of range";
          items[i] = n;
          return undefined;
        },
        flush(vector, rows) {
          duckdb.copy_data_to_vector(vector, 0, items.buffer, 0, rows * items.BYTES_PER_ELEMENT);
        },
      };
    }
    case "bigint": {
      const { min, max } = carrier;
      const items = new carrier.array(CHUNK_ROWS);
      return {
        vector: undefined,
        set(i, value) {
          let n: bigint;
          if (typeof value === "bigint") n = value;
          else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
          else return "not an integer";
          if (n < min || n > max) return "out of range";
          items[i] = n;
          return undefined;
        },
        flush(vector, rows) {
          duckdb.copy_data_to_vector(vector, 0, items.buffer, 0, rows * 8);
        },
      };
    }
    case "float": {
      const items = new carrier.array(CHUNK_ROWS);
      return {
        vector: undefined,
        set(i, value) {
          if (typeof value === "number") items[i] = value;
          else if (typeof value === "bigint") items[i] = Number(value);
          else if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
            items[i] = Number(value);
          else return "not a number";
          return undefined;
        },
        flush(vector, rows) {
          duckdb.copy_data_to_vector(vector, 0, items.buffer, 0, rows * items.BYTES_PER_ELEMENT);
        },
      };
    }
    case "string": {
      const buffer: ColumnBuffer = {
        vector: undefined,
        set(i, value) {
          if (typeof value === "string") duckdb.vector_assign_string_element(buffer.vector!, i, value);
          else if (typeof value === "number" || typeof value === "bigint") {
            duckdb.vector_assign_string_element(buffer.vector!, i, String(value));
          } else return "not text";
          return undefined;
        },
        flush() {},
      };
      return buffer;
    }
    case "bytes": {
      const buffer: ColumnBuffer = {
        vector: undefined,
        set(i, value) {
          if (value instanceof Uint8Array) duckdb.vector_assign_string_element_len(buffer.vector!, i, value);
          else if (typeof value === "string")
            duckdb.vector_assign_string_element_len(buffer.vector!, i, utf8.encode(value));
          else return "not bytes";
          return undefined;
        },
        flush() {},
      };
      return buffer;
    }
  }
}
