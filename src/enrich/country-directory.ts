/**
 * The ISO 3166-1 country list with English and Japanese names, from the maintained
 * `i18n-iso-countries` package (its bundled JSON locales; no network). Display names are
 * the dataset's, except a short form for the few whose first dataset name is a long official
 * form or a contested one (DISPLAY below), as a dashboard shows them.
 */
import { createRequire } from "node:module";
import countries from "i18n-iso-countries";

const require = createRequire(import.meta.url);
const en = require("i18n-iso-countries/langs/en.json") as countries.LocaleData;
const ja = require("i18n-iso-countries/langs/ja.json") as countries.LocaleData;
countries.registerLocale(en);
countries.registerLocale(ja);

/** English and Japanese display names where the dataset's first name is not the common short one. */
const DISPLAY: Record<string, [string, string]> = {
  CN: ["China", "中国"],
  TW: ["Taiwan", "台湾"],
  KR: ["South Korea", "韓国"],
  KP: ["North Korea", "北朝鮮"],
  US: ["United States", "アメリカ合衆国"],
  GB: ["United Kingdom", "イギリス"],
  RU: ["Russia", "ロシア"],
  IR: ["Iran", "イラン"],
  LA: ["Laos", "ラオス"],
  SY: ["Syria", "シリア"],
  VE: ["Venezuela", "ベネズエラ"],
  BO: ["Bolivia", "ボリビア"],
  MD: ["Moldova", "モルドバ"],
  TZ: ["Tanzania", "タンザニア"],
  BN: ["Brunei", "ブルネイ"],
  FM: ["Micronesia", "ミクロネシア連邦"],
  VA: ["Vatican City", "バチカン"],
  CZ: ["Czechia", "チェコ"],
  NL: ["Netherlands", "オランダ"],
  TR: ["Türkiye", "トルコ"],
  MK: ["North Macedonia", "北マケドニア"],
  SZ: ["Eswatini", "エスワティニ"],
};

export interface Country {
  code: string;
  alpha3: string;
  nameEn: string;
  nameJa: string;
  /** Every English and Japanese name of the dataset, as given. */
  names: string[];
}

let directory: Map<string, Country> | undefined;

/** Every country by alpha-2 code. */
export function countryDirectory(): ReadonlyMap<string, Country> {
  if (directory) return directory;
  directory = new Map();
  for (const code of Object.keys(countries.getAlpha2Codes()).sort()) {
    const enNames = countries.getName(code, "en", { select: "all" }) ?? [];
    const jaNames = countries.getName(code, "ja", { select: "all" }) ?? [];
    const display = DISPLAY[code];
    directory.set(code, {
      code,
      alpha3: countries.alpha2ToAlpha3(code) ?? "",
      nameEn: display?.[0] ?? enNames[0] ?? code,
      nameJa: display?.[1] ?? jaNames[0] ?? enNames[0] ?? code,
      names: [...enNames, ...jaNames],
    });
  }
  return directory;
}

/** The country of an alpha-2 code (any case), or undefined. */
export function countryOf(code: string): Country | undefined {
  return countryDirectory().get(code.trim().toUpperCase());
}
