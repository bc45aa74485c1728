/** runEnrichment on a real DuckDB warehouse: caches, warm runs, overrides, absent staging, locations, review. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnrichmentOverrides } from "./read-enrichment-overrides.js";
import { reviewEnrichment } from "./review-enrichment.js";
import { runEnrichment, type EnrichmentOptions } from "./run-enrichment.js";
import { normaliseAddress, type AddressHints } from "./normalise-address.js";
import { normaliseNationality } from "./normalise-nationality.js";
import { tempWarehouse, writeStaging, type StagingData } from "./testing/staging-fixture.js";
import type { Warehouse } from "../warehouse/warehouse.js";

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

async function newWarehouse() {
  const t = await tempWarehouse();
  disposers.push(t.dispose);
  return t;
}

function counting() {
  const calls = { nationality: [] as string[], address: [] as string[] };
  const options: EnrichmentOptions = {
    normaliseNationality: (raw: string) => {
      calls.nationality.push(raw);
      return normaliseNationality(raw);
    },
    normaliseAddress: (raw: string, hints: AddressHints) => {
      calls.address.push(raw);
      return normaliseAddress(raw, hints);
    },
  };
  return { calls, options };
}

/** One run on a new state with `data` written to staging first; publishes. */
async function run(warehouse: Warehouse, data: StagingData | null, options: EnrichmentOptions = {}) {
  const writer = await warehouse.beginState({ label: "test" });
  if (data) await writeStaging(writer, data);
  const report = await runEnrichment(writer, options);
  await writer.publish();
  return report;
}

async function rows(warehouse: Warehouse, sql: string) {
  const reader = await warehouse.openPublished();
  try {
    return (await reader.query(sql)).rows;
  } finally {
    await reader.close();
  }
}

const DATA: StagingData = {
  tenants: ["日本", "日本", " 中国 ", "USA", "Phillipines", null, "不明", "Mars"],
  inquiries: ["日本", "ベトナム", "ＵＳＡ", "korea"],
  apartments: [
    ["東京都新宿区高田馬場１－２－３", "東京都", "35.7000000", "139.7000000"],
    ["中野区中野4-8-1", "東京都", null, null],
    ["府中市府中町1-2", null, null, null],
    ["大阪府大阪市北区梅田1-1", "大阪府", null, null],
    ["高田馬場1-2-3", null, null, null],
  ],
};

