/**
 * The operator's overrides file(s): fixes that win over every normaliser and are applied on
 * the next run.
 *
 * YAML (both kinds in one file):
 *
 *   nationality:
 *     "Chinese (Taiwan)": TW
 *     "朝鮮": null            # null or "" forces 'unknown'
 *   addresses:
 *     - raw_address: "東京都新宿高田馬場1-2-3"
 *       prefecture: 東京都
 *       municipality: 新宿区   # omit for prefecture only
 *
 * CSV (the header says which kind): `raw,iso_code` or `raw_address,prefecture,municipality`.
 * Several files may be given separated by commas. Errors name the file and the entry.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors.js";
import { countryOf } from "./country-directory.js";
import {
  addressOverrideKey,
  canonicalPrefecture,
  findMunicipality,
  type AddressOverrides,
} from "./normalise-address.js";
import type { NationalityOverrides } from "./normalise-nationality.js";
import { overrideKey } from "./normalise-text.js";
import { parseCsv } from "./parse-csv.js";

export interface EnrichmentOverrides {
  nationality: NationalityOverrides;
  address: AddressOverrides;
  files: string[];
}

export const NO_OVERRIDES: EnrichmentOverrides = { nationality: new Map(), address: new Map(), files: [] };

interface Collect {
  nationality: Map<string, string | null>;
  address: Map<string, { prefecture: string; municipality: string | null }>;
}

function addNationality(c: Collect, where: string, raw: unknown, code: unknown): void {
  if (typeof raw !== "string" || raw.trim() === "")
    throw new ConfigError(`${where}: raw text must be a non-empty string`);
  if (
    code === null ||
    code === undefined ||
    (typeof code === "string" && ["", "-", "unknown"].includes(code.trim()))
  ) {
    c.nationality.set(overrideKey(raw), null);
    return;
  }
  const country = typeof code === "string" ? countryOf(code) : undefined;
  if (!country) throw new ConfigError(`${where}: ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 code`);
  c.nationality.set(overrideKey(raw), country.code);
}

function addAddress(
  c: Collect,
  where: string,
  raw: unknown,
  prefecture: unknown,
  municipality: unknown,
): void {
  if (typeof raw !== "string" || raw.trim() === "")
    throw new ConfigError(`${where}: raw_address must be a non-empty string`);
  const pref = typeof prefecture === "string" ? canonicalPrefecture(prefecture) : null;
  if (!pref) throw new ConfigError(`${where}: unknown prefecture ${JSON.stringify(prefecture)}`);
  let name: string | null = null;
  if (typeof municipality === "string" && municipality.trim() !== "") {
    const m = findMunicipality(pref, municipality);
    if (!m)
      throw new ConfigError(
        `${where}: ${municipality} is not a municipality of ${pref} in data/municipalities.csv`,
      );
    name = m.name;
  }
  c.address.set(addressOverrideKey(raw), { prefecture: pref, municipality: name });
}

function readYaml(file: string, text: string, c: Collect): void {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`overrides file ${file} does not parse: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== "object" || Array.isArray(doc))
    throw new ConfigError(
      `overrides file ${file}: expected 'nationality' and/or 'addresses' at the top level`,
    );
  for (const key of Object.keys(doc)) {
    if (key !== "nationality" && key !== "addresses")
      throw new ConfigError(`overrides file ${file}: unknown section '${key}'`);
  }
  const { nationality, addresses } = doc as { nationality?: unknown; addresses?: unknown };
  if (Array.isArray(nationality)) {
    nationality.forEach((e: { raw?: unknown; iso_code?: unknown }, i) =>
      addNationality(c, `${file}: nationality[${i}]`, e?.raw, e?.iso_code),
    );
  } else if (nationality && typeof nationality === "object") {
    for (const [raw, code] of Object.entries(nationality))
      addNationality(c, `${file}: nationality '${raw}'`, raw, code);
  } else if (nationality !== undefined && nationality !== null) {
    throw new ConfigError(`${file}: 'nationality' must be a mapping raw -> iso_code or a list`);
  }
  if (addresses !== undefined && addresses !== null && !Array.isArray(addresses))
    throw new ConfigError(`${file}: 'addresses' must be a list of {raw_address, prefecture, municipality}`);
  (addresses ?? []).forEach(
    (e: { raw_address?: unknown; prefecture?: unknown; municipality?: unknown }, i: number) =>
      addAddress(c, `${file}: addresses[${i}]`, e?.raw_address, e?.prefecture, e?.municipality),
  );
}

function readCsv(file: string, text: string, c: Collect): void {
  const [header, ...rows] = parseCsv(text);
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  if (at("raw") >= 0 && at("iso_code") >= 0) {
    rows.forEach((r, i) => addNationality(c, `${file} line ${i + 2}`, r[at("raw")], r[at("iso_code")] ?? ""));
  } else if (at("raw_address") >= 0 && at("prefecture") >= 0) {
    rows.forEach((r, i) =>
      addAddress(
        c,
        `${file} line ${i + 2}`,
        r[at("raw_address")],
        r[at("prefecture")],
        r[at("municipality")] ?? "",
      ),
    );
  } else {
    throw new ConfigError(
      `overrides file ${file}: header must be 'raw,iso_code' or 'raw_address,prefecture,municipality'`,
    );
  }
}

/** Reads one or more overrides files (comma-separated paths); undefined or empty gives none. */
export function readEnrichmentOverrides(paths: string | undefined): EnrichmentOverrides {
  const files = (paths ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const c: Collect = { nationality: new Map(), address: new Map() };
  for (const file of files) {
    if (!existsSync(file)) throw new ConfigError(`overrides file ${file} does not exist`);
    const text = readFileSync(file, "utf8");
    if (/\.csv$/i.test(file)) readCsv(file, text, c);
    else readYaml(file, text, c);
  }
  return { nationality: c.nationality, address: c.address, files };
}
