/** The address resolver against a table of addresses, including negatives; the data file; coordinates. */
import { describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITIES } from "../demo/places.js";
import { buildingCoordinates } from "./building-coordinates.js";
import { municipalityDirectory, parseMunicipalities } from "./municipality-directory.js";
import { addressOverrideKey, canonicalPrefecture, normaliseAddress } from "./normalise-address.js";

/** [raw, prefecture hint, expected prefecture, expected municipality, method, minimum confidence, maximum confidence]. */
const TABLE: [string, string | null, string | null, string | null, string, number, number][] = [
  ["東京都新宿区高田馬場１－２－３", null, "東京都", "新宿区", "exact", 1, 1],
  ["東京都新宿区高田馬場1-2-3", null, "東京都", "新宿区", "exact", 1, 1],
  ["東京都中野区中野４ー８ー１", null, "東京都", "中野区", "exact", 1, 1],
  ["東京都杉並区阿佐谷北1‐2‐3", null, "東京都", "杉並区", "exact", 1, 1],
  ["東京都豊島区池袋2−3−4", null, "東京都", "豊島区", "exact", 1, 1],
  ["東京都世田谷区三軒茶屋２丁目１１－２", null, "東京都", "世田谷区", "exact", 1, 1],
  ["東京都　渋谷区　笹塚　1-2-3", null, "東京都", "渋谷区", "exact", 1, 1],
  ["〒169-0075 東京都新宿区高田馬場1-2-3", null, "東京都", "新宿区", "exact", 1, 1],
  ["169-0075 東京都新宿区高田馬場1-2-3", null, "東京都", "新宿区", "exact", 1, 1],
  ["〒１６９－００７５東京都新宿区高田馬場", null, "東京都", "新宿区", "exact", 1, 1],
  ["1690075東京都新宿区高田馬場", null, "東京都", "新宿区", "exact", 1, 1],
  ["東京都八王子市旭町1-2", null, "東京都", "八王子市", "exact", 1, 1],
  ["東京都西多摩郡奥多摩町氷川215", null, "東京都", "奥多摩町", "exact", 1, 1],
  ["東京都西多摩郡檜原村467", null, "東京都", "檜原村", "exact", 1, 1],
  ["東京都小笠原村父島", null, "東京都", "小笠原村", "exact", 1, 1],
  ["東京新宿区大久保1-2", null, "東京都", "新宿区", "exact", 1, 1],
  ["神奈川県川崎市中原区小杉町1-2-3", null, "神奈川県", "川崎市", "exact", 1, 1],
  ["神奈川県横浜市港北区日吉1-1", null, "神奈川県", "横浜市", "exact", 1, 1],
  ["埼玉県さいたま市北区1-2", null, "埼玉県", "さいたま市", "exact", 1, 1],
  ["千葉県市川市八幡1-1-1", null, "千葉県", "市川市", "exact", 1, 1],
  ["千葉県鎌ヶ谷市新鎌ヶ谷2-6-1", null, "千葉県", "鎌ケ谷市", "exact", 1, 1],
  // Missing prefecture: the PMS column as a hint, or inferred.
  ["新宿区高田馬場1-2-3", "東京都", "東京都", "新宿区", "exact", 0.95, 0.95],
  ["新宿区高田馬場1-2-3", null, "東京都", "新宿区", "inferred", 0.9, 0.9],
  ["渋谷区笹塚１丁目２３－４", null, "東京都", "渋谷区", "inferred", 0.9, 0.9],
  ["川崎市中原区小杉町1-2-3", null, "神奈川県", "川崎市", "inferred", 0.9, 0.9],
  ["さいたま市浦和区高砂3丁目1-4", null, "埼玉県", "さいたま市", "inferred", 0.9, 0.9],
  ["府中市府中町1-2", null, "東京都", "府中市", "inferred", 0.5, 0.79],
  ["〒183-0055 府中市府中町1-2", null, "東京都", "府中市", "inferred", 0.95, 0.95],
  ["北区王子1-2-3", null, "東京都", "北区", "inferred", 0.8, 0.89],
  ["川崎市中原区1-2", "東京都", "神奈川県", "川崎市", "inferred", 0.5, 0.79],
  ["田無市南町5-6-13", null, "東京都", "西東京市", "alias", 0.8, 0.9],
  ["東京都新宿高田馬場1-2", null, "東京都", "新宿区", "fuzzy", 0.5, 0.79],
  // Romanised.
  ["1-2-3 Takadanobaba, Shinjuku-ku, Tokyo 169-0075", null, "東京都", "新宿区", "romanised", 0.9, 0.95],
  ["Hachioji-shi, Tokyo", null, "東京都", "八王子市", "romanised", 0.9, 0.95],
  ["Hachiouji City", null, "東京都", "八王子市", "romanised", 0.9, 0.9],
  ["Okutama-machi", null, "東京都", "奥多摩町", "romanised", 0.9, 0.9],
  ["Hinohara-mura, Nishitama-gun", null, "東京都", "檜原村", "romanised", 0.9, 0.9],
  ["Ōta-ku, Tokyo", null, "東京都", "大田区", "romanised", 0.95, 0.95],
  ["Nakahara-ku, Kawasaki-shi, Kanagawa", null, "神奈川県", "川崎市", "romanised", 0.95, 0.95],
  ["Kita-ku, Saitama-shi, Saitama", null, "埼玉県", "さいたま市", "romanised", 0.95, 0.95],
  // Prefecture only, and negatives that must stay unknown.
  ["大阪府大阪市北区梅田1-1", null, "大阪府", null, "prefecture_only", 0.5, 0.5],
  ["北海道札幌市中央区北1条", null, "北海道", null, "prefecture_only", 0.5, 0.5],
  ["高田馬場1-2-3", "東京都", "東京都", null, "prefecture_only", 0.4, 0.4],
  ["〒150-0001 神宮前1-2", null, "東京都", null, "prefecture_only", 0.5, 0.5],
  ["", null, null, null, "unknown", 0, 0],
  ["-", null, null, null, "unknown", 0, 0],
  ["不明", null, null, null, "unknown", 0, 0],
  ["高田馬場1-2-3", null, null, null, "unknown", 0, 0],
  ["Takadanobaba 1-2-3", null, null, null, "unknown", 0, 0],
  ["123 Main Street, Springfield", null, null, null, "unknown", 0, 0],
];

