/**
 * Bulk append through `COPY ... FROM STDIN` (text format) on a connection of its own, fed by
 * pg-copy-streams: rows become tab-separated lines (`\N` for NULL; backslash, tab, newline and
 * carriage return escaped; bytea as `\\x` + hex), written in batches with backpressure.
 *
 * Values are checked as they come, against the MySQL kind (an int8 column is a smallint here,
 * yet 200 is refused as DuckDB refuses it), JSON must parse; dates, decimals and intervals are
 * checked by PostgreSQL, whose error (with the COPY line and column) surfaces as a
 * WarehouseError naming the table, at the latest from `close()`. After a refused value the
 * appender takes no more rows and `close()` cancels the COPY (nothing of it is stored).
 *
 * NUL (U+0000) cannot be stored in PostgreSQL text: it is replaced by U+FFFD, the character
 * that also replaces invalid UTF-8 (README.md). Text given as UTF-8 bytes is decoded like the
 * reader's string mode (`Buffer.toString("utf8")`).
 */
import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { WarehouseError } from "../../errors.js";
import type { ColumnDef, TableSchema, Value } from "../../reader/types.js";
import type { TableAppender } from "../warehouse.js";
import { postgresError } from "./postgres-session.js";
import { quote } from "./postgres-states.js";
import { integerRange } from "./postgres-types.js";

/** Turns one value into COPY text (without escaping), or returns an error text. */
type Encoder = (value: Exclude<Value, null>) => string | { problem: string };

/** Bytes per write to the COPY stream. */
const BATCH_BYTES = 1 << 20;

export class PostgresTableAppender implements TableAppender {
  private appended = 0;
  private closed = false;
  private failure: WarehouseError | undefined;
  private copyError: Error | undefined;
  private readonly encoders: Encoder[];

  private constructor(
    private readonly client: pg.Client,
    private readonly stream: ReturnType<typeof copyFrom>,
    private readonly schema: string,
    private readonly table: TableSchema,
    private readonly onClose: () => void,
  ) {
    this.encoders = table.columns.map((c) => encoderFor(c));
    stream.on("error", (err: Error) => {
      this.copyError ??= err;
    });
  }

  /** Starts `COPY physical.table (columns) FROM STDIN` on `client` (which the appender then owns). */
  static async open(
    client: pg.Client,
    physicalSchema: string,
    schema: string,
    table: TableSchema,
    onClose: () => void,
  ): Promise<PostgresTableAppender> {
    const columns = table.columns.map((c) => quote(c.name)).join(", ");
    try {
      const count = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_catalog.pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [`${quote(physicalSchema)}.${quote(table.name)}`],
      );
      const n = Number(count.rows[0]?.n);
      if (n !== table.columns.length) {
        throw new WarehouseError(
          `cannot append to ${schema}.${table.name}: the table has ${n} columns, the rows ${table.columns.length}`,
        );
      }
      const stream = client.query(
        copyFrom(`COPY ${quote(physicalSchema)}.${quote(table.name)} (${columns}) FROM STDIN`),
      );
      return new PostgresTableAppender(client, stream, schema, table, onClose);
    } catch (err) {
      await client.end().catch(() => undefined);
      onClose();
      throw postgresError(`cannot append to ${schema}.${table.name}`, err);
    }
  }

  async append(rows: readonly (readonly Value[])[]): Promise<void> {
    if (this.closed) throw new WarehouseError(`appender for ${this.schema}.${this.table.name} is closed`);
    if (this.failure)
      throw new WarehouseError(`appender unusable after an earlier error: ${this.failure.message}`);
    try {
      let lines: string[] = [];
      let bytes = 0;
      for (let r = 0; r < rows.length; r++) {
        const line = this.encodeRow(rows[r]!, this.appended + r + 1);
        lines.push(line);
        bytes += line.length;
        if (bytes >= BATCH_BYTES) {
          await this.write(lines.join(""));
          lines = [];
          bytes = 0;
        }
      }
      if (lines.length > 0) await this.write(lines.join(""));
      this.appended += rows.length;
    } catch (err) {
      this.failure = err instanceof WarehouseError ? err : this.copyFailure(err as Error);
      throw this.failure;
    }
  }

  async close(): Promise<number> {
    if (this.closed) return this.appended;
    this.closed = true;
    try {
      if (this.failure) {
        // Cancel the COPY (CopyFail): nothing of it is stored.
        this.stream.destroy();
        await once(this.stream, "close").catch(() => undefined);
        return this.appended;
      }
      if (this.copyError) throw this.copyFailure(this.copyError);
      this.stream.end();
      await finished(this.stream);
      if (this.copyError) throw this.copyFailure(this.copyError);
    } catch (err) {
      this.failure ??= err instanceof WarehouseError ? err : this.copyFailure(err as Error);
      throw this.failure;
    } finally {
      await this.client.end().catch(() => undefined);
      this.onClose();
    }
    return this.appended;
  }

  private encodeRow(row: readonly Value[], rowNumber: number): string {
    const width = this.encoders.length;
    if (row.length !== width) {
      throw new WarehouseError(
        `${this.schema}.${this.table.name}: row ${rowNumber} has ${row.length} values, the table ${width} columns`,
      );
    }
    let line = "";
    for (let c = 0; c < width; c++) {
      if (c > 0) line += "\t";
      const value = row[c]!;
      if (value === null) {
        line += "\\N";
        continue;
      }
      const encoded = this.encoders[c]!(value);
      if (typeof encoded !== "string") {
        throw this.valueError(this.table.columns[c]!, value, encoded.problem, rowNumber);
      }
      line += escapeCopyText(encoded);
    }
    return line + "\n";
  }

  private async write(text: string): Promise<void> {
    if (this.copyError) throw this.copyFailure(this.copyError);
    if (!this.stream.write(text)) {
      await Promise.race([once(this.stream, "drain"), once(this.stream, "error")]);
    }
    if (this.copyError) throw this.copyFailure(this.copyError);
  }

  private valueError(column: ColumnDef, value: Value, problem: string, row: number): WarehouseError {
    const shown =
      value instanceof Uint8Array ? `${value.length} bytes` : JSON.stringify(String(value)).slice(0, 80);
    return new WarehouseError(
      `${this.schema}.${this.table.name}, row ${row}, column ${column.name} (${column.kind}): ${problem}: ${shown}`,
    );
  }

  private copyFailure(err: Error): WarehouseError {
    return postgresError(`appending to ${this.schema}.${this.table.name} failed`, err);
  }
}

