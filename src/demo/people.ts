/**
 * Who the demo tenants are. Everything here is invented: names, e-mail and phone numbers are
 * fake so the demo dumps can be shared, but they sit in the same columns as real personal data
 * and the pipeline must keep them out of silver, gold and the dashboard.
 */
import type { Random } from "./random.js";

const FAMILY_JA = [
  "佐藤",
  "鈴木",
  "高橋",
  "田中",
  "伊藤",
  "渡辺",
  "山本",
  "中村",
  "小林",
  "加藤",
  "吉田",
  "山田",
];
const GIVEN_JA = ["翔太", "陽菜", "蓮", "結衣", "大翔", "美咲", "悠真", "葵", "湊", "さくら", "健", "彩"];
const FAMILY_INTL = [
  "Smith",
  "Nguyen",
  "Kim",
  "Wang",
  "Garcia",
  "Müller",
  "Dubois",
  "Santos",
  "Lee",
  "O'Brien",
  "Patel",
  "Rossi",
];
const GIVEN_INTL = [
  "Emma",
  "Minh",
  "Ji-woo",
  "Wei",
  "Lucas",
  "Anna",
  "Chloé",
  "Rafael",
  "Sofia",
  "Liam",
  "Aarav",
  "Giulia",
];

/**
 * Free text staff type into the nationality field: weight, then the variants seen for that
 * country (Japanese, English, abbreviations, odd spacing, full-width letters, typos).
 */
export const NATIONALITY_VARIANTS: [number, string[]][] = [
  [36, ["日本", "日本", "日本", "日本国", "Japan", "JAPAN", "japan ", "JP", "にほん"]],
  [13, ["中国", " 中国 ", "中華人民共和国", "China", "China (PRC)", "CHINA", "PRC", "中国籍"]],
  [8, ["韓国", "大韓民国", "korea", "Korea", "South Korea", "Republic of Korea", "KOREA", "韓国 "]],
  [6, ["台湾", "Taiwan", "TAIWAN", "台灣", "Taiwan (ROC)"]],
  [8, ["ベトナム", "Vietnam", "Viet Nam", "VIETNAM", "vietnam", "越南"]],
  [4, ["アメリカ", "米国", "USA", "U.S.A.", "United States", "US", "ＵＳＡ", "America", "アメリカ合衆国"]],
  [3, ["フランス", "France", "FRANCE", "france"]],
  [2, ["ドイツ", "Germany", "GERMANY", "Deutschland"]],
  [3, ["イギリス", "英国", "UK", "United Kingdom", "England", "U.K."]],
  [3, ["フィリピン", "Philippines", "Phillipines", "Philipines", "PHILIPPINES"]],
  [2, ["インドネシア", "Indonesia", "INDONESIA"]],
  [2, ["タイ", "Thailand", "THAILAND", "Thai"]],
  [3, ["ネパール", "Nepal", "NEPAL"]],
  [2, ["インド", "India", "INDIA"]],
  [1, ["オーストラリア", "Australia", "AUS"]],
  [1, ["カナダ", "Canada", "CANADA"]],
  [1, ["ブラジル", "Brazil", "Brasil"]],
  [1, ["イタリア", "Italy", "ITALY"]],
  [1, ["スペイン", "Spain", "España"]],
  [1, ["モンゴル", "Mongolia", "MONGOLIA"]],
  [1, ["ミャンマー", "Myanmar", "Burma"]],
  [2, ["", "-", "不明", "?", "なし"]],
];

export function pickNationality(rng: Random): string | null {
  if (rng.chance(0.03)) return null;
  const group = rng.weighted(
    NATIONALITY_VARIANTS.map(([, v]) => v),
    NATIONALITY_VARIANTS.map(([w]) => w),
  );
  return rng.pick(group);
}

export function isJapaneseNationality(raw: string | null): boolean {
  return raw !== null && NATIONALITY_VARIANTS[0]![1].includes(raw);
}

export function pickName(rng: Random, japanese: boolean): { last: string; first: string } {
  return japanese
    ? { last: rng.pick(FAMILY_JA), first: rng.pick(GIVEN_JA) }
    : { last: rng.pick(FAMILY_INTL), first: rng.pick(GIVEN_INTL) };
}

export function fakeEmail(tenantId: number): string {
  return `tenant${tenantId}@example.invalid`;
}

export function fakePhone(rng: Random): string {
  return `0${rng.pick(["70", "80", "90"])}-${rng.int(1000, 9999)}-${rng.int(1000, 9999)}`;
}

export const COMPANIES = [
  "株式会社サンプル商事",
  "Example KK",
  "東京テック株式会社",
  "ミライ物流",
  "Global Foods Japan",
  "グリーン建設",
];
export const SCHOOLS = [
  "東京日本語学院",
  "新宿国際専門学校",
  "早稲田デモ大学",
  "Tokyo Language Academy",
  "中野ビジネス専門学校",
];
