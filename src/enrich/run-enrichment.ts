/**
 * One enrichment run on a state being built: reads the distinct raw values from staging,
 * normalises only those not cached yet, re-applies the operator's overrides (they always
 * win), asks the optional LLM resolver about what stays unresolved, writes the caches and
 * rebuilds enrich.apartment_locations. A run with a warm cache does no normalisation work
 * for known values. Staging tables that are absent are skipped.
 *
 * Re-normalised besides new values: cached rows whose override was removed, and, with
 * `refresh`, every row that is not an override (after the alias table or the municipality
 * list changed). Unresolved meaningful nationalities the LLM was never asked about (the
 * endpoint was off or down) are asked on the next run with a resolver.
 */
import { qualifiedName } from "../warehouse/quote-identifier.js";
import type { StateWriter, WarehouseSession } from "../warehouse/warehouse.js";
import { NO_OVERRIDES, type EnrichmentOverrides } from "./read-enrichment-overrides.js";
import { municipalityCoverage, type MunicipalityCoverage } from "./municipality-coverage.js";
import {
  createEnrichmentTables,
  municipalityKey,
  readMunicipalityCache,
  readNationalityCache,
  rebuildApartmentLocations,
  sqlTimestamp,
  writeMunicipalityRows,
  writeNationalityRows,
  type MunicipalityRow,
  type NationalityRow,
} from "./enrichment-tables.js";
import { LlmUnavailableError, type NationalityResolver } from "./llm-resolver.js";
import { addressOverrideKey, normaliseAddress, type AddressHints } from "./normalise-address.js";
import {
  isMeaninglessNationality,
  nationalityResult,
  normaliseNationality,
} from "./normalise-nationality.js";
import { overrideKey } from "./normalise-text.js";
import type { AddressMatch, NationalityMatch } from "./types.js";

export interface EnrichmentOptions {
  overrides?: EnrichmentOverrides;
  /** Optional resolver for what stays unresolved (off unless given). */
  llm?: NationalityResolver;
  /** Re-normalise every cached value that is not an override. */
  refresh?: boolean;
  now?: () => Date;
  /** The normalisers (tests count their calls); default the pure ones, with the overrides. */
  normaliseNationality?: (raw: string) => NationalityMatch;
  normaliseAddress?: (raw: string, hints: AddressHints) => AddressMatch;
}

export interface KindReport {
  /** Distinct raw values in staging. */
  seen: number;
  /** Values normalised in this run (not cached before, or re-normalised). */
  new: number;
  /** Methods of the values written in this run. */
  resolvedBy: Record<string, number>;
  /** Values seen in staging that have no resolution (nationality: no code; address: no prefecture). */
  unresolved: number;
  /** Cached values whose operator override was (re)applied in this run. */
  overridden: number;
}

export interface EnrichmentReport {
  nationality: KindReport & { llmAsked: number; llmResolved: number };
  municipality: KindReport;
  coverage: MunicipalityCoverage;
  warnings: string[];
}

const LLM_CONFIDENCE = 0.7;
/** The staging tables whose columns enrichment looks at. */
const ENRICHED_TABLES = new Set(["tenants", "inquiries", "apartments"]);

/**
 * Columns of the staging tables enrichment reads. Through listTables and a zero-row SELECT, not
 * information_schema: a PostgreSQL state's schemas carry state-specific names, and a
 * `table_schema = 'staging'` literal would read the published state instead.
 */
async function stagingColumns(session: WarehouseSession): Promise<Map<string, Set<string>>> {
  const tables = new Map<string, Set<string>>();
  for (const t of await session.listTables("staging")) {
    if (!ENRICHED_TABLES.has(t.name)) continue;
    const result = await session.query(`SELECT * FROM ${qualifiedName("staging", t.name)} LIMIT 0`);
    tables.set(t.name, new Set(result.columns.map((c) => c.name)));
  }
  return tables;
}

async function distinctNationalities(session: WarehouseSession, tables: Map<string, Set<string>>) {
  const parts = ["tenants", "inquiries"]
    .filter((t) => tables.get(t)?.has("nationality"))
    .map((t) => `SELECT nationality AS raw FROM staging.${t} WHERE nationality IS NOT NULL`);
  if (parts.length === 0) return [];
  const result = await session.query(`SELECT DISTINCT raw FROM (${parts.join(" UNION ALL ")}) v`);
  return result.rows.map((r) => String(r.raw));
}