function finished(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("finish", () => resolve());
    stream.once("error", reject);
  });
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const NUL = "\u0000";

/** COPY text format: backslash, tab, newline, CR escaped; NUL (impossible in PG text) -> U+FFFD. */
export function escapeCopyText(text: string): string {
  const clean = text.includes(NUL) ? text.replaceAll(NUL, "\uFFFD") : text;
  if (!NEEDS_ESCAPE.test(clean)) return clean;
  return clean.replace(/[\\\t\n\r]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "\t":
        return "\\t";
      case "\n":
        return "\\n";
      default:
        return "\\r";
    }
  });
}

const decodeUtf8 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

function encoderFor(column: ColumnDef): Encoder {
  const range = integerRange(column.kind);
  if (range) {
    const { min, max } = range;
    const [low, high] = [Number(min), Number(max)];
    return (value) => {
      // Numbers (the reader's int8..uint32) are checked without a BigInt per value.
      if (typeof value === "number" && Number.isSafeInteger(value)) {
        return value < low || value > high ? { problem: "out of range" } : String(value);
      }
      let n: bigint;
      if (typeof value === "bigint") n = value;
      else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
      else return { problem: "not an integer" };
      if (n < min || n > max) return { problem: "out of range" };
      return n.toString();
    };
  }
  switch (column.kind) {
    case "float32":
    case "float64":
      return (value) => {
        if (typeof value === "number") return floatText(value);
        if (typeof value === "bigint") return floatText(Number(value));
        if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
          return floatText(Number(value));
        return { problem: "not a number" };
      };
    case "decimal":
      return (value) =>
        typeof value === "string" || typeof value === "number" || typeof value === "bigint"
          ? String(value)
          : { problem: "not a decimal" };
    case "date":
      return (value) =>
        typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? value
          : { problem: "not a date 'YYYY-MM-DD'" };
    case "datetime":
      return (value) =>
        typeof value === "string" && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(value)
          ? value
          : { problem: "not a datetime 'YYYY-MM-DD HH:MM:SS[.ffffff]'" };
    case "time":
      return (value) => (typeof value === "string" ? value : { problem: "not a time '[-]HH:MM:SS'" });
    case "json":
      return (value) => {
        const text =
          value instanceof Uint8Array ? decodeUtf8(value) : typeof value === "string" ? value : undefined;
        if (text === undefined) return { problem: "not JSON text" };
        try {
          JSON.parse(text);
        } catch {
          return { problem: "not valid JSON" };
        }
        return text;
      };
    case "text":
      return (value) => {
        if (typeof value === "string") return value;
        if (value instanceof Uint8Array) return decodeUtf8(value);
        return String(value);
      };
    case "binary":
      return (value) => {
        const bytes =
          value instanceof Uint8Array
            ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
            : typeof value === "string"
              ? Buffer.from(value, "utf8")
              : undefined;
        if (bytes === undefined) return { problem: "not bytes" };
        // '\x...' is bytea's hex input; its backslash is escaped by escapeCopyText.
        return `\\x${bytes.toString("hex")}`;
      };
    default:
      throw new WarehouseError(`no COPY encoding for column kind ${column.kind}`);
  }
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}
