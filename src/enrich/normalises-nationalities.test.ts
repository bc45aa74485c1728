/** The nationality normaliser against a table of raw texts staff type, including negatives. */
import { describe, expect, it } from "vitest";
import { NATIONALITY_VARIANTS } from "../demo/people.js";
import { countryDirectory } from "./country-directory.js";
import { editDistance } from "./edit-distance.js";
import {
  createNationalityNormaliser,
  isMeaninglessNationality,
  normaliseNationality,
} from "./normalise-nationality.js";
import { overrideKey } from "./normalise-text.js";

/** raw -> expected alpha-2 (null = must stay unknown) and method. */
const TABLE: [string, string | null, string][] = [
  ["日本", "JP", "exact"],
  ["日本国", "JP", "alias"],
  ["Japan", "JP", "exact"],
  ["JAPAN", "JP", "exact"],
  ["japan ", "JP", "exact"],
  ["JP", "JP", "exact"],
  ["JPN", "JP", "exact"],
  ["にほん", "JP", "alias"],
  ["Japanese", "JP", "alias"],
  ["日本人", "JP", "exact"],
  ["中国", "CN", "exact"],
  [" 中国 ", "CN", "exact"],
  ["中華人民共和国", "CN", "exact"],
  ["China", "CN", "exact"],
  ["China (PRC)", "CN", "exact"],
  ["CHINA", "CN", "exact"],
  ["PRC", "CN", "alias"],
  ["中国籍", "CN", "exact"],
  ["Chinese", "CN", "alias"],
  ["韓国", "KR", "exact"],
  ["大韓民国", "KR", "exact"],
  ["korea", "KR", "alias"],
  ["Korea", "KR", "alias"],
  ["South Korea", "KR", "exact"],
  ["Republic of Korea", "KR", "exact"],
  ["KOREA", "KR", "alias"],
  ["韓国 ", "KR", "exact"],
  ["Korean", "KR", "alias"],
  ["Korea, Republic of", "KR", "exact"],
  ["北朝鮮", "KP", "exact"],
  ["台湾", "TW", "exact"],
  ["Taiwan", "TW", "exact"],
  ["TAIWAN", "TW", "exact"],
  ["台灣", "TW", "alias"],
  ["Taiwan (ROC)", "TW", "exact"],
  ["ベトナム", "VN", "exact"],
  ["Vietnam", "VN", "exact"],
  ["Viet Nam", "VN", "exact"],
  ["VIETNAM", "VN", "exact"],
  ["vietnam", "VN", "exact"],
  ["越南", "VN", "alias"],
  ["Vietnamese", "VN", "alias"],
  ["アメリカ", "US", "alias"],
  ["米国", "US", "alias"],
  ["USA", "US", "exact"],
  ["U.S.A.", "US", "exact"],
  ["United States", "US", "exact"],
  ["US", "US", "exact"],
  ["ＵＳＡ", "US", "exact"],
  ["America", "US", "alias"],
  ["アメリカ合衆国", "US", "exact"],
  ["American", "US", "alias"],
  ["アメリカ人", "US", "alias"],
  ["  united   states  ", "US", "exact"],
  ["ｕｎｉｔｅｄ　ｓｔａｔｅｓ", "US", "exact"],
  ["フランス", "FR", "exact"],
  ["France", "FR", "exact"],
  ["FRANCE", "FR", "exact"],
  ["france", "FR", "exact"],
  ["ドイツ", "DE", "exact"],
  ["Germany", "DE", "exact"],
  ["GERMANY", "DE", "exact"],
  ["Deutschland", "DE", "alias"],
  ["イギリス", "GB", "exact"],
  ["英国", "GB", "alias"],
  ["UK", "GB", "exact"],
  ["United Kingdom", "GB", "exact"],
  ["England", "GB", "alias"],
  ["U.K.", "GB", "exact"],
  ["フィリピン", "PH", "exact"],
  ["Philippines", "PH", "exact"],
  ["Phillipines", "PH", "fuzzy"],
  ["Philipines", "PH", "fuzzy"],
  ["PHILIPPINES", "PH", "exact"],
  ["Filipino", "PH", "alias"],
  ["フィリッピン", "PH", "fuzzy"],
  ["インドネシア", "ID", "exact"],
  ["Indonesia", "ID", "exact"],
  ["INDONESIA", "ID", "exact"],
  ["Indonesai", "ID", "fuzzy"],
  ["タイ", "TH", "exact"],
  ["Thailand", "TH", "exact"],
  ["THAILAND", "TH", "exact"],
  ["Thai", "TH", "alias"],
  ["ネパール", "NP", "exact"],
  ["Nepal", "NP", "exact"],
  ["NEPAL", "NP", "exact"],
  ["インド", "IN", "exact"],
  ["India", "IN", "exact"],
  ["INDIA", "IN", "exact"],
  ["オーストラリア", "AU", "exact"],
  ["Australia", "AU", "exact"],
  ["AUS", "AU", "exact"],
  ["カナダ", "CA", "exact"],
  ["Canada", "CA", "exact"],
  ["CANADA", "CA", "exact"],
  ["Cnada", "CA", "fuzzy"],
  ["ブラジル", "BR", "exact"],
  ["Brazil", "BR", "exact"],
  ["Brasil", "BR", "alias"],
  ["イタリア", "IT", "exact"],
  ["Italy", "IT", "exact"],
  ["ITALY", "IT", "exact"],
  ["スペイン", "ES", "exact"],
  ["Spain", "ES", "exact"],
  ["España", "ES", "alias"],
  ["モンゴル", "MN", "exact"],
  ["Mongolia", "MN", "exact"],
  ["MONGOLIA", "MN", "exact"],
  ["ミャンマー", "MM", "exact"],
  ["Myanmar", "MM", "exact"],
  ["Burma", "MM", "alias"],
  ["Holland", "NL", "alias"],
  ["Vietnma", "VN", "fuzzy"],
  ["Germny", "DE", "fuzzy"],
  ["Cote d'Ivoire", "CI", "exact"],
  ["Côte d’Ivoire", "CI", "exact"],
  ["Russia", "RU", "exact"],
  ["Türkiye", "TR", "exact"],
  // Negatives: must stay unknown, never a guess.
  ["", null, "unknown"],
  ["-", null, "unknown"],
  ["?", null, "unknown"],
  ["不明", null, "unknown"],
  ["なし", null, "unknown"],
  ["unknown", null, "unknown"],
  ["N/A", null, "unknown"],
  ["n/a", null, "unknown"],
  ["none", null, "unknown"],
  ["12345", null, "unknown"],
  ["０", null, "unknown"],
  ["x", null, "unknown"],
  ["---", null, "unknown"],
  ["Mars", null, "unknown"],
  ["xyz", null, "unknown"],
  ["Congo", null, "unknown"],
  ["Chinese (Taiwan)", null, "unknown"],
  ["Austrlia", null, "unknown"],
  ["Iram", null, "unknown"],
  ["朝鮮", null, "unknown"],
  ["その他", null, "unknown"],
  ["無国籍", null, "unknown"],
  ["株式会社サンプル商事", null, "unknown"],
];