describe("normaliseAddress", () => {
  it("has a table of at least 40 addresses, negatives included", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(TABLE.filter((t) => t[2] === null).length).toBeGreaterThanOrEqual(5);
  });

  it.each(TABLE)("%j (hint %s) -> %s %s", (raw, hint, prefecture, municipality, method, min, max) => {
    const m = normaliseAddress(raw, { prefecture: hint });
    expect({ prefecture: m.prefecture, municipality: m.municipality, method: m.method }).toEqual({
      prefecture,
      municipality,
      method,
    });
    expect(m.confidence).toBeGreaterThanOrEqual(min);
    expect(m.confidence).toBeLessThanOrEqual(max);
    if (municipality) {
      expect(m.municipalityEn).toMatch(/-(ku|shi|machi|mura)$/);
      expect(m.latitude).not.toBeNull();
      expect(m.prefectureEn).not.toBeNull();
    } else {
      expect(m.latitude).toBeNull();
    }
  });

  it("resolves every municipality the demo world places buildings in, with every address format", () => {
    for (const d of DEMO_MUNICIPALITIES) {
      for (const raw of [
        `${d.prefecture}${d.name}${d.towns[0]}１－２－３`,
        `${d.name}${d.towns[0]}1ー2ー3`,
      ]) {
        const m = normaliseAddress(raw);
        expect(m.municipality, raw).toBe(d.name);
        expect(m.prefecture, raw).toBe(d.prefecture);
      }
    }
  });

  it("gives English names, kind and code", () => {
    expect(normaliseAddress("東京都新宿区")).toMatchObject({
      prefectureEn: "Tokyo",
      municipalityEn: "Shinjuku-ku",
      kind: "ward",
      code: "13104",
    });
    expect(normaliseAddress("東京都奥多摩町")).toMatchObject({
      kind: "town",
      municipalityEn: "Okutama-machi",
    });
  });

  it("lets an override win", () => {
    const overrides = new Map([
      [addressOverrideKey("高田馬場1-2-3"), { prefecture: "東京都", municipality: "新宿区" }],
    ]);
    expect(normaliseAddress("高田馬場 1-2-3", {}, { overrides })).toMatchObject({
      prefecture: "東京都",
      municipality: "新宿区",
      method: "override",
      confidence: 1,
    });
  });

  it("reads prefecture names as written", () => {
    expect(canonicalPrefecture("東京")).toBe("東京都");
    expect(canonicalPrefecture("Tokyo-to")).toBe("東京都");
    expect(canonicalPrefecture("kanagawa")).toBe("神奈川県");
    expect(canonicalPrefecture("Atlantis")).toBeNull();
  });
});

