/** The shapes the enrichment layer hands out: one normalised nationality, one resolved address. */

/**
 * How a nationality was resolved:
 * - `exact`: an ISO code (alpha-2 / alpha-3) or a country name of the ISO dataset (English or Japanese);
 * - `alias`: the curated alias table (abbreviations, demonyms, short Japanese names, old names);
 * - `fuzzy`: a typo within a small edit distance of one name only;
 * - `override`: the operator's overrides file; `llm`: the optional chat-completions resolver;
 * - `unknown`: empty, meaningless or unmatched text (iso code null, never a guess).
 */
export type NationalityMethod = "exact" | "alias" | "fuzzy" | "override" | "llm" | "unknown";

export interface NationalityMatch {
  raw: string;
  /** ISO 3166-1 alpha-2, or null when unknown. */
  isoCode: string | null;
  nameEn: string | null;
  nameJa: string | null;
  method: NationalityMethod;
  /** 0..1; below 0.8 the value is listed by `tokyobeta enrich review`. */
  confidence: number;
}

/**
 * How an address was resolved:
 * - `exact`: a Japanese municipality name with its prefecture (in the address or the PMS prefecture column);
 * - `inferred`: no prefecture given; inferred from the municipality name (and a postal code when present);
 * - `alias`: a former name (田無市 -> 西東京市) or a spelling variant;
 * - `romanised`: an English / romanised address (Shinjuku-ku, Hachioji-shi, Okutama-machi);
 * - `fuzzy`: a municipality name written without its kind (東京都新宿高田馬場);
 * - `prefecture_only`: the prefecture is known, the municipality is not in the directory;
 * - `override`: the operator's overrides file; `unknown`: nothing recognised.
 */
export type AddressMethod =
  "exact" | "inferred" | "alias" | "romanised" | "fuzzy" | "prefecture_only" | "override" | "unknown";

export type MunicipalityKind = "ward" | "city" | "town" | "village";

/** One row of data/municipalities.csv. */
export interface Municipality {
  prefecture: string;
  prefectureEn: string;
  name: string;
  nameEn: string;
  kind: MunicipalityKind;
  latitude: number;
  longitude: number;
  /** 5-digit local government code, or null where the data file leaves it empty. */
  code: string | null;
}

export interface AddressMatch {
  raw: string;
  prefecture: string | null;
  prefectureEn: string | null;
  municipality: string | null;
  municipalityEn: string | null;
  kind: MunicipalityKind | null;
  code: string | null;
  /** The municipality's approximate centre (see data/README.md); null when no municipality. */
  latitude: number | null;
  longitude: number | null;
  method: AddressMethod;
  confidence: number;
}
