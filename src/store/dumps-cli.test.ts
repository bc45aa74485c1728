/** `tokyobeta dumps ...` commands, run in process (and twice end to end through the real CLI). */
import { captureIO as capture } from "../../test/support/capture-io.js";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, UsageError } from "../errors.js";
import { dumpsList, dumpsQuarantine, dumpsSelect, dumpsVerify } from "../cli/commands/dumps.js";
import { LocalDumpStore } from "./local-dump-store.js";
import { addDump, SOURCE } from "./testing/store-fixture.js";
import { useTempDirs } from "./testing/temp-dirs.js";

const { dir } = useTempDirs();

/** A store with a valid 2026-01-10, nothing on 01-11, a drifted 01-12. */
async function world(): Promise<{ root: string; store: LocalDumpStore }> {
  const root = await dir();
  const store = new LocalDumpStore(root);
  await addDump(store, "2026-01-10");
  await addDump(store, "2026-01-12", {
    manifest: { source_host: "old-db.internal", valid_for_etl: false, invalid_reason: "wrong server" },
  });
  return { root, store };
}

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await dir();
  vi.stubEnv("TOKYOBETA_CONFIG", "");
  vi.stubEnv("TOKYOBETA_CACHE_DIR", cacheDir);
  vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_HOST", SOURCE.host);
  vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_DATABASE", SOURCE.database);
  vi.stubEnv("TOKYOBETA_DUMP_PREFIX", "");
  vi.stubEnv("DAILY_MAX_DUMP_STALE_DAYS", "");
  vi.stubEnv("DAILY_TARGET_DATE", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("dumps list", () => {
  it("prints one line per date with every reason, missing dates included, and exits 0", async () => {
    const { root } = await world();
    const io = capture();
    expect(await dumpsList({ store: root }, io)).toBe(0);
    const lines = io.stdout().split("\n");
    expect(lines[0]).toMatch(/^date\s+status\s+dump\s+checksum\s+reasons/);
    expect(lines[2]).toMatch(/^2026-01-10\s+valid\s+gghouse_20260110\.sql\s+verified\s*$/);
    expect(lines[3]).toMatch(/^2026-01-11\s+rejected\s+-\s+dump missing: .*; manifest missing/);
    expect(lines[4]).toMatch(
      /^2026-01-12\s+rejected\s+gghouse_20260112\.sql\s+verified\s+manifest marks the dump not valid for ETL: wrong server; source drift: source_host expected/,
    );
    expect(io.stderr()).toContain(`expected source ${SOURCE.host} / ${SOURCE.database} from settings`);
  });

  it("reuses verified checksums on the next listing, and skips them with --no-checksum", async () => {
    const { root } = await world();
    await dumpsList({ store: root }, capture());
    const again = capture();
    await dumpsList({ store: root }, again);
    expect(again.stdout()).toMatch(/2026-01-10\s+valid\s+\S+\s+verified \(cached\)/);
    const skipped = capture();
    await dumpsList({ store: root, checksum: false }, skipped);
    expect(skipped.stdout()).toMatch(/2026-01-10\s+valid\s+\S+\s+skipped/);
  });

  it("speaks JSON, one object per date with every reason's details", async () => {
    const { root } = await world();
    const io = capture();
    await dumpsList({ store: root, json: true, from: "2026-01-12", to: "2026-01-13" }, io);
    const rows = io
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.date, r.status])).toEqual([
      ["2026-01-12", "rejected"],
      ["2026-01-13", "rejected"],
    ]);
    expect(rows[0]?.rejections).toEqual([
      expect.objectContaining({ code: "not_valid_for_etl", invalidReason: "wrong server" }),
      expect.objectContaining({
        code: "source_drift",
        found: { host: "old-db.internal", database: SOURCE.database },
      }),
    ]);
  });

  it("says where the expected source came from when it is the store's source.json", async () => {
    const { root, store } = await world();
    vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_HOST", "");
    vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_DATABASE", "");
    await store.put(
      "source.json",
      JSON.stringify({ source_host: SOURCE.host, source_database: SOURCE.database }),
    );
    const io = capture();
    expect(await dumpsList({ store: root }, io)).toBe(0);
    expect(io.stderr()).toContain(`from ${root}/source.json, as no expected_source is configured`);
  });

  it("fails with a configuration error naming the settings when there is no expected source", async () => {
    const { root } = await world();
    vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_HOST", "");
    vi.stubEnv("TOKYOBETA_EXPECTED_SOURCE_DATABASE", "");
    const err = await dumpsList({ store: root }, capture()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/expected_source\.host .*TOKYOBETA_EXPECTED_SOURCE_HOST/);
  });
});

