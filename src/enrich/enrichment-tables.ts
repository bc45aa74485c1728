/**
 * The enrichment tables in the warehouse (schema `enrich`), in engine-neutral SQL (DuckDB
 * and PostgreSQL alike), and the reads and upserts on them.
 *
 * - `nationality_cache`: one row per raw nationality text ever seen;
 * - `municipality_cache`: one row per (raw address, raw PMS prefecture column);
 * - `apartment_locations`: per building, rebuilt on each run from staging.apartments and the
 *   cache: municipality, and coordinates (the building's own, else the municipality's centre
 *   flagged approximate).
 */
import type { SqlParam, SqlValue, StateWriter, WarehouseSession } from "../warehouse/warehouse.js";
import type { AddressMatch, AddressMethod, MunicipalityKind, NationalityMethod } from "./types.js";

export const ENRICH_SCHEMA = "enrich";

const DDL = [
  `CREATE TABLE IF NOT EXISTS enrich.nationality_cache (
    raw_text VARCHAR NOT NULL PRIMARY KEY,
    iso_code VARCHAR(2),
    name_en VARCHAR,
    name_ja VARCHAR,
    method VARCHAR NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    model VARCHAR,
    resolved_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS enrich.municipality_cache (
    raw_address VARCHAR NOT NULL,
    raw_prefecture VARCHAR NOT NULL,
    prefecture VARCHAR,
    prefecture_en VARCHAR,
    municipality VARCHAR,
    municipality_en VARCHAR,
    kind VARCHAR,
    code VARCHAR(5),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    method VARCHAR NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    resolved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (raw_address, raw_prefecture)
  )`,
];

export interface NationalityRow {
  rawText: string;
  isoCode: string | null;
  nameEn: string | null;
  nameJa: string | null;
  method: NationalityMethod;
  confidence: number;
  model: string | null;
  resolvedAt: string;
}

/** A resolved address as the enrichment table keeps it: the match, keyed by the raw columns. */
export interface MunicipalityRow extends Omit<AddressMatch, "raw"> {
  rawAddress: string;
  /** The PMS prefecture column as given ('' when NULL). */
  rawPrefecture: string;
  resolvedAt: string;
}

/** A timestamp literal both engines read as TIMESTAMP (UTC, no zone suffix). */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

export async function createEnrichmentTables(writer: StateWriter): Promise<void> {
  await writer.createSchema(ENRICH_SCHEMA);
  for (const ddl of DDL) await writer.exec(ddl);
}

const text = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: SqlValue | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export async function readNationalityCache(session: WarehouseSession): Promise<Map<string, NationalityRow>> {
  const result = await session.query(
    "SELECT raw_text, iso_code, name_en, name_ja, method, confidence, model, CAST(resolved_at AS VARCHAR) AS resolved_at FROM enrich.nationality_cache",
  );
  return new Map(
    result.rows.map((r) => [
      String(r.raw_text),
      {
        rawText: String(r.raw_text),
        isoCode: text(r.iso_code),
        nameEn: text(r.name_en),
        nameJa: text(r.name_ja),
        method: String(r.method) as NationalityMethod,
        confidence: Number(r.confidence),
        model: text(r.model),
        resolvedAt: String(r.resolved_at),
      },
    ]),
  );
}

export function municipalityKey(rawAddress: string, rawPrefecture: string): string {
  return `${rawPrefecture}\u0000${rawAddress}`;
}

export async function readMunicipalityCache(
  session: WarehouseSession,
): Promise<Map<string, MunicipalityRow>> {
  const result = await session.query(
    `SELECT raw_address, raw_prefecture, prefecture, prefecture_en, municipality, municipality_en, kind, code,
            latitude, longitude, method, confidence, CAST(resolved_at AS VARCHAR) AS resolved_at
     FROM enrich.municipality_cache`,
  );
  return new Map(
    result.rows.map((r) => [
      municipalityKey(String(r.raw_address), String(r.raw_prefecture)),
      {
        rawAddress: String(r.raw_address),
        rawPrefecture: String(r.raw_prefecture),
        prefecture: text(r.prefecture),
        prefectureEn: text(r.prefecture_en),
        municipality: text(r.municipality),
        municipalityEn: text(r.municipality_en),
        kind: text(r.kind) as MunicipalityKind | null,
        code: text(r.code),
        latitude: num(r.latitude),
        longitude: num(r.longitude),
        method: String(r.method) as AddressMethod,
        confidence: Number(r.confidence),
        resolvedAt: String(r.resolved_at),
      },
    ]),
  );
}

