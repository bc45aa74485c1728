/** The overrides file: YAML and CSV, several files, and errors that name the file and the entry. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { addressOverrideKey } from "./normalise-address.js";
import { overrideKey } from "./normalise-text.js";
import { readEnrichmentOverrides } from "./read-enrichment-overrides.js";

const dir = mkdtempSync(path.join(tmpdir(), "tokyobeta-overrides-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe("readEnrichmentOverrides", () => {
  it("reads YAML (mapping or list) and CSV files, several at once", () => {
    const yaml = write(
      "o.yaml",
      'nationality:\n  - { raw: "Chinese (Taiwan)", iso_code: tw }\n  - { raw: "朝鮮", iso_code: null }\naddresses:\n  - { raw_address: "高田馬場 1-2-3", prefecture: 東京, municipality: 新宿区 }\n',
    );
    const natCsv = write("n.csv", 'raw,iso_code\n"Kosovar, ex-Serbia",XK\nMars,\n');
    const addrCsv = write("a.csv", "raw_address,prefecture,municipality\n大阪のどこか,大阪府,\n");
    const o = readEnrichmentOverrides(`${yaml}, ${natCsv},${addrCsv}`);
    expect(o.nationality.get(overrideKey("chinese (taiwan)"))).toBe("TW");
    expect(o.nationality.get(overrideKey("朝鮮"))).toBeNull();
    expect(o.nationality.get(overrideKey("Kosovar, ex-Serbia"))).toBe("XK");
    expect(o.nationality.get(overrideKey("MARS"))).toBeNull();
    expect(o.address.get(addressOverrideKey("高田馬場1-2-3"))).toEqual({
      prefecture: "東京都",
      municipality: "新宿区",
    });
    expect(o.address.get(addressOverrideKey("大阪のどこか"))).toEqual({
      prefecture: "大阪府",
      municipality: null,
    });
    expect(o.files).toHaveLength(3);
    expect(readEnrichmentOverrides(undefined).nationality.size).toBe(0);
  });

  it("refuses invalid codes, unknown municipalities and unknown sections, naming the file and entry", () => {
    const bad = (name: string, text: string, re: RegExp) => {
      const file = write(name, text);
      expect(() => readEnrichmentOverrides(file)).toThrow(ConfigError);
      expect(() => readEnrichmentOverrides(file)).toThrow(re);
    };
    bad(
      "b1.yaml",
      "nationality:\n  Mars: ZZ\n",
      /b1\.yaml: nationality 'Mars': "ZZ" is not an ISO 3166-1 alpha-2 code/,
    );
    bad(
      "b2.csv",
      "raw_address,prefecture,municipality\nx,東京都,横浜市\n",
      /b2\.csv line 2: 横浜市 is not a municipality of 東京都/,
    );
    bad("b3.yaml", "nationalities: {}\n", /unknown section 'nationalities'/);
    bad("b4.csv", "a,b\n", /header must be/);
    expect(() => readEnrichmentOverrides(path.join(dir, "none.yaml"))).toThrow(/does not exist/);
  });
});
