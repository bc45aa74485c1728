/**
 * The candidate rules, quarantine and archive, run against any DumpStore implementation
 * (a folder and a real S3-protocol server). `newStore` returns an empty store.
 */
import { describe, expect, it } from "vitest";
import { archiveProcessedDump } from "../archive-processed-dump.js";
import type { DumpStore } from "../dump-store.js";
import {
  evaluateCandidate,
  prepareCandidateChecks,
  type CandidateEvaluation,
  type EvaluateOptions,
} from "../evaluate-candidate.js";
import { listDumpStatuses } from "../list-dump-statuses.js";
import { MANUAL_QUARANTINE_INDEX, quarantineDump } from "../quarantine-dump.js";
import { requireDumpCandidate, selectDumpCandidate } from "../select-dump-candidate.js";
import { DumpRejectedError } from "../../errors.js";
import { StoreError } from "../store-error.js";
import { addDump, readAll, SETTINGS, SOURCE } from "./store-fixture.js";

async function check(
  store: DumpStore,
  date: string,
  options: EvaluateOptions = {},
): Promise<CandidateEvaluation> {
  return evaluateCandidate(await prepareCandidateChecks(store, SETTINGS), date, options);
}

const codes = (e: CandidateEvaluation) => e.rejections.map((r) => r.code).sort();