async function distinctAddresses(session: WarehouseSession, tables: Map<string, Set<string>>) {
  const cols = tables.get("apartments");
  if (!cols?.has("address")) return [];
  const pref = cols.has("prefecture") ? "COALESCE(CAST(prefecture AS VARCHAR), '')" : "''";
  const result = await session.query(
    `SELECT DISTINCT COALESCE(CAST(address AS VARCHAR), '') AS address, ${pref} AS prefecture FROM staging.apartments`,
  );
  return result.rows.map((r) => ({ address: String(r.address), prefecture: String(r.prefecture) }));
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

export async function runEnrichment(
  writer: StateWriter,
  options: EnrichmentOptions = {},
): Promise<EnrichmentReport> {
  const overrides = options.overrides ?? NO_OVERRIDES;
  const now = sqlTimestamp((options.now ?? (() => new Date()))());
  const nationalityOf =
    options.normaliseNationality ??
    ((raw: string) => normaliseNationality(raw, { overrides: overrides.nationality }));
  const addressOf =
    options.normaliseAddress ??
    ((raw: string, hints: AddressHints) => normaliseAddress(raw, hints, { overrides: overrides.address }));
  const warnings: string[] = [];

  await createEnrichmentTables(writer);
  const tables = await stagingColumns(writer);
  if (!tables.has("tenants") && !tables.has("inquiries"))
    warnings.push("staging has no tenants or inquiries table: no nationality to enrich");
  if (!tables.has("apartments")) warnings.push("staging has no apartments table: no address to enrich");

  // Nationality.
  const natCache = await readNationalityCache(writer);
  const rawNationalities = await distinctNationalities(writer, tables);
  const nat: EnrichmentReport["nationality"] = {
    seen: rawNationalities.length,
    new: 0,
    resolvedBy: {},
    unresolved: 0,
    overridden: 0,
    llmAsked: 0,
    llmResolved: 0,
  };
  const natWrites = new Map<string, NationalityRow>();
  const natRow = (m: NationalityMatch, model: string | null = null): NationalityRow => ({
    rawText: m.raw,
    isoCode: m.isoCode,
    nameEn: m.nameEn,
    nameJa: m.nameJa,
    method: m.method,
    confidence: m.confidence,
    model,
    resolvedAt: now,
  });
  for (const raw of rawNationalities) {
    const cached = natCache.get(raw);
    const override = overrides.nationality.get(overrideKey(raw));
    if (override !== undefined) {
      const m = nationalityResult(raw, override, "override", 1);
      if (!cached || cached.method !== "override" || cached.isoCode !== m.isoCode) {
        natWrites.set(raw, natRow(m));
        if (cached) nat.overridden++;
        else nat.new++;
      }
      continue;
    }
    if (!cached || cached.method === "override" || (options.refresh && cached.method !== "llm")) {
      nat.new++;
      natWrites.set(raw, natRow(nationalityOf(raw)));
    }
  }
  if (options.llm) {
    const llm = options.llm;
    const pending = rawNationalities.filter((raw) => {
      const row = natWrites.get(raw) ?? natCache.get(raw);
      return row && row.method === "unknown" && row.model === null && !isMeaninglessNationality(raw);
    });
    for (const raw of pending) {
      nat.llmAsked++;
      try {
        const answer = await llm.resolve(raw);
        if (answer.code) {
          nat.llmResolved++;
          natWrites.set(raw, natRow(nationalityResult(raw, answer.code, "llm", LLM_CONFIDENCE), llm.model));
        } else {
          warnings.push(
            `LLM ${llm.model} gave no valid ISO code for ${JSON.stringify(raw)} (answer: ${JSON.stringify(answer.answer)}); left unknown`,
          );
          natWrites.set(raw, natRow(nationalityResult(raw, null, "unknown", 0), llm.model));
        }
      } catch (err) {
        if (!(err instanceof LlmUnavailableError)) throw err;
        const left = pending.length - nat.llmAsked + 1;
        warnings.push(
          `${err.message}; ${left} unresolved value${left === 1 ? "" : "s"} left unknown, asked again on the next run`,
        );
        nat.llmAsked--;
        break;
      }
    }
  }
  for (const row of natWrites.values()) count(nat.resolvedBy, row.method);
  await writeNationalityRows(writer, [...natWrites.values()]);
  for (const raw of rawNationalities) {
    const row = natWrites.get(raw) ?? natCache.get(raw);
    if (!row || row.isoCode === null) nat.unresolved++;
  }

  // Municipality.
  const muniCache = await readMunicipalityCache(writer);
  const rawAddresses = await distinctAddresses(writer, tables);
  const muni: KindReport = {
    seen: rawAddresses.length,
    new: 0,
    resolvedBy: {},
    unresolved: 0,
    overridden: 0,
  };
  const muniWrites = new Map<string, MunicipalityRow>();
  for (const { address, prefecture } of rawAddresses) {
    const key = municipalityKey(address, prefecture);
    const cached = muniCache.get(key);
    const hasOverride = overrides.address.has(addressOverrideKey(address));
    let redo = !cached || (options.refresh === true && cached.method !== "override");
    if (cached && hasOverride) {
      const o = overrides.address.get(addressOverrideKey(address))!;
      redo ||=
        cached.method !== "override" ||
        cached.prefecture !== o.prefecture ||
        cached.municipality !== o.municipality;
      if (redo) muni.overridden++;
    } else if (cached && !hasOverride && cached.method === "override") redo = true;
    if (!redo) continue;
    if (!(cached && hasOverride)) muni.new++;
    const m = hasOverride
      ? normaliseAddress(address, { prefecture }, { overrides: overrides.address })
      : addressOf(address, { prefecture });
    muniWrites.set(key, {
      rawAddress: address,
      rawPrefecture: prefecture,
      prefecture: m.prefecture,
      prefectureEn: m.prefectureEn,
      municipality: m.municipality,
      municipalityEn: m.municipalityEn,
      kind: m.kind,
      code: m.code,
      latitude: m.latitude,
      longitude: m.longitude,
      method: m.method,
      confidence: m.confidence,
      resolvedAt: now,
    });
    count(muni.resolvedBy, m.method);
  }
  await writeMunicipalityRows(writer, [...muniWrites.values()]);
  for (const { address, prefecture } of rawAddresses) {
    const key = municipalityKey(address, prefecture);
    const row = muniWrites.get(key) ?? muniCache.get(key);
    if (!row || row.prefecture === null) muni.unresolved++;
  }

  await rebuildApartmentLocations(
    writer,
    Boolean(tables.get("apartments")?.has("address")) && tables.get("apartments")!.has("id"),
  );
  const coverage = await municipalityCoverage(writer);
  return { nationality: nat, municipality: muni, coverage, warnings };
}
