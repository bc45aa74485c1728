/**
 * Text keys for matching: NFKC (full-width -> half-width), Latin diacritics removed, case
 * folded, dots and apostrophes dropped, other punctuation and brackets turned into spaces,
 * Japanese middle dots dropped, spaces collapsed. Index keys and input go through the same
 * function, so both sides always agree.
 */
const LATIN_MARKS = /[\u0300-\u036f]/g;
const DROP = /[.'’`´\u30fb\u00b7・]/g;
const TO_SPACE = /[\s,;:!?"“”/\\|_+*#&()[\]{}<>（）「」『』【】、。，\-‐‑‒–—―−～~]+/g;

export function normaliseText(raw: string): string {
  const folded = raw
    .normalize("NFKC")
    .normalize("NFD")
    .replace(LATIN_MARKS, "")
    .normalize("NFC")
    .toLowerCase();
  return folded.replace(DROP, "").replace(TO_SPACE, " ").trim();
}

/** The key without spaces (アメリカ 合衆国 = アメリカ合衆国, south korea = southkorea). */
export function compactKey(key: string): string {
  return key.replace(/ /g, "");
}

/** Content inside brackets removed: 'China (PRC)' -> 'China'. */
export function withoutBrackets(raw: string): string {
  return raw.normalize("NFKC").replace(/[(（[【][^)）\]】]*[)）\]】]/g, " ");
}

/** Only the content inside the first brackets: 'Taiwan (ROC)' -> 'ROC'; '' when none. */
export function bracketContent(raw: string): string {
  const m = /[(（[【]([^)）\]】]*)[)）\]】]/.exec(raw.normalize("NFKC"));
  return m ? m[1]! : "";
}

/** The key an override is matched on: NFKC, trimmed, spaces collapsed, case folded. */
export function overrideKey(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}