describe("dumps verify", () => {
  it("exits 0 for a valid date", async () => {
    const { root } = await world();
    const io = capture();
    expect(await dumpsVerify("2026-01-10", { store: root }, io)).toBe(0);
    expect(io.stdout()).toMatch(/^2026-01-10: valid/);
    expect(io.stdout()).toMatch(/checksum verified/);
  });

  it("exits 1 for a rejected date, printing every reason", async () => {
    const { root } = await world();
    const io = capture();
    expect(await dumpsVerify("2026-01-12", { store: root }, io)).toBe(1);
    expect(io.stdout()).toMatch(/^2026-01-12: rejected/);
    expect(io.stdout()).toMatch(
      /not_valid_for_etl\s+manifest marks the dump not valid for ETL: wrong server/,
    );
    expect(io.stdout()).toMatch(/source_drift\s+source drift: source_host expected/);
  });

  it("refuses a date that is not YYYY-MM-DD", async () => {
    await expect(dumpsVerify("2026-13-01", { store: await dir() }, capture())).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe("dumps select", () => {
  it("names the dump for the target date, or exits 1 listing every rejected candidate", async () => {
    const { root } = await world();
    const ok = capture();
    expect(await dumpsSelect({ store: root, date: "2026-01-10" }, ok)).toBe(0);
    expect(ok.stdout()).toMatch(/^target 2026-01-10: use dumps\/gghouse_20260110\.sql/);
    const none = capture();
    expect(await dumpsSelect({ store: root, date: "2026-01-12", maxStaleDays: "1" }, none)).toBe(1);
    expect(none.stdout()).toMatch(/no valid dump within 1 day/);
    expect(none.stdout()).toMatch(/2026-01-12\s+rejected/);
    expect(none.stdout()).toMatch(/2026-01-11\s+rejected/);
    expect(none.stdout()).toMatch(/2026-01-10\s+rejected.*too stale: 2 days/);
    const wider = capture();
    expect(await dumpsSelect({ store: root, date: "2026-01-12", maxStaleDays: "2", json: true }, wider)).toBe(
      0,
    );
    expect(JSON.parse(wider.stdout())).toMatchObject({
      target_date: "2026-01-12",
      chosen: { date: "2026-01-10" },
    });
  });
});

describe("dumps quarantine", () => {
  it("prints what moved where, and the date is then listed as quarantined", async () => {
    const { root } = await world();
    const io = capture();
    expect(await dumpsQuarantine("2026-01-10", { store: root, reason: "bad_dump" }, io)).toBe(0);
    expect(io.stdout()).toContain(
      "moved  dumps/gghouse_20260110.sql -> quarantine/bad_dump/2026-01-10/gghouse_20260110.sql",
    );
    expect(io.stdout()).toContain("index  dumps-manifest/quarantine_index_manual.json updated");
    const list = capture();
    await dumpsList({ store: root, from: "2026-01-10", to: "2026-01-10" }, list);
    expect(list.stdout()).toMatch(/2026-01-10\s+rejected.*quarantined \(reason bad_dump/);
  });
});

describe("the tokyobeta CLI, end to end", () => {
  const main = path.resolve(import.meta.dirname, "../cli/main.ts");
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", main, ...args], {
      env: { ...process.env, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it("verifies a rejected date with exit code 1 and a missing expected source with exit code 2", async () => {
    const { root } = await world();
    const env = {
      TOKYOBETA_CACHE_DIR: cacheDir,
      TOKYOBETA_EXPECTED_SOURCE_HOST: SOURCE.host,
      TOKYOBETA_EXPECTED_SOURCE_DATABASE: SOURCE.database,
    };
    const rejected = await run(["dumps", "verify", "2026-01-12", "--store", root], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/source_drift/);
    const valid = await run(["dumps", "verify", "2026-01-10", "--store", root, "--json"], env);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({
      date: "2026-01-10",
      status: "valid",
      checksum: "verified",
    });
    const unconfigured = await run(["dumps", "list", "--store", root], {
      ...env,
      TOKYOBETA_EXPECTED_SOURCE_HOST: "",
      TOKYOBETA_EXPECTED_SOURCE_DATABASE: "",
    });
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toMatch(/^error: no expected source configured/m);
  });
});