describe("data/municipalities.csv", () => {
  const list = municipalityDirectory();
  it("lists all 62 Tokyo municipalities and the cities of Kanagawa, Saitama and Chiba", () => {
    const tokyo = list.filter((m) => m.prefecture === "東京都");
    const kinds = (k: string) => tokyo.filter((m) => m.kind === k).length;
    expect([tokyo.length, kinds("ward"), kinds("city"), kinds("town"), kinds("village")]).toEqual([
      62, 23, 26, 5, 8,
    ]);
    expect(list.filter((m) => m.prefecture === "神奈川県").length).toBe(19);
    expect(list.filter((m) => m.prefecture === "埼玉県").length).toBe(40);
    expect(list.filter((m) => m.prefecture === "千葉県").length).toBe(37);
    expect(new Set(list.map((m) => `${m.prefecture}${m.name}`)).size).toBe(list.length);
  });

  it("places each demo municipality within about 3 km of the demo world's own centre", () => {
    for (const d of DEMO_MUNICIPALITIES) {
      const m = list.find((x) => x.name === d.name)!;
      const km = Math.hypot((m.latitude - d.lat) * 111, (m.longitude - d.lng) * 91);
      expect(km, d.name).toBeLessThan(3);
    }
  });

  it("rejects a malformed file, naming the line", () => {
    expect(() => parseMunicipalities("a,b\n")).toThrow(/header/);
    const header = "prefecture,prefecture_en,name,name_en,kind,latitude,longitude,code";
    expect(() => parseMunicipalities(`${header}\n東京都,Tokyo,x区,X-ku,ward,0,0,\n`)).toThrow(
      /line 2: coordinates/,
    );
    expect(() => parseMunicipalities(`${header}\n東京都,Tokyo,x区,X-ku,hamlet,35,139,\n`)).toThrow(
      /line 2: unknown kind/,
    );
  });
});

describe("buildingCoordinates", () => {
  const centre = { latitude: 35.694, longitude: 139.704 };
  it("uses the building's own coordinates when present", () => {
    expect(buildingCoordinates({ latitude: "35.7000000", longitude: "139.7100000" }, centre)).toEqual({
      latitude: 35.7,
      longitude: 139.71,
      approximate: false,
      source: "building",
    });
  });
  it("falls back to the municipality centre, flagged approximate, for missing or (0, 0) coordinates", () => {
    for (const own of [
      { latitude: null, longitude: null },
      { latitude: "35.7", longitude: null },
      { latitude: 0, longitude: 0 },
    ])
      expect(buildingCoordinates(own, centre)).toMatchObject({
        ...centre,
        approximate: true,
        source: "municipality",
      });
    expect(buildingCoordinates({ latitude: null, longitude: null }, null)).toMatchObject({ source: "none" });
  });
});
