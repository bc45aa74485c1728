/**
 * Free-text nationality -> ISO 3166-1 alpha-2 with English and Japanese names, a method and
 * a confidence. Pure: no I/O; the indexes are built once from the ISO dataset and the alias
 * table.
 *
 * Order: override (operator) > meaningless text (unknown) > ISO code > dataset name (exact) >
 * alias > fuzzy (typos, only for long enough Latin or kana text, only when one country is
 * nearest) > unknown. Text in brackets is tried both removed and alone ('China (PRC)');
 * when the two disagree ('Chinese (Taiwan)') the value stays unknown.
 */
import { countryDirectory, countryOf } from "./country-directory.js";
import { editDistance } from "./edit-distance.js";
import {
  MEANINGLESS_NATIONALITIES,
  NATIONALITY_ALIASES,
  NATIONALITY_PREFIXES,
  NATIONALITY_SUFFIXES,
} from "./nationality-aliases.js";
import { bracketContent, compactKey, normaliseText, overrideKey, withoutBrackets } from "./normalise-text.js";
import type { NationalityMatch, NationalityMethod } from "./types.js";

/** Operator overrides: overrideKey(raw) -> alpha-2 code, or null to force 'unknown'. */
export type NationalityOverrides = ReadonlyMap<string, string | null>;

export interface NormaliseNationalityOptions {
  overrides?: NationalityOverrides;
}

const AMBIGUOUS = "";

interface Indexes {
  codes: Map<string, string>;
  names: Map<string, string>;
  aliases: Map<string, string>;
  meaningless: Set<string>;
  fuzzy: { key: string; code: string }[];
}

let indexes: Indexes | undefined;

function add(map: Map<string, string>, key: string, code: string): void {
  if (key === "") return;
  const had = map.get(key);
  map.set(key, had === undefined || had === code ? code : AMBIGUOUS);
}

const LATIN = /^[a-z]+$/;
const KANA = /^[\u30a0-\u30ff]+$/;

function buildIndexes(): Indexes {
  const ix: Indexes = {
    codes: new Map(),
    names: new Map(),
    aliases: new Map(),
    meaningless: new Set(),
    fuzzy: [],
  };
  const fuzzy = new Map<string, string>();
  const fuzzyCandidate = (key: string, code: string) => {
    if ((LATIN.test(key) && key.length >= 4) || (KANA.test(key) && key.length >= 3)) add(fuzzy, key, code);
  };
  for (const c of countryDirectory().values()) {
    add(ix.codes, c.code.toLowerCase(), c.code);
    if (c.alpha3) add(ix.codes, c.alpha3.toLowerCase(), c.code);
    for (const name of [...c.names, c.nameEn, c.nameJa]) {
      const key = compactKey(normaliseText(name));
      add(ix.names, key, c.code);
      fuzzyCandidate(key, c.code);
    }
  }
  for (const [code, aliases] of Object.entries(NATIONALITY_ALIASES)) {
    if (!countryOf(code)) throw new Error(`nationality alias table: ${code} is not an ISO alpha-2 code`);
    for (const alias of aliases) {
      const key = compactKey(normaliseText(alias));
      add(ix.aliases, key, code);
      fuzzyCandidate(key, code);
    }
  }
  for (const m of MEANINGLESS_NATIONALITIES) ix.meaningless.add(compactKey(normaliseText(m)));
  ix.fuzzy = [...fuzzy].filter(([, code]) => code !== AMBIGUOUS).map(([key, code]) => ({ key, code }));
  return ix;
}

function ix(): Indexes {
  return (indexes ??= buildIndexes());
}

/** True for text that says nothing about a nationality: empty, punctuation, digits, 'N/A', '不明'. */
export function isMeaninglessNationality(raw: string | null): boolean {
  if (raw === null) return true;
  const key = compactKey(normaliseText(raw));
  return (
    key === "" || /^[\p{N}\p{P}\p{S}\s]+$/u.test(key) || /^[a-z]$/.test(key) || ix().meaningless.has(key)
  );
}

export function nationalityResult(
  raw: string,
  code: string | null,
  method: NationalityMethod,
  confidence: number,
): NationalityMatch {
  const country = code === null ? undefined : countryOf(code);
  if (!country) {
    // Only an operator can say 'unknown' with certainty; anything else unknown has confidence 0.
    const forced = code === null && method === "override";
    return {
      raw,
      isoCode: null,
      nameEn: null,
      nameJa: null,
      method: forced ? "override" : "unknown",
      confidence: forced ? 1 : 0,
    };
  }
  return {
    raw,
    isoCode: country.code,
    nameEn: country.nameEn,
    nameJa: country.nameJa,
    method,
    confidence: Math.round(confidence * 100) / 100,
  };
}

