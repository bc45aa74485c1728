/**
 * Test support: writes small fake dumps and manifests (with real SHA-256) into any DumpStore,
 * and temp folders that clean up after themselves. Not used by production code.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { DumpStore } from "../dump-store.js";
import { dumpKeys, manifestKey } from "../store-layout.js";

export const SOURCE = { host: "pms-db-1.internal", database: "gghouse" };
export const SETTINGS = {
  dumpPrefix: "gghouse",
  expectedSourceHost: SOURCE.host,
  expectedSourceDatabase: SOURCE.database,
  maxDumpStaleDays: 0,
} as const;

export interface DumpFixture {
  /** Dump content; default a tiny mysqldump-like text naming the date. */
  body?: string;
  gz?: boolean;
  /** Fields to override or add in the manifest (undefined values remove the field). */
  manifest?: Record<string, unknown>;
  /** Write this exact manifest text instead. */
  manifestText?: string;
  noManifest?: boolean;
  noDump?: boolean;
}

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function goodManifest(date: string, sha: string, bytes: number): Record<string, unknown> {
  return {
    source_host: SOURCE.host,
    source_database: SOURCE.database,
    run_id: `run-${date}`,
    dump_sha256: sha,
    valid_for_etl: true,
    max_updated_at_by_table: { movings: `${date}T04:59:59+09:00`, tenants: `${date}T04:58:00+09:00` },
    generated_at: `${date}T05:31:00+09:00`,
    dump_bytes: bytes,
  };
}

/** Writes a dump and its manifest for `date`; returns the dump key and its SHA-256. */
export async function addDump(
  store: DumpStore,
  date: string,
  fixture: DumpFixture = {},
  prefix = "gghouse",
): Promise<{ dumpKey: string; sha256: string; manifestKey: string }> {
  const text =
    fixture.body ?? `-- MySQL dump for ${date}\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n`;
  const bytes = fixture.gz ? gzipSync(Buffer.from(text)) : Buffer.from(text);
  const keys = dumpKeys(prefix, date);
  const dumpKey = fixture.gz ? keys.gz : keys.sql;
  const sha = sha256Hex(bytes);
  if (!fixture.noDump) await store.put(dumpKey, bytes);
  const mKey = manifestKey(prefix, date);
  if (!fixture.noManifest) {
    const doc = { ...goodManifest(date, sha, bytes.length), ...(fixture.manifest ?? {}) };
    for (const [k, v] of Object.entries(doc)) if (v === undefined) delete doc[k];
    await store.put(mKey, fixture.manifestText ?? JSON.stringify(doc, null, 2));
  }
  return { dumpKey, sha256: sha, manifestKey: mKey };
}

export async function tempDir(
  prefix = "tokyobeta-store-",
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a whole object into a string (for assertions). */
export async function readAll(store: DumpStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await store.openRead(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
