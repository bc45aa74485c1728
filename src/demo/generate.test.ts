import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parseBusinessDate } from "../calendar/business-date.js";
import { generateDemoWorld, type GenerateOptions } from "./generate.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "tb-demo-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function options(out: string, over: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    out,
    from: parseBusinessDate("2026-01-01"),
    to: parseBusinessDate("2026-01-20"),
    scale: 0.02,
    seed: 7,
    gzip: false,
    incidents: true,
    auxMb: 0.2,
    ...over,
  };
}

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe("demo generate", () => {
  it("writes byte-identical files for the same options and seed", async () => {
    const a = tempDir();
    const b = tempDir();
    await generateDemoWorld(options(a, { gzip: true }));
    await generateDemoWorld(options(b, { gzip: true }));
    const files = filesOf(a);
    expect(files).toEqual(filesOf(b));
    expect(files.some((f) => f.endsWith(".sql.gz"))).toBe(true);
    for (const f of files) expect(sha256(path.join(a, f)), f).toBe(sha256(path.join(b, f)));
  });

  it("writes different worlds for different seeds", async () => {
    const a = tempDir();
    const b = tempDir();
    await generateDemoWorld(options(a, { to: parseBusinessDate("2026-01-01") }));
    await generateDemoWorld(options(b, { to: parseBusinessDate("2026-01-01"), seed: 8 }));
    expect(sha256(path.join(a, "dumps/gghouse_20260101.sql"))).not.toBe(
      sha256(path.join(b, "dumps/gghouse_20260101.sql")),
    );
  });

  it("writes honest manifests: every field, real sha256, except the one planted mismatch", async () => {
    const out = tempDir();
    const { days } = await generateDemoWorld(options(out));
    const mismatches: string[] = [];
    for (const day of days.filter((d) => d.dumpFile)) {
      const compact = day.date.replace(/-/g, "");
      const manifest = JSON.parse(
        readFileSync(path.join(out, `dumps-manifest/gghouse_${compact}.json`), "utf8"),
      );
      expect(typeof manifest.source_host).toBe("string");
      expect(manifest.source_database).toBe("gghouse");
      expect(typeof manifest.run_id).toBe("string");
      expect(manifest.dump_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof manifest.valid_for_etl).toBe("boolean");
      const stamps = manifest.max_updated_at_by_table as Record<string, string>;
      expect(Object.keys(stamps).sort()).toEqual([
        "apartments",
        "inquiries",
        "movings",
        "rent_payments",
        "rooms",
        "tenants",
      ]);
      for (const stamp of Object.values(stamps)) expect(stamp < `${day.date}T05:30`).toBe(true);
      if (sha256(day.dumpFile!) !== manifest.dump_sha256) mismatches.push(day.date);
    }
    expect(mismatches).toEqual(days.filter((d) => d.incident === "checksum_mismatch").map((d) => d.date));
    expect(mismatches).toHaveLength(1);
  });

  it("plants every incident inside the range, never in its first or last 3 days", async () => {
    const out = tempDir();
    const { days } = await generateDemoWorld(options(out));
    const kinds = days.map((d) => d.incident);
    expect(kinds.filter((k) => k === "missing")).toHaveLength(3);
    expect(kinds.filter((k) => k === "invalid")).toHaveLength(4);
    expect(kinds.filter((k) => k === "source_drift")).toHaveLength(1);
    expect(kinds.filter((k) => k === "checksum_mismatch")).toHaveLength(1);
    expect([...kinds.slice(0, 3), ...kinds.slice(-3)].every((k) => k === null)).toBe(true);
    for (const d of days.filter((x) => x.incident === "missing")) {
      const compact = d.date.replace(/-/g, "");
      expect(existsSync(path.join(out, `dumps/gghouse_${compact}.sql`))).toBe(false);
    }
    const invalid = days.filter((d) => d.incident === "invalid").map((d) => d.date);
    const index = JSON.parse(
      readFileSync(path.join(out, "dumps-manifest/quarantine_index_20260101.json"), "utf8"),
    );
    expect(index.entries.map((e: { date: string }) => e.date)).toEqual(invalid);
    const drift = days.find((d) => d.incident === "source_drift")!;
    const driftManifest = JSON.parse(
      readFileSync(path.join(out, `dumps-manifest/gghouse_${drift.date.replace(/-/g, "")}.json`), "utf8"),
    );
    expect(driftManifest.source_host).not.toBe(
      JSON.parse(readFileSync(path.join(out, "source.json"), "utf8")).source_host,
    );
  });

  it("plants no incident with --no-incidents, and only what fits in a short range", async () => {
    const clean = await generateDemoWorld(options(tempDir(), { incidents: false }));
    expect(clean.days.every((d) => d.incident === null && d.dumpFile)).toBe(true);
    const short = await generateDemoWorld(options(tempDir(), { to: parseBusinessDate("2026-01-08") }));
    expect(short.days.map((d) => d.incident).filter(Boolean)).toEqual(["source_drift", "checksum_mismatch"]);
  });

  it("writes mysqldump text: header, every table, extended inserts, footer", async () => {
    const out = tempDir();
    await generateDemoWorld(options(out, { to: parseBusinessDate("2026-01-01"), gzip: true }));
    const text = gunzipSync(readFileSync(path.join(out, "dumps/gghouse_20260101.sql.gz"))).toString("latin1");
    expect(text.startsWith("-- MySQL dump 10.13  Distrib 8.0.36")).toBe(true);
    expect(text.match(/^CREATE TABLE `/gm)).toHaveLength(81);
    const names = [...text.matchAll(/^CREATE TABLE `([a-z_]+)`/gm)].map((m) => m[1]!);
    expect(names).toEqual([...names].sort());
    for (const t of ["apartments", "rooms", "tenants", "movings", "inquiries", "rent_payments"])
      expect(names).toContain(t);
    expect(text).toMatch(
      /LOCK TABLES `movings` WRITE;\n\/\*!40000 ALTER TABLE `movings` DISABLE KEYS \*\/;\nINSERT INTO `movings` VALUES \(/,
    );
    expect(text).toMatch(/-- Dump completed on 2026-01-01 {2}5:3\d:\d\d\n$/);
    expect(text).toContain("'0000-00-00'");
    expect(text).toContain("_binary '");
  });

  it("rejects impossible options with a usage error", async () => {
    await expect(
      generateDemoWorld(options(tempDir(), { to: parseBusinessDate("2025-12-01") })),
    ).rejects.toThrow(/--to is before --from/);
    await expect(generateDemoWorld(options(tempDir(), { scale: 0 }))).rejects.toThrow(/--scale/);
  });
});