interface Hit {
  code: string;
  method: NationalityMethod;
  confidence: number;
}

/** Code, dataset name or alias for one key (already normalised), with suffixes/prefixes stripped as a fallback. */
function lookup(key: string): Hit | null | "ambiguous" {
  const tries = [key];
  for (const s of NATIONALITY_SUFFIXES)
    if (key.endsWith(s) && key.length > s.length) tries.push(key.slice(0, -s.length).trim());
  for (const p of NATIONALITY_PREFIXES)
    if (key.startsWith(p) && key.length > p.length) tries.push(key.slice(p.length).trim());
  for (const t of tries) {
    const compact = compactKey(t);
    if (compact === "") continue;
    const code = /^[a-z]{2,3}$/.test(compact) ? ix().codes.get(compact) : undefined;
    const name = ix().names.get(compact);
    const alias = ix().aliases.get(compact);
    if (name === AMBIGUOUS || (name === undefined && alias === AMBIGUOUS)) return "ambiguous";
    if (name) return { code: name, method: "exact", confidence: 1 };
    if (alias) return { code: alias, method: "alias", confidence: 0.95 };
    if (code) return { code, method: "exact", confidence: 0.9 };
  }
  return null;
}

function maxDistance(key: string): number {
  if (KANA.test(key)) return key.length >= 4 ? 1 : 0;
  if (!LATIN.test(key)) return 0;
  if (key.length < 5) return 0;
  if (key.length < 8) return 1;
  if (key.length < 12) return 2;
  return 3;
}

function fuzzy(key: string): Hit | null {
  const compact = compactKey(key);
  const max = maxDistance(compact);
  if (max === 0) return null;
  let best = max + 1;
  let bestCode: string | null = null;
  let ambiguous = false;
  let runnerUp = Infinity;
  for (const cand of ix().fuzzy) {
    const d = editDistance(compact, cand.key, Math.min(max, best));
    if (d > max) continue;
    if (d < best) {
      if (bestCode !== null && bestCode !== cand.code) runnerUp = best;
      best = d;
      bestCode = cand.code;
      ambiguous = false;
    } else if (d === best && cand.code !== bestCode) {
      ambiguous = true;
    } else if (cand.code !== bestCode && d < runnerUp) {
      runnerUp = d;
    }
  }
  if (bestCode === null || ambiguous) return null;
  let confidence = 0.9 * (1 - best / compact.length);
  if (runnerUp <= best + 1) confidence *= 0.9;
  return { code: bestCode, method: "fuzzy", confidence };
}

/** Normalises one raw nationality. */
export function normaliseNationality(
  raw: string,
  options: NormaliseNationalityOptions = {},
): NationalityMatch {
  const override = options.overrides?.get(overrideKey(raw));
  if (override !== undefined) return nationalityResult(raw, override, "override", 1);
  if (isMeaninglessNationality(raw)) return nationalityResult(raw, null, "unknown", 0);
  const full = normaliseText(raw);
  const outside = normaliseText(withoutBrackets(raw));
  const inside = normaliseText(bracketContent(raw));
  const whole = lookup(full);
  if (whole && whole !== "ambiguous")
    return nationalityResult(raw, whole.code, whole.method, whole.confidence);
  const a = outside && outside !== full ? lookup(outside) : null;
  const b = inside ? lookup(inside) : null;
  const hitA = a && a !== "ambiguous" ? a : null;
  const hitB = b && b !== "ambiguous" ? b : null;
  if (hitA && hitB && hitA.code !== hitB.code) return nationalityResult(raw, null, "unknown", 0);
  const hit = hitA ?? hitB;
  if (hit) return nationalityResult(raw, hit.code, hit.method, hit.confidence);
  if (whole === "ambiguous" || a === "ambiguous") return nationalityResult(raw, null, "unknown", 0);
  const typo = fuzzy(outside || full);
  if (typo) return nationalityResult(raw, typo.code, typo.method, typo.confidence);
  return nationalityResult(raw, null, "unknown", 0);
}

/**
 * A normaliser that remembers what it has seen (raw text -> result), for batches with many
 * repeats. `calls` counts the values actually normalised (cache misses).
 */
export function createNationalityNormaliser(options: NormaliseNationalityOptions = {}) {
  const memo = new Map<string, NationalityMatch>();
  const normaliser = (raw: string): NationalityMatch => {
    let hit = memo.get(raw);
    if (!hit) {
      normaliser.calls++;
      hit = normaliseNationality(raw, options);
      memo.set(raw, hit);
    }
    return hit;
  };
  normaliser.calls = 0;
  return normaliser;
}
