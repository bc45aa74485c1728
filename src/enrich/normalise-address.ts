/**
 * Building address -> prefecture and municipality (Japanese and English names, kind, code,
 * approximate centre), with a method and a confidence. Pure: no I/O beyond the shipped
 * municipality list, read once.
 *
 * Japanese addresses: NFKC (full-width digits and letters), spaces removed, a leading postal
 * code (〒169-0075, 169-0075, 1690075; any dash) taken apart, then the prefecture (with or
 * without 都/府/県) and the longest municipality name that follows (a 郡 before a town or
 * village is skipped; 政令市 resolve to the city: 横浜市港北区 -> 横浜市). Without a
 * prefecture in the address, the PMS prefecture column (hint) is used, else the prefecture
 * is inferred from the municipality name, preferring the Tokyo area and lowering the
 * confidence where the name also exists elsewhere (府中市: Tokyo and Hiroshima). Romanised
 * addresses ('1-2-3 Takadanobaba, Shinjuku-ku, Tokyo') match the English names.
 */
import { municipalityDirectory } from "./municipality-directory.js";
import { PREFECTURES, prefectureOfPostalCode } from "./prefectures.js";
import type { AddressMatch, AddressMethod, Municipality, MunicipalityKind } from "./types.js";

export interface AddressHints {
  /** The PMS prefecture column (apartments.prefecture), used when the address has none. */
  prefecture?: string | null;
}

/** Operator overrides: addressOverrideKey(raw) -> prefecture and municipality (null: prefecture only). */
export type AddressOverrides = ReadonlyMap<string, { prefecture: string; municipality: string | null }>;

export interface NormaliseAddressOptions {
  overrides?: AddressOverrides;
}

/** The key an address override is matched on: NFKC, all spaces removed. */
export function addressOverrideKey(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/g, "");
}

/** Former municipalities merged into one of the list. */
const FORMER_NAMES: Record<string, string> = {
  田無市: "西東京市",
  保谷市: "西東京市",
  秋川市: "あきる野市",
  五日市町: "あきる野市",
};

/**
 * Names that also belong to a municipality (or a ward of a 政令市) outside the list: the
 * confidence when the address gives no prefecture.
 */
const HOMONYMS: Record<string, number> = { 府中市: 0.6, 北区: 0.85, 中央区: 0.85, 港区: 0.85, 緑区: 0.6 };

const ROMAJI_SUFFIX: Record<string, MunicipalityKind> = {
  ku: "ward",
  ward: "ward",
  shi: "city",
  city: "city",
  machi: "town",
  cho: "town",
  town: "town",
  mura: "village",
  son: "village",
  village: "village",
};
const KIND_ORDER: MunicipalityKind[] = ["ward", "city", "town", "village"];
const DESIGNATED = new Set(["横浜市", "川崎市", "相模原市", "さいたま市", "千葉市"]);
const CJK = /[\u3040-\u30ff\u3400-\u9fff]/;
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d\uff70-]/;

interface Indexes {
  /** All municipalities, longest name first, Tokyo first among equals. */
  all: Municipality[];
  byPrefecture: Map<string, Municipality[]>;
  byName: Map<string, Municipality>;
  romaji: Map<string, Municipality[]>;
  prefectureRomaji: Map<string, string>;
}

let indexes: Indexes | undefined;

const nameKey = (name: string) => name.replace(/[ケヶ]/g, "ヶ");

function romajiKey(word: string): string {
  return word
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "")
    .replace(/oh(?=[^aeiou]|$)/g, "o")
    .replace(/ou/g, "o")
    .replace(/oo/g, "o")
    .replace(/uu/g, "u");
}

function buildIndexes(): Indexes {
  const list = [...municipalityDirectory()];
  const rank = (m: Municipality) => (m.prefecture === "東京都" ? 0 : 1);
  const all = list.sort((a, b) => b.name.length - a.name.length || rank(a) - rank(b));
  const byPrefecture = new Map<string, Municipality[]>();
  const byName = new Map<string, Municipality>();
  const romaji = new Map<string, Municipality[]>();
  for (const m of all) {
    byPrefecture.set(m.prefecture, [...(byPrefecture.get(m.prefecture) ?? []), m]);
    if (!byName.has(nameKey(m.name))) byName.set(nameKey(m.name), m);
    const base = romajiKey(m.nameEn.replace(/-(ku|shi|machi|cho|mura|son)$/i, ""));
    romaji.set(base, [...(romaji.get(base) ?? []), m]);
  }
  const prefectureRomaji = new Map(PREFECTURES.map((p) => [romajiKey(p.nameEn), p.name]));
  return { all, byPrefecture, byName, romaji, prefectureRomaji };
}

function ix(): Indexes {
  return (indexes ??= buildIndexes());
}