export function runCandidateSuite(name: string, newStore: () => Promise<DumpStore>): void {
  describe(`dump candidates: ${name}`, () => {
    it("accepts a complete dump whose bytes match the manifest", async () => {
      const store = await newStore();
      const { sha256 } = await addDump(store, "2026-01-10");
      const e = await check(store, "2026-01-10");
      expect(e.rejections).toEqual([]);
      expect(e).toMatchObject({
        valid: true,
        checksum: "verified",
        sha256,
        dumpKey: "dumps/gghouse_20260110.sql",
      });
      expect(e.manifest?.run_id).toBe("run-2026-01-10");
    });

    it("accepts a .sql.gz dump, hashing the compressed bytes as stored", async () => {
      const store = await newStore();
      const { sha256 } = await addDump(store, "2026-01-10", { gz: true });
      const e = await check(store, "2026-01-10");
      expect(e).toMatchObject({ valid: true, sha256, dumpKey: "dumps/gghouse_20260110.sql.gz" });
    });

    it("rejects a .sql.gz dump whose manifest holds the sha256 of the uncompressed text", async () => {
      const store = await newStore();
      const { sha256 } = await import("./store-fixture.js").then((m) => ({ sha256: m.sha256Hex("plain") }));
      await addDump(store, "2026-01-10", { gz: true, body: "plain", manifest: { dump_sha256: sha256 } });
      expect(codes(await check(store, "2026-01-10"))).toEqual(["checksum_mismatch"]);
    });

    it("uses the manifest's dump_key when both .sql and .sql.gz exist, else the .sql.gz with a warning", async () => {
      const store = await newStore();
      const plain = await addDump(store, "2026-01-10");
      await addDump(store, "2026-01-10", { gz: true, noManifest: true });
      const byKey = await check(store, "2026-01-10");
      expect(byKey.warnings).toEqual([
        "both gghouse_20260110.sql and gghouse_20260110.sql.gz exist; using gghouse_20260110.sql.gz",
      ]);
      expect(codes(byKey)).toEqual(["checksum_mismatch"]);
      await addDump(store, "2026-01-10", {
        noDump: true,
        manifest: { dump_key: `s3://x/${plain.dumpKey}`, dump_sha256: plain.sha256 },
      });
      const named = await check(store, "2026-01-10");
      expect(named).toMatchObject({ valid: true, dumpKey: plain.dumpKey, warnings: [] });
    });

    it("rejects a date with no dump", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", { noDump: true });
      const e = await check(store, "2026-01-10");
      expect(codes(e)).toEqual(["missing_dump"]);
      expect(e.checksum).toBe("not_checked");
    });

    it("rejects a dump without a manifest", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", { noManifest: true });
      expect(codes(await check(store, "2026-01-10"))).toEqual(["missing_manifest"]);
    });

    it("rejects a date with neither dump nor manifest, naming both", async () => {
      const store = await newStore();
      expect(codes(await check(store, "2026-01-10"))).toEqual(["missing_dump", "missing_manifest"]);
    });

    it("rejects a manifest that is not JSON", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", { manifestText: "{ not json" });
      const e = await check(store, "2026-01-10");
      expect(codes(e)).toEqual(["manifest_field"]);
      expect(e.rejections[0]?.message).toMatch(/not valid JSON/);
    });

    it("names every missing required field", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", {
        manifest: { run_id: undefined, max_updated_at_by_table: undefined },
      });
      const e = await check(store, "2026-01-10");
      expect(e.rejections.map((r) => (r.code === "manifest_field" ? r.field : r.code)).sort()).toEqual([
        "max_updated_at_by_table",
        "run_id",
      ]);
      expect(e.rejections.map((r) => r.message).join("\n")).toMatch(/source_table_max_updated_at/);
    });

    it("names every mistyped field with what was expected and found", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", {
        manifest: { valid_for_etl: "true", dump_sha256: 12, max_updated_at_by_table: ["movings"] },
      });
      const e = await check(store, "2026-01-10");
      const messages = e.rejections.map((r) => r.message).join("\n");
      expect(codes(e)).toEqual(["manifest_field", "manifest_field", "manifest_field"]);
      expect(messages).toMatch(/'valid_for_etl': expected boolean, got string "true"/);
      expect(messages).toMatch(/'dump_sha256': expected string, got number 12/);
      expect(messages).toMatch(/'max_updated_at_by_table': expected record, got array/);
      expect(e.checksum).toBe("not_checked");
    });

    it("rejects a dump the manifest marks not valid for ETL, with its invalid_reason", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", {
        manifest: { valid_for_etl: false, invalid_reason: "partial dump" },
      });
      const e = await check(store, "2026-01-10");
      expect(e.rejections).toEqual([
        {
          code: "not_valid_for_etl",
          invalidReason: "partial dump",
          message: "manifest marks the dump not valid for ETL: partial dump",
        },
      ]);
    });

    it("refuses source drift, saying what was expected and what was found", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", { manifest: { source_host: "old-db.internal" } });
      await addDump(store, "2026-01-11", { manifest: { source_database: "gghouse_staging" } });
      const host = await check(store, "2026-01-10");
      expect(host.rejections).toEqual([
        expect.objectContaining({
          code: "source_drift",
          expected: SOURCE,
          found: { host: "old-db.internal", database: SOURCE.database },
        }),
      ]);
      expect(host.rejections[0]?.message).toBe(
        `source drift: source_host expected '${SOURCE.host}', found 'old-db.internal'`,
      );
      const db = await check(store, "2026-01-11");
      expect(db.rejections[0]?.message).toMatch(
        /source_database expected 'gghouse', found 'gghouse_staging'/,
      );
    });

    it("rejects a dump whose bytes do not hash to dump_sha256", async () => {
      const store = await newStore();
      const { dumpKey } = await addDump(store, "2026-01-10");
      await store.put(dumpKey, "-- truncated");
      const e = await check(store, "2026-01-10");
      expect(codes(e)).toEqual(["checksum_mismatch"]);
      expect(e.checksum).toBe("mismatch");
    });

    it("skips the checksum only when asked, and says so", async () => {
      const store = await newStore();
      const { dumpKey } = await addDump(store, "2026-01-10");
      await store.put(dumpKey, "-- truncated");
      const e = await check(store, "2026-01-10", { checksum: "skip" });
      expect(e).toMatchObject({ valid: true, checksum: "skipped" });
    });

    it("rejects dates listed in a quarantine index, by single date, range or plain array", async () => {
      const store = await newStore();
      for (const d of ["2026-01-10", "2026-01-12", "2026-01-14", "2026-01-20"]) await addDump(store, d);
      await store.put(
        "dumps-manifest/quarantine_index_upstream.json",
        JSON.stringify({
          entries: [
            { date: "2026-01-10", reason: "bad_dump" },
            { from: "2026-01-11", to: "2026-01-13", reason: "source_drift" },
          ],
        }),
      );
      await store.put(
        "dumps-manifest/quarantine_index_old.json",
        JSON.stringify([{ dates: ["20260114"], reason_code: "legacy" }]),
      );
      const q10 = await check(store, "2026-01-10");
      expect(q10.rejections).toEqual([
        expect.objectContaining({
          code: "quarantined",
          reason: "bad_dump",
          indexKey: "dumps-manifest/quarantine_index_upstream.json",
        }),
      ]);
      expect((await check(store, "2026-01-12")).rejections).toEqual([
        expect.objectContaining({ reason: "source_drift" }),
      ]);
      expect((await check(store, "2026-01-14")).rejections).toEqual([
        expect.objectContaining({ reason: "legacy" }),
      ]);
      expect((await check(store, "2026-01-20")).valid).toBe(true);
    });

    it("refuses every date while a quarantine index cannot be read", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10");
      await store.put("dumps-manifest/quarantine_index_broken.json", "{ oops");
      expect(codes(await check(store, "2026-01-10"))).toEqual(["quarantine_index_invalid"]);
    });

    it("rejects a dump too old for the target date, and one dated after it", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10");
      const old = await check(store, "2026-01-10", { targetDate: "2026-01-12", maxStaleDays: 1 });
      expect(old.rejections).toEqual([
        expect.objectContaining({ code: "too_stale", ageDays: 2, maxStaleDays: 1, targetDate: "2026-01-12" }),
      ]);
      expect(codes(await check(store, "2026-01-10", { targetDate: "2026-01-09", maxStaleDays: 3 }))).toEqual([
        "after_target_date",
      ]);
      expect((await check(store, "2026-01-10", { targetDate: "2026-01-12", maxStaleDays: 2 })).valid).toBe(
        true,
      );
    });

    it("lists every reason at once when many rules fail", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", {
        manifest: {
          run_id: undefined,
          valid_for_etl: false,
          invalid_reason: "upstream aborted",
          source_host: "old-db.internal",
          dump_sha256: "0".repeat(64),
        },
      });
      await store.put(
        "dumps-manifest/quarantine_index_x.json",
        JSON.stringify({ entries: [{ date: "2026-01-10", reason: "bad_dump" }] }),
      );
      const e = await check(store, "2026-01-10", { targetDate: "2026-01-15", maxStaleDays: 0 });
      expect(codes(e)).toEqual([
        "checksum_mismatch",
        "manifest_field",
        "not_valid_for_etl",
        "quarantined",
        "source_drift",
        "too_stale",
      ]);
      expect(e.valid).toBe(false);
    });

    it("accepts the legacy field source_table_max_updated_at, with a warning", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10", {
        manifest: {
          max_updated_at_by_table: undefined,
          source_table_max_updated_at: { movings: "2026-01-10 04:59:59" },
        },
      });
      const e = await check(store, "2026-01-10");
      expect(e.valid).toBe(true);
      expect(e.manifest?.max_updated_at_by_table).toEqual({ movings: "2026-01-10 04:59:59" });
      expect(e.warnings).toEqual(["manifest uses the legacy field name 'source_table_max_updated_at'"]);
    });

    describe("selecting the dump for a target date", () => {
      it("with max_dump_stale_days 0 takes only the target date itself", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-09");
        const sel = await selectDumpCandidate(store, "2026-01-10", SETTINGS);
        expect(sel.chosen).toBeUndefined();
        expect(sel.rejected.map((r) => [r.date, codes(r)])).toEqual([
          ["2026-01-10", ["missing_dump", "missing_manifest"]],
          ["2026-01-09", ["too_stale"]],
        ]);
        expect(sel.rejected[1]?.checksum).toBe("skipped");
        await addDump(store, "2026-01-10");
        expect((await selectDumpCandidate(store, "2026-01-10", SETTINGS)).chosen?.date).toBe("2026-01-10");
      });

      it("picks the newest valid dump within the window and lists the newer rejected ones", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-08");
        await addDump(store, "2026-01-09");
        await addDump(store, "2026-01-10", { manifest: { source_host: "old-db.internal" } });
        await addDump(store, "2026-01-12"); // after the target: never a candidate
        const sel = await selectDumpCandidate(store, "2026-01-11", { ...SETTINGS, maxDumpStaleDays: 3 });
        expect(sel.chosen?.date).toBe("2026-01-09");
        expect(sel.chosen?.checksum).toBe("verified");
        expect(sel.rejected.map((r) => [r.date, codes(r)])).toEqual([
          ["2026-01-11", ["missing_dump", "missing_manifest"]],
          ["2026-01-10", ["source_drift"]],
        ]);
      });

      it("rejects everything when the only dumps are older than the window", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-01");
        await addDump(store, "2026-01-05");
        const sel = await selectDumpCandidate(store, "2026-01-10", { ...SETTINGS, maxDumpStaleDays: 2 });
        expect(sel.chosen).toBeUndefined();
        expect(sel.rejected.map((r) => r.date)).toEqual([
          "2026-01-10",
          "2026-01-09",
          "2026-01-08",
          "2026-01-05",
        ]);
        expect(sel.rejected[3]?.rejections).toEqual([
          expect.objectContaining({ code: "too_stale", ageDays: 5 }),
        ]);
      });
      it("throws a DumpRejectedError naming every rejected date and reason when a dump is required", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-09", {
          manifest: { valid_for_etl: false, invalid_reason: "locked tables" },
        });
        const err = await requireDumpCandidate(store, "2026-01-10", {
          ...SETTINGS,
          maxDumpStaleDays: 1,
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DumpRejectedError);
        const text = (err as Error).message;
        expect(text).toMatch(/no valid dump in .* for 2026-01-10 \(max_dump_stale_days 1/);
        expect(text).toMatch(/2026-01-10:\n {4}- dump missing/);
        expect(text).toMatch(/2026-01-09:\n {4}- manifest marks the dump not valid for ETL: locked tables/);
        await addDump(store, "2026-01-10");
        const chosen = await requireDumpCandidate(store, "2026-01-10", SETTINGS);
        expect(chosen).toMatchObject({ date: "2026-01-10", dumpKey: "dumps/gghouse_20260110.sql" });
      });
    });

    describe("quarantine", () => {
      it("moves dump and manifest aside, keeps every byte, indexes the date and refuses it afterwards", async () => {
        const store = await newStore();
        const { dumpKey, manifestKey } = await addDump(store, "2026-01-10", { gz: true });
        const dumpBytes = await readAll(store, dumpKey);
        const manifestText = await store.readText(manifestKey);
        const r = await quarantineDump(store, "2026-01-10", "bad_dump", {
          prefix: "gghouse",
          now: new Date("2026-01-11T00:00:00Z"),
        });
        const folder = "quarantine/bad_dump/2026-01-10/";
        expect(r).toMatchObject({ folder, indexKey: MANUAL_QUARANTINE_INDEX, indexUpdated: true });
        expect(r.moved).toEqual([
          { from: dumpKey, to: `${folder}gghouse_20260110.sql.gz` },
          { from: manifestKey, to: `${folder}gghouse_20260110.original.json` },
        ]);
        expect((await readAll(store, `${folder}gghouse_20260110.sql.gz`)).equals(dumpBytes)).toBe(true);
        expect(await store.readText(`${folder}gghouse_20260110.original.json`)).toBe(manifestText);
        const invalid = JSON.parse((await store.readText(`${folder}gghouse_20260110.json`))!);
        expect(invalid).toMatchObject({
          valid_for_etl: false,
          invalid_reason: "quarantined: bad_dump",
          run_id: "run-2026-01-10",
        });
        expect(await store.stat(dumpKey)).toBeUndefined();
        expect(await store.stat(manifestKey)).toBeUndefined();
        expect(JSON.parse((await store.readText(MANUAL_QUARANTINE_INDEX))!)).toEqual({
          entries: [
            {
              date: "2026-01-10",
              reason: "bad_dump",
              quarantined_at: "2026-01-11T00:00:00.000Z",
              moved_to: folder,
            },
          ],
        });
        expect(codes(await check(store, "2026-01-10"))).toEqual([
          "missing_dump",
          "missing_manifest",
          "quarantined",
        ]);
      });

      it("keeps refusing the date when upstream publishes it again", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-10");
        await quarantineDump(store, "2026-01-10", "bad_dump", { prefix: "gghouse" });
        await addDump(store, "2026-01-10");
        expect(codes(await check(store, "2026-01-10"))).toEqual(["quarantined"]);
      });

      it("is idempotent and never overwrites an earlier quarantine", async () => {
        const store = await newStore();
        await addDump(store, "2026-01-10");
        await quarantineDump(store, "2026-01-10", "bad_dump", { prefix: "gghouse" });
        const again = await quarantineDump(store, "2026-01-10", "bad_dump", { prefix: "gghouse" });
        expect(again).toMatchObject({ moved: [], written: [], indexUpdated: false });
        const { dumpKey } = await addDump(store, "2026-01-10", { body: "second dump" });
        await expect(
          quarantineDump(store, "2026-01-10", "bad_dump", { prefix: "gghouse" }),
        ).rejects.toBeInstanceOf(StoreError);
        expect(await store.readText(dumpKey)).toBe("second dump");
        const other = await quarantineDump(store, "2026-01-10", "second_look", { prefix: "gghouse" });
        expect(other.moved.map((m) => m.to)).toContain(
          "quarantine/second_look/2026-01-10/gghouse_20260110.sql",
        );
        const index = JSON.parse((await store.readText(MANUAL_QUARANTINE_INDEX))!) as { entries: unknown[] };
        expect(index.entries).toHaveLength(2);
      });

      it("records a date that has no dump yet, so a late dump is refused", async () => {
        const store = await newStore();
        const r = await quarantineDump(store, "2026-01-10", "known_bad", { prefix: "gghouse" });
        expect(r).toMatchObject({ moved: [], written: [], indexUpdated: true });
        expect(await store.list("quarantine/")).toEqual([]);
      });
    });

    it("archives a processed dump by copying it and writing a tag", async () => {
      const store = await newStore();
      const { dumpKey, sha256 } = await addDump(store, "2026-01-10", { gz: true });
      const r = await archiveProcessedDump(store, "2026-01-10", {
        prefix: "gghouse",
        runId: "r1",
        sha256,
        now: new Date("2026-01-10T22:00:00Z"),
      });
      expect(r.copied.map((c) => c.to)).toEqual([
        "processed/gghouse_20260110.sql.gz",
        "processed/gghouse_20260110.json",
      ]);
      expect(await store.stat(dumpKey)).toBeDefined();
      expect(JSON.parse((await store.readText(r.tagKey))!)).toEqual({
        date: "2026-01-10",
        dump_key: dumpKey,
        processed_at: "2026-01-10T22:00:00.000Z",
        run_id: "r1",
        dump_sha256: sha256,
      });
      await expect(archiveProcessedDump(store, "2026-01-11", { prefix: "gghouse" })).rejects.toBeInstanceOf(
        StoreError,
      );
    });

    it("lists every date from the first to the last, missing ones included", async () => {
      const store = await newStore();
      await addDump(store, "2026-01-10");
      await addDump(store, "2026-01-13", { noDump: true });
      const list = await listDumpStatuses(store, SETTINGS, { checksum: "verify" });
      expect(list.dates.map((d) => [d.date, d.valid, codes(d)])).toEqual([
        ["2026-01-10", true, []],
        ["2026-01-11", false, ["missing_dump", "missing_manifest"]],
        ["2026-01-12", false, ["missing_dump", "missing_manifest"]],
        ["2026-01-13", false, ["missing_dump"]],
      ]);
      const window = await listDumpStatuses(store, SETTINGS, { from: "2026-01-12", to: "2026-01-12" });
      expect(window.dates.map((d) => d.date)).toEqual(["2026-01-12"]);
    });
  });
}