describe("runEnrichment", () => {
  it("normalises the distinct raw values of staging and writes both caches", async () => {
    const { warehouse } = await newWarehouse();
    const report = await run(warehouse, DATA, { now: () => new Date("2026-02-01T05:30:00Z") });
    expect(report.nationality).toMatchObject({ seen: 9, new: 9, unresolved: 2, overridden: 0 });
    expect(report.nationality.resolvedBy).toEqual({ exact: 5, alias: 1, fuzzy: 1, unknown: 2 });
    expect(report.municipality).toMatchObject({ seen: 5, new: 5, unresolved: 1 });
    const nat = await rows(
      warehouse,
      "SELECT raw_text, iso_code, name_en, name_ja, method, model, CAST(resolved_at AS VARCHAR) AS at FROM enrich.nationality_cache ORDER BY raw_text",
    );
    expect(nat.find((r) => r.raw_text === " 中国 ")).toMatchObject({
      iso_code: "CN",
      name_en: "China",
      name_ja: "中国",
      method: "exact",
      model: null,
      at: "2026-02-01 05:30:00",
    });
    expect(nat.find((r) => r.raw_text === "不明")).toMatchObject({ iso_code: null, method: "unknown" });
    const muni = await rows(
      warehouse,
      "SELECT raw_address, raw_prefecture, prefecture, municipality, municipality_en, method FROM enrich.municipality_cache ORDER BY raw_address",
    );
    expect(muni.find((r) => r.raw_address === "中野区中野4-8-1")).toMatchObject({
      raw_prefecture: "東京都",
      prefecture: "東京都",
      municipality: "中野区",
      municipality_en: "Nakano-ku",
      method: "exact",
    });
  });

  it("builds apartment locations: own coordinates, else the municipality centre flagged approximate; coverage by method", async () => {
    const { warehouse } = await newWarehouse();
    const report = await run(warehouse, DATA);
    const loc = await rows(
      warehouse,
      "SELECT apartment_id, municipality, latitude, longitude, approximate, coordinates_source FROM enrich.apartment_locations ORDER BY apartment_id",
    );
    expect(loc[0]).toMatchObject({
      municipality: "新宿区",
      latitude: 35.7,
      longitude: 139.7,
      approximate: false,
    });
    expect(loc[1]).toMatchObject({
      municipality: "中野区",
      latitude: 35.707,
      approximate: true,
      coordinates_source: "municipality",
    });
    expect(loc[3]).toMatchObject({
      municipality: null,
      latitude: null,
      approximate: false,
      coordinates_source: "none",
    });
    expect(report.coverage).toEqual({
      buildings: 5,
      resolved: 3,
      prefectureOnly: 1,
      unresolved: 1,
      byMethod: { exact: 2, inferred: 1, prefecture_only: 1, unknown: 1 },
      lowConfidence: 3,
      coordinates: { building: 1, municipality: 2, none: 2 },
    });
  });

  it("normalises only values not cached yet; a warm run does no normalisation work", async () => {
    const { warehouse } = await newWarehouse();
    const first = counting();
    await run(warehouse, DATA, first.options);
    expect(first.calls.nationality.length).toBe(9);
    expect(first.calls.address.length).toBe(5);

    const warm = counting();
    const report = await run(warehouse, DATA, warm.options);
    expect(warm.calls).toEqual({ nationality: [], address: [] });
    expect(report.nationality).toMatchObject({ seen: 9, new: 0, resolvedBy: {} });
    expect(report.municipality).toMatchObject({ seen: 5, new: 0, resolvedBy: {} });

    const more = counting();
    await run(
      warehouse,
      {
        ...DATA,
        tenants: [...DATA.tenants!, "Canada", "日本"],
        apartments: [...DATA.apartments!, ["東京都三鷹市下連雀1-1", "東京都", null, null]],
      },
      more.options,
    );
    expect(more.calls).toEqual({ nationality: ["Canada"], address: ["東京都三鷹市下連雀1-1"] });
  });

  it("applies overrides on the next run, where they win; a removed override is re-normalised", async () => {
    const { warehouse, location } = await newWarehouse();
    await run(warehouse, DATA);
    const file = path.join(path.dirname(location), "overrides.yaml");
    writeFileSync(
      file,
      [
        "nationality:",
        '  "Mars": JP',
        '  "USA": CA',
        '  "不明": null',
        "addresses:",
        '  - raw_address: "高田馬場 1-2-3"',
        "    prefecture: 東京都",
        "    municipality: 新宿区",
      ].join("\n"),
    );
    const overrides = readEnrichmentOverrides(file);
    const counted = counting();
    const report = await run(warehouse, DATA, { ...counted.options, overrides });
    expect(counted.calls).toEqual({ nationality: [], address: [] });
    // 'USA' also matches 'ＵＳＡ' (overrides match case- and width-insensitively); 不明 stays without a code.
    expect(report.nationality).toMatchObject({ overridden: 4, resolvedBy: { override: 4 }, unresolved: 1 });
    expect(report.municipality).toMatchObject({ overridden: 1, resolvedBy: { override: 1 } });
    const nat = await rows(
      warehouse,
      "SELECT raw_text, iso_code, method, confidence FROM enrich.nationality_cache",
    );
    expect(nat.find((r) => r.raw_text === "USA")).toMatchObject({
      iso_code: "CA",
      method: "override",
      confidence: 1,
    });
    expect(nat.find((r) => r.raw_text === "不明")).toMatchObject({
      iso_code: null,
      method: "override",
      confidence: 1,
    });
    const loc = await rows(
      warehouse,
      "SELECT municipality, method FROM enrich.apartment_locations WHERE apartment_id = 5",
    );
    expect(loc[0]).toEqual({ municipality: "新宿区", method: "override" });

    const again = await run(warehouse, DATA, { overrides });
    expect(again.nationality).toMatchObject({ new: 0, overridden: 0 });

    const back = counting();
    await run(warehouse, DATA, back.options);
    expect(back.calls.nationality.sort()).toEqual(["Mars", "USA", "ＵＳＡ", "不明"].sort());
    expect(back.calls.address).toEqual(["高田馬場1-2-3"]);
    const usa = await rows(
      warehouse,
      "SELECT iso_code, method FROM enrich.nationality_cache WHERE raw_text = 'USA'",
    );
    expect(usa[0]).toEqual({ iso_code: "US", method: "exact" });
  });

  it("re-normalises everything but overrides with refresh", async () => {
    const { warehouse } = await newWarehouse();
    await run(warehouse, DATA);
    const counted = counting();
    await run(warehouse, DATA, { ...counted.options, refresh: true });
    expect(counted.calls.nationality.length).toBe(9);
    expect(counted.calls.address.length).toBe(5);
  });

  it("survives absent staging tables, with warnings", async () => {
    const { warehouse } = await newWarehouse();
    const empty = await run(warehouse, null);
    expect(empty.nationality.seen).toBe(0);
    expect(empty.municipality.seen).toBe(0);
    expect(empty.coverage.buildings).toBe(0);
    expect(empty.warnings.join("\n")).toMatch(/no tenants or inquiries table[\s\S]*no apartments table/);
    const onlyInquiries = await run(warehouse, { inquiries: ["Japan"] });
    expect(onlyInquiries.nationality).toMatchObject({ seen: 1, new: 1 });
  });

  it("lists unresolved and low-confidence values with their counts for review", async () => {
    const { warehouse } = await newWarehouse();
    await run(warehouse, DATA);
    const reader = await warehouse.openPublished();
    try {
      const items = await reviewEnrichment(reader);
      const nat = items.filter((i) => i.kind === "nationality").map((i) => [i.raw, i.method, i.count]);
      expect(nat).toEqual([
        ["Mars", "unknown", 1],
        ["Phillipines", "fuzzy", 1],
        ["不明", "unknown", 1],
      ]);
      const addr = items.filter((i) => i.kind === "address").map((i) => [i.raw, i.method]);
      expect(addr).toEqual([
        ["大阪府大阪市北区梅田1-1", "prefecture_only"],
        ["府中市府中町1-2", "inferred"],
        ["高田馬場1-2-3", "unknown"],
      ]);
    } finally {
      await reader.close();
    }
  });
});