function prefectureEn(name: string | null): string | null {
  return PREFECTURES.find((p) => p.name === name)?.nameEn ?? null;
}

/** A prefecture name as written (東京都, 東京, Tokyo) -> its canonical name, or null. */
export function canonicalPrefecture(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  if (t === "") return null;
  for (const p of PREFECTURES) if (t === p.name || t === bare(p.name)) return p.name;
  return ix().prefectureRomaji.get(romajiKey(t.replace(/-?(to|fu|ken)$/i, ""))) ?? null;
}

function bare(prefecture: string): string {
  return prefecture === "北海道" ? prefecture : prefecture.slice(0, -1);
}

function result(
  raw: string,
  prefecture: string | null,
  m: Municipality | null,
  method: AddressMethod,
  confidence: number,
): AddressMatch {
  const pref = m?.prefecture ?? prefecture;
  return {
    raw,
    prefecture: pref,
    prefectureEn: prefectureEn(pref),
    municipality: m?.name ?? null,
    municipalityEn: m?.nameEn ?? null,
    kind: m?.kind ?? null,
    code: m?.code ?? null,
    latitude: m?.latitude ?? null,
    longitude: m?.longitude ?? null,
    method: pref === null ? "unknown" : method,
    confidence: pref === null ? 0 : Math.round(confidence * 100) / 100,
  };
}

interface Found {
  m: Municipality;
  via: "name" | "alias" | "bare";
}

/** The municipality the text starts with, among `candidates`. */
function startsWithMunicipality(
  text: string,
  candidates: readonly Municipality[],
  allowBare: boolean,
): Found | null {
  const tries = [text];
  const gun = /^[^\d郡]{1,5}郡/.exec(text);
  if (gun) tries.push(text.slice(gun[0].length));
  for (const t of tries) {
    for (const m of candidates) if (t.startsWith(nameKey(m.name))) return { m, via: "name" };
    for (const [former, now] of Object.entries(FORMER_NAMES)) {
      const m = candidates.find((c) => c.name === now);
      if (m && t.startsWith(former)) return { m, via: "alias" };
    }
  }
  if (!allowBare) return null;
  for (const m of [...candidates].sort((a, b) => b.name.length - a.name.length)) {
    const stem = nameKey(m.name).slice(0, -1);
    if (stem.length >= 2 && text.startsWith(stem) && !/^[区市町村郡]/.test(text.slice(stem.length)))
      return { m, via: "bare" };
  }
  return null;
}

function normaliseJapanese(raw: string, hint: string | null): AddressMatch {
  let s = raw.normalize("NFKC").replace(/\s+/g, "");
  s = s.replace(/^(日本国|日本(?!橋)|japan,?)/i, "");
  let zipPrefecture: string | null = null;
  let hasZip = false;
  const zip = new RegExp(`^(?:〒|郵便番号:?|[tT]\\.?)?(\\d{3})${DASHES.source}?(\\d{4})(?!\\d)`).exec(s);
  if (zip) {
    hasZip = true;
    zipPrefecture = prefectureOfPostalCode(zip[1]! + zip[2]!);
    s = s.slice(zip[0].length).replace(/^[,、]/, "");
  }
  s = nameKey(s);
  let explicit: string | null = null;
  for (const p of PREFECTURES) {
    if (s.startsWith(p.name)) {
      explicit = p.name;
      s = s.slice(p.name.length);
      break;
    }
  }
  if (!explicit) {
    for (const p of PREFECTURES) {
      const b = bare(p.name);
      if (
        s.startsWith(b) &&
        startsWithMunicipality(s.slice(b.length), ix().byPrefecture.get(p.name) ?? [], false)
      ) {
        explicit = p.name;
        s = s.slice(b.length);
        break;
      }
    }
  }
  const zipAgrees = (pref: string) => !hasZip || zipPrefecture === pref;
  const prefecture = explicit ?? hint;
  if (prefecture) {
    const found = startsWithMunicipality(s, ix().byPrefecture.get(prefecture) ?? [], true);
    if (found) {
      const base = { name: 1, alias: 0.9, bare: 0.7 }[found.via];
      const method: AddressMethod = { name: "exact", alias: "alias", bare: "fuzzy" }[
        found.via
      ] as AddressMethod;
      let confidence = explicit ? base : Math.min(base, 0.95);
      if (!zipAgrees(prefecture) && zipPrefecture !== null) confidence = Math.min(confidence, 0.7);
      return result(raw, prefecture, found.m, method, confidence);
    }
    if (explicit) return result(raw, explicit, null, "prefecture_only", 0.5);
    const elsewhere = startsWithMunicipality(s, ix().all, false);
    if (elsewhere) return result(raw, null, elsewhere.m, "inferred", 0.7);
    return result(raw, hint, null, "prefecture_only", 0.4);
  }
  const found = startsWithMunicipality(s, ix().all, false);
  if (found) {
    let confidence = found.via === "alias" ? 0.85 : 0.9;
    const homonym = HOMONYMS[found.m.name];
    if (homonym !== undefined) confidence = Math.min(confidence, homonym);
    if (hasZip) confidence = zipAgrees(found.m.prefecture) ? 0.95 : 0.5;
    return result(raw, null, found.m, found.via === "alias" ? "alias" : "inferred", confidence);
  }
  if (zipPrefecture) return result(raw, zipPrefecture, null, "prefecture_only", 0.5);
  return result(raw, null, null, "unknown", 0);
}