/** INSERT ... ON CONFLICT DO UPDATE in batches of multi-row VALUES. */
async function upsert(
  writer: StateWriter,
  table: string,
  columns: string[],
  key: string[],
  rows: SqlParam[][],
  casts: Record<string, string> = {},
): Promise<void> {
  const batch = 200;
  const tuple = `(${columns.map((c) => (casts[c] ? `CAST(? AS ${casts[c]})` : "?")).join(", ")})`;
  const updates = columns
    .filter((c) => !key.includes(c))
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(", ");
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await writer.exec(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}
       ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${updates}`,
      chunk.flat(),
    );
  }
}

export async function writeNationalityRows(
  writer: StateWriter,
  rows: readonly NationalityRow[],
): Promise<void> {
  await upsert(
    writer,
    "enrich.nationality_cache",
    ["raw_text", "iso_code", "name_en", "name_ja", "method", "confidence", "model", "resolved_at"],
    ["raw_text"],
    rows.map((r) => [
      r.rawText,
      r.isoCode,
      r.nameEn,
      r.nameJa,
      r.method,
      r.confidence,
      r.model,
      r.resolvedAt,
    ]),
    { resolved_at: "TIMESTAMP" },
  );
}

export async function writeMunicipalityRows(
  writer: StateWriter,
  rows: readonly MunicipalityRow[],
): Promise<void> {
  await upsert(
    writer,
    "enrich.municipality_cache",
    [
      "raw_address",
      "raw_prefecture",
      "prefecture",
      "prefecture_en",
      "municipality",
      "municipality_en",
      "kind",
      "code",
      "latitude",
      "longitude",
      "method",
      "confidence",
      "resolved_at",
    ],
    ["raw_address", "raw_prefecture"],
    rows.map((r) => [
      r.rawAddress,
      r.rawPrefecture,
      r.prefecture,
      r.prefectureEn,
      r.municipality,
      r.municipalityEn,
      r.kind,
      r.code,
      r.latitude,
      r.longitude,
      r.method,
      r.confidence,
      r.resolvedAt,
    ]),
    { resolved_at: "TIMESTAMP", latitude: "DOUBLE PRECISION", longitude: "DOUBLE PRECISION" },
  );
}

/**
 * Rebuilds enrich.apartment_locations from staging.apartments (when present) and the
 * municipality cache. A building's own coordinates count when both are present and not
 * (0, 0); otherwise the municipality's centre, flagged approximate.
 */
export async function rebuildApartmentLocations(writer: StateWriter, hasApartments: boolean): Promise<void> {
  await writer.exec("DROP TABLE IF EXISTS enrich.apartment_locations");
  await writer.exec(`CREATE TABLE enrich.apartment_locations (
    apartment_id BIGINT NOT NULL,
    asset_id_hj VARCHAR,
    prefecture VARCHAR,
    prefecture_en VARCHAR,
    municipality VARCHAR,
    municipality_en VARCHAR,
    kind VARCHAR,
    code VARCHAR(5),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    approximate BOOLEAN NOT NULL,
    coordinates_source VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    confidence DOUBLE PRECISION NOT NULL
  )`);
  if (!hasApartments) return;
  const own = `a.latitude IS NOT NULL AND a.longitude IS NOT NULL AND NOT (a.latitude = 0 AND a.longitude = 0)`;
  await writer.exec(`INSERT INTO enrich.apartment_locations
    SELECT CAST(a.id AS BIGINT), CAST(a.asset_id_hj AS VARCHAR), c.prefecture, c.prefecture_en, c.municipality,
           c.municipality_en, c.kind, c.code,
           CASE WHEN ${own} THEN CAST(a.latitude AS DOUBLE PRECISION) ELSE c.latitude END,
           CASE WHEN ${own} THEN CAST(a.longitude AS DOUBLE PRECISION) ELSE c.longitude END,
           CASE WHEN ${own} THEN FALSE ELSE c.latitude IS NOT NULL END,
           CASE WHEN ${own} THEN 'building' WHEN c.latitude IS NOT NULL THEN 'municipality' ELSE 'none' END,
           COALESCE(c.method, 'unknown'), COALESCE(c.confidence, 0)
    FROM staging.apartments a
    LEFT JOIN enrich.municipality_cache c
      ON c.raw_address = COALESCE(CAST(a.address AS VARCHAR), '')
     AND c.raw_prefecture = COALESCE(CAST(a.prefecture AS VARCHAR), '')`);
}
