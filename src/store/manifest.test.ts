import { describe, expect, it } from "vitest";
import { parseManifest } from "./manifest.js";
import { goodManifest } from "./testing/store-fixture.js";

const SHA = "a".repeat(64);
const good = () => goodManifest("2026-01-10", SHA, 10);
const parse = (doc: unknown) => parseManifest(JSON.stringify(doc));
const problems = (doc: unknown) => {
  const r = parse(doc);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe("parseManifest", () => {
  it("accepts every required field with the right type, and optional fields", () => {
    const r = parse({ ...good(), invalid_reason: "x", dump_key: "dumps/gghouse_20260110.sql" });
    expect(r.ok).toBe(true);
  });

  it("names each required field that is missing", () => {
    for (const field of [
      "source_host",
      "source_database",
      "run_id",
      "dump_sha256",
      "valid_for_etl",
      "max_updated_at_by_table",
    ]) {
      const doc: Record<string, unknown> = good();
      delete doc[field];
      expect(problems(doc), field).toEqual([expect.stringContaining(`required field '${field}' is missing`)]);
    }
  });

  it("lists all problems, not only the first", () => {
    expect(problems({ dump_sha256: "xyz", valid_for_etl: 1 })).toEqual([
      "required field 'source_host' is missing",
      "required field 'source_database' is missing",
      "required field 'run_id' is missing",
      `field 'dump_sha256': expected 64 hexadecimal characters (got "xyz")`,
      "field 'valid_for_etl': expected boolean, got number 1",
      "required field 'max_updated_at_by_table' is missing (nor is its legacy name 'source_table_max_updated_at')",
    ]);
  });

  it("checks the timestamps inside max_updated_at_by_table, allowing null for an empty table", () => {
    expect(
      parse({ ...good(), max_updated_at_by_table: { movings: "2026-01-10T05:00:00Z", logs: null } }).ok,
    ).toBe(true);
    expect(problems({ ...good(), max_updated_at_by_table: { movings: "yesterday", rooms: 5 } })).toEqual([
      `field 'max_updated_at_by_table.movings': expected an ISO-8601 timestamp (got "yesterday")`,
      "field 'max_updated_at_by_table.rooms': expected string, got number 5",
    ]);
  });

  it("reads the legacy source_table_max_updated_at and names it in errors", () => {
    const doc: Record<string, unknown> = good();
    doc.source_table_max_updated_at = doc.max_updated_at_by_table;
    delete doc.max_updated_at_by_table;
    const r = parse(doc);
    expect(r.ok && r.legacyFields).toEqual(["source_table_max_updated_at"]);
    doc.source_table_max_updated_at = "2026-01-10";
    expect(problems(doc)).toEqual([
      "field 'source_table_max_updated_at': expected record, got string \"2026-01-10\"",
    ]);
  });

  it("prefers max_updated_at_by_table when both names are present", () => {
    const r = parse({ ...good(), source_table_max_updated_at: "junk" });
    expect(r.ok && r.manifest.max_updated_at_by_table).toEqual(good().max_updated_at_by_table);
  });

  it("normalises an upper-case sha256 to lower case", () => {
    const r = parse({ ...good(), dump_sha256: "A".repeat(64) });
    expect(r.ok && r.manifest.dump_sha256).toBe(SHA);
  });

  it("rejects mistyped optional fields", () => {
    expect(problems({ ...good(), dump_bytes: "10", invalid_reason: 3 })).toEqual([
      "field 'invalid_reason': expected string, got number 3",
      `field 'dump_bytes': expected number, got string "10"`,
    ]);
  });

  it("rejects text that is not a JSON object", () => {
    expect(parseManifest("[1]")).toMatchObject({
      ok: false,
      problems: [{ message: "manifest is not a JSON object (got array)" }],
    });
    expect(parseManifest("nope")).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/not valid JSON/) }],
    });
  });
});
