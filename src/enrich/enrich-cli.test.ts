/** `tokyobeta enrich nationality|address|review|run`, in process against a real DuckDB warehouse. */
import { captureIO as capture } from "../../test/support/capture-io.js";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  enrichAddress,
  enrichNationality,
  enrichReview,
  enrichRun,
  registerEnrichCommand,
} from "../cli/commands/enrich.js";
import { tempWarehouse, writeStaging } from "./testing/staging-fixture.js";

let warehouse: string;
let root: string;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const t = await tempWarehouse();
  warehouse = t.location;
  root = path.dirname(t.location);
  dispose = t.dispose;
  const writer = await t.warehouse.beginState({ label: "staging" });
  await writeStaging(writer, {
    tenants: ["日本", "日本", "Mars", "Phillipines", "USA"],
    inquiries: ["Mars"],
    apartments: [
      ["東京都新宿区高田馬場1-2-3", "東京都", "35.7", "139.7"],
      ["府中市府中町1-2", null, null, null],
    ],
  });
  await writer.publish();
  await t.warehouse.close();
});
afterAll(() => dispose());

describe("tokyobeta enrich nationality / address", () => {
  it("prints each normalisation as a table, or one JSON object per line", async () => {
    const table = capture();
    await enrichNationality(["米国", "不明"], { warehouse }, table);
    const lines = table.stdout().split("\n");
    expect(lines[0]).toMatch(/^raw\s+iso_code\s+name_en\s+name_ja\s+method\s+confidence/);
    expect(lines[2]).toMatch(/^米国\s+US\s+United States\s+アメリカ合衆国\s+alias\s+0\.95/);
    expect(lines[3]).toMatch(/^不明\s+unknown\s+0/);
    const json = capture();
    await enrichNationality(["ＵＳＡ", "Phillipines"], { warehouse, json: true }, json);
    const objs = json
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(objs[0]).toEqual({
      raw: "ＵＳＡ",
      isoCode: "US",
      nameEn: "United States",
      nameJa: "アメリカ合衆国",
      method: "exact",
      confidence: 1,
    });
    expect(objs[1]).toMatchObject({ isoCode: "PH", method: "fuzzy" });
  });

  it("prints addresses with municipality, method, confidence and coordinates; uses a prefecture hint", async () => {
    const json = capture();
    await enrichAddress(
      ["〒169-0075 東京都新宿区高田馬場1-2-3", "高田馬場1-2"],
      { warehouse, json: true },
      json,
    );
    const [a, b] = json
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(a).toMatchObject({
      prefecture: "東京都",
      municipality: "新宿区",
      municipalityEn: "Shinjuku-ku",
      method: "exact",
    });
    expect(b).toMatchObject({ prefecture: null, method: "unknown" });
    const hinted = capture();
    await enrichAddress(["中野区中野4-8-1"], { warehouse, prefecture: "東京都" }, hinted);
    expect(hinted.stdout()).toMatch(/中野区中野4-8-1\s+東京都\s+中野区\s+Nakano-ku\s+ward\s+exact\s+0\.95/);
  });

  it("applies the overrides file from the settings", async () => {
    const file = path.join(root, "overrides.csv");
    writeFileSync(file, "raw,iso_code\nMars,JP\n");
    const io = capture();
    await enrichNationality(["mars"], { warehouse, json: true, config: undefined }, io);
    expect(JSON.parse(io.stdout()).isoCode).toBeNull();
    process.env.TOKYOBETA_ENRICH_OVERRIDES = file;
    try {
      const withOverride = capture();
      await enrichNationality(["mars"], { warehouse, json: true }, withOverride);
      expect(JSON.parse(withOverride.stdout())).toMatchObject({ isoCode: "JP", method: "override" });
    } finally {
      delete process.env.TOKYOBETA_ENRICH_OVERRIDES;
    }
  });
});

describe("tokyobeta enrich run / review", () => {
  it("runs on a new state, publishes it and prints the coverage report; review lists what needs a look", async () => {
    const io = capture();
    expect(await enrichRun({ warehouse }, io)).toBe(0);
    const out = io.stdout();
    expect(out).toMatch(
      /nationality: 4 distinct values, 4 normalised \(.*fuzzy 1.*\), 0 overrides applied, 1 unresolved/,
    );
    expect(out).toMatch(/addresses: 2 distinct values, 2 normalised/);
    expect(out).toMatch(
      /buildings: 2; municipality resolved 2 \(100\.0 %\), prefecture only 0, unresolved 0; below confidence 0\.8: 1/,
    );
    expect(out).toMatch(/by method: (exact 1, inferred 1|inferred 1, exact 1)/);
    expect(out).toMatch(/coordinates: building's own 1, municipality centre \(approximate\) 1, none 0/);
    expect(out).toMatch(/published state \S+/);

    const review = capture();
    await enrichReview({ warehouse, json: true }, review);
    const items = review
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(items.map((i) => [i.kind, i.raw, i.method, i.count])).toEqual([
      ["nationality", "Mars", "unknown", 2],
      ["nationality", "Phillipines", "fuzzy", 1],
      ["address", "府中市府中町1-2", "inferred", 1],
    ]);
    const table = capture();
    await enrichReview({ warehouse }, table);
    expect(table.stdout()).toMatch(/nationality\s+"Mars"\s+\(unresolved\)\s+unknown\s+0\s+2/);
    expect(table.stderr()).toMatch(/3 values to review/);

    const warm = capture();
    await enrichRun({ warehouse, json: true }, warm);
    const report = JSON.parse(warm.stdout());
    expect(report.nationality).toMatchObject({ seen: 4, new: 0 });
    expect(report.municipality).toMatchObject({ seen: 2, new: 0 });
  });

  it("is registered under `enrich` and reports errors with a non-zero exit", async () => {
    const program = new Command("tokyobeta").exitOverride();
    registerEnrichCommand(program);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const previous = process.exitCode;
    try {
      await program.parseAsync(["enrich", "nationality", "Viet Nam", "--json"], { from: "user" });
      expect(process.exitCode).toBe(0);
      expect(stdout.mock.calls.map((c) => String(c[0])).join("")).toContain('"isoCode":"VN"');
      process.env.TOKYOBETA_ENRICH_OVERRIDES = path.join(root, "missing.yaml");
      await program.parseAsync(["enrich", "nationality", "x"], { from: "user" });
      expect(process.exitCode).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(
        /overrides file .*missing\.yaml does not exist/,
      );
    } finally {
      delete process.env.TOKYOBETA_ENRICH_OVERRIDES;
      process.exitCode = previous;
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
