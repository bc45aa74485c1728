import type { ColumnKind } from "./types.js";

/** What a MySQL column type says about its values. */
export interface ColumnTypeInfo {
  kind: ColumnKind;
  precision?: number;
  scale?: number;
  fsp?: number;
}

const INTEGERS: Record<string, [signed: ColumnKind, unsigned: ColumnKind]> = {
  tinyint: ["int8", "uint8"],
  int1: ["int8", "uint8"],
  bool: ["int8", "uint8"],
  boolean: ["int8", "uint8"],
  smallint: ["int16", "uint16"],
  int2: ["int16", "uint16"],
  mediumint: ["int32", "uint32"],
  middleint: ["int32", "uint32"],
  int3: ["int32", "uint32"],
  int: ["int32", "uint32"],
  integer: ["int32", "uint32"],
  int4: ["int32", "uint32"],
  bigint: ["int64", "uint64"],
  int8: ["int64", "uint64"],
};

const TEXTS = new Set([
  "char",
  "varchar",
  "nchar",
  "nvarchar",
  "tinytext",
  "text",
  "mediumtext",
  "longtext",
  "long", // LONG = MEDIUMTEXT
  "enum",
  "set",
  "inet4", // MariaDB: dumped as text
  "inet6",
  "uuid",
]);

const BINARIES = new Set([
  "binary",
  "varbinary",
  "tinyblob",
  "blob",
  "mediumblob",
  "longblob",
  "long varbinary",
  // spatial values are dumped as their binary (WKB) form
  "geometry",
  "point",
  "linestring",
  "polygon",
  "multipoint",
  "multilinestring",
  "multipolygon",
  "geometrycollection",
  "geomcollection",
]);

/**
 * Maps a MySQL/MariaDB column type to its ColumnKind. `base` is the lower-cased type name
 * (`int`, `decimal`, `long varbinary`), `args` its numeric arguments (`decimal(10,7)` -> [10, 7]),
 * `binaryCharset` whether the column is declared `CHARACTER SET binary` (a byte string).
 * Returns undefined for a type the reader does not know.
 */
export function columnKindOf(
  base: string,
  args: number[],
  unsigned: boolean,
  binaryCharset: boolean,
): ColumnTypeInfo | undefined {
  const int = INTEGERS[base];
  if (int) return { kind: unsigned ? int[1] : int[0] };
  if (base === "serial") return { kind: "uint64" };
  switch (base) {
    case "decimal":
    case "dec":
    case "numeric":
    case "fixed":
      return { kind: "decimal", precision: args[0] ?? 10, scale: args[1] ?? 0 };
    case "float":
      // FLOAT(p) with p > 24 is a DOUBLE; FLOAT(M,D) is a FLOAT
      return { kind: args.length === 1 && args[0]! > 24 ? "float64" : "float32" };
    case "double":
    case "double precision":
    case "real":
    case "float8":
      return { kind: "float64" };
    case "float4":
      return { kind: "float32" };
    case "date":
      return { kind: "date" };
    case "datetime":
    case "timestamp":
      return { kind: "datetime", fsp: args[0] ?? 0 };
    case "time":
      return { kind: "time", fsp: args[0] ?? 0 };
    case "year":
      return { kind: "int16" };
    case "json":
      return { kind: "json" };
    case "bit":
      return { kind: "bit" };
  }
  if (TEXTS.has(base)) {
    const byteString = binaryCharset && base !== "enum" && base !== "set";
    return { kind: byteString ? "binary" : "text" };
  }
  if (BINARIES.has(base)) return { kind: "binary" };
  return undefined;
}