describe("normaliseNationality", () => {
  it("has a table of at least 60 raw texts, negatives included", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    expect(TABLE.filter(([, code]) => code === null).length).toBeGreaterThanOrEqual(15);
  });

  it.each(TABLE)("%j -> %s (%s)", (raw, code, method) => {
    const m = normaliseNationality(raw);
    expect({ code: m.isoCode, method: m.method }).toEqual({ code, method });
    if (code === null) {
      expect(m).toMatchObject({ nameEn: null, nameJa: null, confidence: 0 });
    } else {
      const country = countryDirectory().get(code)!;
      expect(m.nameEn).toBe(country.nameEn);
      expect(m.nameJa).toBe(country.nameJa);
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("resolves every variant the demo world writes, except the blanks", () => {
    for (const [, variants] of NATIONALITY_VARIANTS) {
      for (const raw of variants) {
        const m = normaliseNationality(raw);
        if (["", "-", "不明", "?", "なし"].includes(raw)) expect(m.isoCode).toBeNull();
        else expect(m.isoCode, raw).not.toBeNull();
      }
    }
  });

  it("gives English and Japanese display names", () => {
    expect(normaliseNationality("米国")).toMatchObject({ nameEn: "United States", nameJa: "アメリカ合衆国" });
    expect(normaliseNationality("China")).toMatchObject({ nameEn: "China", nameJa: "中国" });
    expect(normaliseNationality("Korea")).toMatchObject({ nameEn: "South Korea", nameJa: "韓国" });
    expect(normaliseNationality("台湾")).toMatchObject({ nameEn: "Taiwan", nameJa: "台湾" });
  });

  it("is confident for names, less for codes, and below 0.8 for two-edit typos", () => {
    expect(normaliseNationality("Japan").confidence).toBe(1);
    expect(normaliseNationality("米国").confidence).toBe(0.95);
    expect(normaliseNationality("JP").confidence).toBe(0.9);
    expect(normaliseNationality("Phillipines").confidence).toBeLessThan(0.8);
    expect(normaliseNationality("Vietnma").confidence).toBeGreaterThan(0.5);
  });

  it("never fuzzes short words: four letters or less must match exactly", () => {
    for (const raw of ["Irn", "Chna", "Jpan", "Indi", "Perú!"]) {
      const m = normaliseNationality(raw);
      expect(m.method === "fuzzy", raw).toBe(false);
    }
  });

  it("lets an override win over everything, including meaningless text", () => {
    const overrides = new Map<string, string | null>([
      [overrideKey("Chinese (Taiwan)"), "TW"],
      [overrideKey("Japan"), "JP"],
      [overrideKey("-"), "JP"],
      [overrideKey("Korea"), null],
    ]);
    expect(normaliseNationality(" chinese  (taiwan) ", { overrides })).toMatchObject({
      isoCode: "TW",
      method: "override",
      confidence: 1,
    });
    expect(normaliseNationality("-", { overrides }).isoCode).toBe("JP");
    expect(normaliseNationality("KOREA", { overrides })).toMatchObject({
      isoCode: null,
      method: "override",
      confidence: 1,
    });
  });

  it("tells meaningless text apart from unmatched text", () => {
    expect(isMeaninglessNationality("不明")).toBe(true);
    expect(isMeaninglessNationality(" - ")).toBe(true);
    expect(isMeaninglessNationality("N/A")).toBe(true);
    expect(isMeaninglessNationality("Mars")).toBe(false);
    expect(isMeaninglessNationality("朝鮮")).toBe(false);
  });

  it("remembers repeats: a memoising normaliser counts only distinct values", () => {
    const n = createNationalityNormaliser();
    for (let i = 0; i < 1000; i++) n(["Japan", "中国", "Phillipines"][i % 3]!);
    expect(n.calls).toBe(3);
  });
});

describe("editDistance", () => {
  it("counts adjacent transpositions as one edit and stops early past max", () => {
    expect(editDistance("vietnam", "vietnma")).toBe(1);
    expect(editDistance("phillipines", "philippines")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
  });
});
