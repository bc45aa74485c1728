/**
 * DuckDB values -> the plain, engine-neutral values every caller sees (warehouse.ts SqlValue):
 * integers as number within ±(2^53 - 1) else bigint, DECIMAL as its exact text, DATE as
 * 'YYYY-MM-DD', TIMESTAMP as ISO-8601 'YYYY-MM-DDTHH:MM:SS[.ffffff]' ('Z' appended for
 * TIMESTAMP WITH TIME ZONE, which DuckDB holds in UTC), INTERVAL as '[-]HH:MM:SS[.ffffff]'
 * (DuckDB's own text when it has months), BLOB as Uint8Array.
 */
import {
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  arrayFromArrayValue,
  arrayFromListValue,
  booleanFromValue,
  bytesFromGeometryValue,
  createDuckDBValueConverter,
  fromVariantValue,
  nullConverter,
  numberFromValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  stringFromValue,
  unsupportedConverter,
  type DuckDBValue,
  type DuckDBValueConverter,
} from "@duckdb/node-api";
import { formatDuration } from "../format-duration.js";
import type { SqlValue } from "../warehouse.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** A bigint as a number when exactly representable, else unchanged. */
export function safeInteger(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

const integer = (value: DuckDBValue): number | bigint =>
  typeof value === "bigint" ? safeInteger(value) : (value as number);

const text = (value: DuckDBValue): string => String(value);

function isoTimestamp(value: DuckDBValue): string {
  return String(value).replace(" ", "T");
}

function isoTimestampUtc(value: DuckDBValue): string {
  const plain = new DuckDBTimestampValue((value as DuckDBTimestampTZValue).micros);
  return plain.isFinite ? `${isoTimestamp(plain)}Z` : String(plain);
}

/** A plain Uint8Array view (DuckDB hands out Buffers, which JSON.stringify would turn into objects). */
function bytes(value: DuckDBValue): Uint8Array {
  const b = (value as DuckDBBlobValue).bytes;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function duration(value: DuckDBValue): string {
  const interval = value as DuckDBIntervalValue;
  if (interval.months !== 0) return interval.toString();
  return formatDuration(BigInt(interval.days) * 86_400_000_000n + interval.micros);
}

export const normalizeDuckDBValue: DuckDBValueConverter<SqlValue> = createDuckDBValueConverter<SqlValue>({
  [DuckDBTypeId.INVALID]: unsupportedConverter,
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.BIGINT]: integer,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.UBIGINT]: integer,
  [DuckDBTypeId.HUGEINT]: integer,
  [DuckDBTypeId.UHUGEINT]: integer,
  [DuckDBTypeId.BIGNUM]: integer,
  [DuckDBTypeId.FLOAT]: numberFromValue,
  [DuckDBTypeId.DOUBLE]: numberFromValue,
  [DuckDBTypeId.DECIMAL]: (value) => (value as DuckDBDecimalValue).toString(),
  [DuckDBTypeId.DATE]: text,
  [DuckDBTypeId.TIMESTAMP]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_S]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_MS]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_NS]: isoTimestamp,
  [DuckDBTypeId.TIMESTAMP_TZ]: isoTimestampUtc,
  [DuckDBTypeId.TIME]: text,
  [DuckDBTypeId.TIME_NS]: text,
  [DuckDBTypeId.TIME_TZ]: text,
  [DuckDBTypeId.INTERVAL]: duration,
  [DuckDBTypeId.VARCHAR]: stringFromValue,
  [DuckDBTypeId.ENUM]: stringFromValue,
  [DuckDBTypeId.UUID]: stringFromValue,
  [DuckDBTypeId.BIT]: text,
  [DuckDBTypeId.BLOB]: bytes,
  [DuckDBTypeId.GEOMETRY]: bytesFromGeometryValue,
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: objectArrayFromMapValue,
  [DuckDBTypeId.UNION]: objectFromUnionValue,
  [DuckDBTypeId.VARIANT]: fromVariantValue,
  [DuckDBTypeId.SQLNULL]: nullConverter,
  [DuckDBTypeId.ANY]: unsupportedConverter,
  [DuckDBTypeId.STRING_LITERAL]: stringFromValue,
  [DuckDBTypeId.INTEGER_LITERAL]: integer,
});
