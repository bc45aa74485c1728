/**
 * The municipality list shipped in data/municipalities.csv (see data/README.md for what it
 * holds and where its coordinates come from), parsed once.
 */
import { readFileSync } from "node:fs";
import type { Municipality, MunicipalityKind } from "./types.js";

const KINDS: readonly MunicipalityKind[] = ["ward", "city", "town", "village"];
const COLUMNS = ["prefecture", "prefecture_en", "name", "name_en", "kind", "latitude", "longitude", "code"];

export const MUNICIPALITIES_FILE = new URL("../../data/municipalities.csv", import.meta.url);

/** Parses the CSV text (no quoted fields: names hold no commas); throws naming the line. */
export function parseMunicipalities(text: string, file = "municipalities.csv"): Municipality[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines[0]?.trim() !== COLUMNS.join(",")) throw new Error(`${file}: header must be ${COLUMNS.join(",")}`);
  return lines.slice(1).map((line, i) => {
    const f = line.split(",").map((v) => v.trim());
    const where = `${file} line ${i + 2}`;
    if (f.length !== COLUMNS.length) throw new Error(`${where}: expected ${COLUMNS.length} fields`);
    const [prefecture, prefectureEn, name, nameEn, kind, lat, lng, code] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!KINDS.includes(kind as MunicipalityKind)) throw new Error(`${where}: unknown kind ${kind}`);
    const latitude = Number(lat);
    const longitude = Number(lng);
    if (!(latitude > 20 && latitude < 46 && longitude > 122 && longitude < 154))
      throw new Error(`${where}: coordinates outside Japan`);
    if (code !== "" && !/^\d{5}$/.test(code)) throw new Error(`${where}: code must be 5 digits`);
    return {
      prefecture,
      prefectureEn,
      name,
      nameEn,
      kind: kind as MunicipalityKind,
      latitude,
      longitude,
      code: code === "" ? null : code,
    };
  });
}

let cached: Municipality[] | undefined;

/** Every municipality of the shipped data file. */
export function municipalityDirectory(): readonly Municipality[] {
  return (cached ??= parseMunicipalities(
    readFileSync(MUNICIPALITIES_FILE, "utf8"),
    "data/municipalities.csv",
  ));
}