function normaliseRomanised(raw: string, hint: string | null): AddressMatch {
  const text = raw
    .normalize("NFKC")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const tokens = text.split(/[^a-z]+/).filter((t) => t !== "");
  const zip = /(?:^|[^\d])(\d{3})-?(\d{4})(?!\d)/.exec(text);
  const zipPrefecture = zip ? prefectureOfPostalCode(zip[1]! + zip[2]!) : null;
  let prefecture: string | null = hint;
  const hits: { m: Municipality[]; kind: MunicipalityKind | null }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const key = romajiKey(tokens[i]!);
    const next = tokens[i + 1];
    const kind = next !== undefined ? (ROMAJI_SUFFIX[next] ?? null) : null;
    const asPrefecture = ix().prefectureRomaji.get(key);
    if (asPrefecture && kind === null) {
      prefecture = asPrefecture;
      if (next === "to" || next === "ken" || next === "fu") i++;
      continue;
    }
    const candidates = ix().romaji.get(key);
    if (!candidates) continue;
    if (kind !== null) {
      const ofKind = candidates.filter((m) => m.kind === kind);
      if (ofKind.length > 0) hits.push({ m: ofKind, kind });
      i++;
    } else if (key.length >= 5) {
      hits.push({ m: candidates, kind: null });
    }
  }
  const pref = prefecture ?? zipPrefecture;
  const inPref = hits
    .map((h) => ({ ...h, m: pref ? h.m.filter((m) => m.prefecture === pref) : h.m }))
    .filter((h) => h.m.length > 0);
  if (inPref.length === 0)
    return result(raw, pref, null, pref ? "prefecture_only" : "unknown", pref ? 0.5 : 0);
  const designated = inPref.find((h) => h.m.some((m) => DESIGNATED.has(m.name)));
  const chosen = designated ?? inPref.find((h) => h.kind !== null) ?? inPref[0]!;
  const ranked = [...chosen.m].sort(
    (a, b) =>
      (a.prefecture === "東京都" ? 0 : 1) - (b.prefecture === "東京都" ? 0 : 1) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
  const m = ranked[0]!;
  let confidence = chosen.kind === null ? 0.7 : pref ? 0.95 : 0.9;
  if (ranked.length > 1) confidence = Math.min(confidence, 0.6);
  const homonym = HOMONYMS[m.name];
  if (!pref && homonym !== undefined) confidence = Math.min(confidence, homonym);
  return result(raw, pref, m, "romanised", confidence);
}

/** Resolves one address. */
export function normaliseAddress(
  raw: string,
  hints: AddressHints = {},
  options: NormaliseAddressOptions = {},
): AddressMatch {
  const override = options.overrides?.get(addressOverrideKey(raw));
  if (override) {
    const m =
      override.municipality === null ? null : (ix().byName.get(nameKey(override.municipality)) ?? null);
    return result(raw, override.prefecture, m, "override", 1);
  }
  const hint = canonicalPrefecture(hints.prefecture);
  if (raw.trim() === "") return result(raw, hint, null, hint ? "prefecture_only" : "unknown", hint ? 0.4 : 0);
  return CJK.test(raw.normalize("NFKC")) ? normaliseJapanese(raw, hint) : normaliseRomanised(raw, hint);
}

/** The municipality of a name as listed (新宿区), for validating overrides. */
export function findMunicipality(prefecture: string, name: string): Municipality | undefined {
  const m = ix().byName.get(nameKey(name.normalize("NFKC").trim()));
  return m && m.prefecture === prefecture ? m : undefined;
}

/**
 * A resolver that remembers what it has seen ((raw, hint) -> result). `calls` counts the
 * addresses actually resolved.
 */
export function createAddressNormaliser(options: NormaliseAddressOptions = {}) {
  const memo = new Map<string, AddressMatch>();
  const normaliser = (raw: string, hints: AddressHints = {}): AddressMatch => {
    const key = `${hints.prefecture ?? ""}\u0000${raw}`;
    let hit = memo.get(key);
    if (!hit) {
      normaliser.calls++;
      hit = normaliseAddress(raw, hints, options);
      memo.set(key, hit);
    }
    return hit;
  };
  normaliser.calls = 0;
  return normaliser;
}
