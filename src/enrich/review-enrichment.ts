/**
 * What an operator should look at: unresolved values and values resolved with confidence
 * below 0.8, each with how often it occurs in staging (tenants + inquiries for
 * nationalities, buildings for addresses), most frequent first. Values that are absent from
 * staging are not listed; forced 'unknown' overrides are settled and not listed either.
 */
import type { WarehouseSession } from "../warehouse/warehouse.js";

export const REVIEW_CONFIDENCE = 0.8;

export interface ReviewItem {
  kind: "nationality" | "address";
  raw: string;
  /** The PMS prefecture column for addresses ('' when none); undefined for nationalities. */
  prefectureHint?: string;
  resolved: string | null;
  method: string;
  confidence: number;
  count: number;
}

async function tablesOf(session: WarehouseSession, schema: string): Promise<Set<string>> {
  return new Set((await session.listTables(schema)).map((t) => t.name));
}

export async function reviewEnrichment(session: WarehouseSession): Promise<ReviewItem[]> {
  const enrich = await tablesOf(session, "enrich");
  const staging = await tablesOf(session, "staging");
  const items: ReviewItem[] = [];
  const sources = ["tenants", "inquiries"].filter((t) => staging.has(t));
  if (enrich.has("nationality_cache") && sources.length > 0) {
    const union = sources.map(
      (t) => `SELECT nationality AS raw FROM staging.${t} WHERE nationality IS NOT NULL`,
    );
    const result = await session.query(
      `SELECT c.raw_text, c.iso_code, c.name_en, c.method, c.confidence, n.n
       FROM enrich.nationality_cache c
       JOIN (SELECT raw, COUNT(*) AS n FROM (${union.join(" UNION ALL ")}) v GROUP BY raw) n ON n.raw = c.raw_text
       WHERE (c.iso_code IS NULL AND c.method <> 'override') OR c.confidence < ?
       ORDER BY n.n DESC, c.raw_text`,
      [REVIEW_CONFIDENCE],
    );
    for (const r of result.rows)
      items.push({
        kind: "nationality",
        raw: String(r.raw_text),
        resolved: r.iso_code === null ? null : `${String(r.iso_code)} ${String(r.name_en)}`,
        method: String(r.method),
        confidence: Number(r.confidence),
        count: Number(r.n),
      });
  }
  if (enrich.has("municipality_cache") && staging.has("apartments")) {
    const result = await session.query(
      `SELECT c.raw_address, c.raw_prefecture, c.prefecture, c.municipality, c.method, c.confidence, n.n
       FROM enrich.municipality_cache c
       JOIN (SELECT COALESCE(CAST(address AS VARCHAR), '') AS address, COALESCE(CAST(prefecture AS VARCHAR), '') AS prefecture,
                    COUNT(*) AS n
             FROM staging.apartments GROUP BY 1, 2) n
         ON n.address = c.raw_address AND n.prefecture = c.raw_prefecture
       WHERE c.municipality IS NULL OR c.confidence < ?
       ORDER BY n.n DESC, c.raw_address`,
      [REVIEW_CONFIDENCE],
    );
    for (const r of result.rows)
      items.push({
        kind: "address",
        raw: String(r.raw_address),
        prefectureHint: String(r.raw_prefecture),
        resolved:
          r.prefecture === null ? null : [r.prefecture, r.municipality].filter((v) => v !== null).join(" "),
        method: String(r.method),
        confidence: Number(r.confidence),
        count: Number(r.n),
      });
  }
  return items;
}
