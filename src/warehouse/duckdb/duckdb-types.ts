/**
 * Reader column kinds -> DuckDB column types, and how the appender carries each kind into a
 * data chunk. Faithful in range and precision; the two places DuckDB cannot hold a MySQL type
 * natively are documented here and in README.md:
 *
 * - DECIMAL(p,s) with p > 38 (MySQL allows 65) -> VARCHAR holding the exact decimal text;
 *   DuckDB's DECIMAL stops at 38 digits and DECIMAL(38,s) would not hold the declared range.
 *   Cast explicitly for arithmetic (`x::DOUBLE`, or `x::DECIMAL(38,s)` when values fit).
 * - TIME -> INTERVAL: MySQL TIME is a duration (-838:59:59 .. 838:59:59), DuckDB TIME is a
 *   time of day (0 .. 24 h). The interval holds microseconds only (no months or days), and
 *   query results print it back as '[-]HH:MM:SS[.ffffff]'.
 *
 * Tables carry no NOT NULL constraints: zero dates load as NULL even in NOT NULL columns.
 */
import {
  BIGINT,
  BLOB,
  DATE,
  DOUBLE,
  DuckDBTypeId,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIMESTAMP,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
  type DuckDBType,
} from "@duckdb/node-api";
import type { ColumnDef, ColumnKind } from "../../reader/types.js";
import type { ResultKind } from "../warehouse.js";

/** DuckDB's widest DECIMAL. */
export const DUCKDB_MAX_DECIMAL_PRECISION = 38;

/** The DuckDB column type for a reader column. */
export function duckdbColumnType(column: ColumnDef): string {
  switch (column.kind) {
    case "int8":
      return "TINYINT";
    case "uint8":
      return "UTINYINT";
    case "int16":
      return "SMALLINT";
    case "uint16":
      return "USMALLINT";
    case "int32":
      return "INTEGER";
    case "uint32":
      return "UINTEGER";
    case "int64":
      return "BIGINT";
    case "uint64":
    case "bit":
      return "UBIGINT";
    case "decimal": {
      // MySQL's DECIMAL without arguments is DECIMAL(10,0).
      const precision = column.precision ?? 10;
      const scale = column.scale ?? 0;
      return precision <= DUCKDB_MAX_DECIMAL_PRECISION ? `DECIMAL(${precision},${scale})` : "VARCHAR";
    }
    case "float32":
      return "FLOAT";
    case "float64":
      return "DOUBLE";
    case "date":
      return "DATE";
    case "datetime":
      // Microseconds: MySQL's fsp is at most 6.
      return "TIMESTAMP";
    case "time":
      return "INTERVAL";
    case "text":
      return "VARCHAR";
    case "json":
      // The json extension is built into @duckdb/node-api's DuckDB (no download needed).
      return "JSON";
    case "binary":
      return "BLOB";
    default:
      return assertNever(column.kind);
  }
}

/**
 * How the appender carries a kind into a data chunk: a typed array for numbers, dates and
 * datetimes (parsed in duckdb-temporal.ts), or a string / bytes vector. DECIMAL and TIME text
 * is cast by DuckDB to the column type when the chunk is appended (exact).
 */
export type Carrier =
  | { vector: "number"; type: DuckDBType; array: NumberArrayConstructor; min: number; max: number }
  | { vector: "bigint"; type: DuckDBType; array: BigIntArrayConstructor; min: bigint; max: bigint }
  | { vector: "float"; type: DuckDBType; array: Float32ArrayConstructor | Float64ArrayConstructor }
  | { vector: "date"; type: DuckDBType }
  | { vector: "timestamp"; type: DuckDBType }
  | { vector: "string"; type: DuckDBType; json?: true }
  | { vector: "bytes"; type: DuckDBType };

type NumberArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor;
type BigIntArrayConstructor = BigInt64ArrayConstructor | BigUint64ArrayConstructor;

const U64_MAX = 2n ** 64n - 1n;

export function carrierFor(kind: ColumnKind): Carrier {
  switch (kind) {
    case "int8":
      return { vector: "number", type: TINYINT, array: Int8Array, min: -128, max: 127 };
    case "uint8":
      return { vector: "number", type: UTINYINT, array: Uint8Array, min: 0, max: 255 };
    case "int16":
      return { vector: "number", type: SMALLINT, array: Int16Array, min: -32768, max: 32767 };
    case "uint16":
      return { vector: "number", type: USMALLINT, array: Uint16Array, min: 0, max: 65535 };
    case "int32":
      return { vector: "number", type: INTEGER, array: Int32Array, min: -(2 ** 31), max: 2 ** 31 - 1 };
    case "uint32":
      return { vector: "number", type: UINTEGER, array: Uint32Array, min: 0, max: 2 ** 32 - 1 };
    case "int64":
      return { vector: "bigint", type: BIGINT, array: BigInt64Array, min: -(2n ** 63n), max: 2n ** 63n - 1n };
    case "uint64":
    case "bit":
      return { vector: "bigint", type: UBIGINT, array: BigUint64Array, min: 0n, max: U64_MAX };
    case "float32":
      return { vector: "float", type: FLOAT, array: Float32Array };
    case "float64":
      return { vector: "float", type: DOUBLE, array: Float64Array };
    case "date":
      return { vector: "date", type: DATE };
    case "datetime":
      return { vector: "timestamp", type: TIMESTAMP };
    case "json":
      // DuckDB's appender does not validate text going into a JSON column: the appender does.
      return { vector: "string", type: VARCHAR, json: true };
    case "decimal":
    case "time":
    case "text":
      return { vector: "string", type: VARCHAR };
    case "binary":
      return { vector: "bytes", type: BLOB };
    default:
      return assertNever(kind);
  }
}

/** The neutral result kind of a DuckDB result column. */
export function resultKindOf(typeId: DuckDBTypeId, alias: string | undefined): ResultKind {
  if (alias?.toUpperCase() === "JSON") return "json";
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return "boolean";
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return "integer";
    case DuckDBTypeId.DECIMAL:
      return "decimal";
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return "float";
    case DuckDBTypeId.DATE:
      return "date";
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "datetime";
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
      return "time";
    case DuckDBTypeId.INTERVAL:
      return "interval";
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.BIT:
      return "text";
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.GEOMETRY:
      return "binary";
    default:
      return "other";
  }
}

function assertNever(kind: never): never {
  throw new Error(`unknown column kind ${String(kind)}`);
}
