/**
 * Where Parquet files go: a local folder, or `s3://bucket/prefix`. Files are always written
 * to a local folder first (DuckDB writes files); for S3 they are then uploaded with the dump
 * store's S3 client (same endpoint, region and credential chain settings) and each upload is
 * read back and compared by sha256.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Settings } from "../config/settings.js";
import { S3DumpStore } from "../store/s3-dump-store.js";

export type DestinationSettings = Pick<Settings, "s3Endpoint" | "s3Region" | "s3ForcePathStyle">;

export interface ParquetDestination {
  /** As given: a folder or s3://bucket/prefix. */
  readonly location: string;
  /** The local folder files are written into (the destination, or a local copy for S3). */
  readonly localDir: string;
  readonly remote: boolean;
  /** Whether the destination already holds a file at this relative path. */
  exists(relative: string): Promise<boolean>;
  /** Uploads local files (relative paths) to S3, verifying each; nothing to do locally. */
  publish(relatives: readonly string[]): Promise<void>;
  /** Removes a temporary local copy (not a kept one). */
  cleanup(): Promise<void>;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Opens a destination. For S3, `localCopy` is a folder kept as the local copy (the archive
 * keeps one under the warehouse); without it a temporary folder is used and removed.
 */
export async function openDestination(
  out: string,
  settings: DestinationSettings,
  localCopy?: string,
): Promise<ParquetDestination> {
  if (!out.startsWith("s3://")) {
    const dir = path.resolve(out);
    return {
      location: dir,
      localDir: dir,
      remote: false,
      exists: async (relative) =>
        readFile(path.join(dir, relative)).then(
          () => true,
          () => false,
        ),
      publish: async () => undefined,
      cleanup: async () => undefined,
    };
  }
  const store = new S3DumpStore({
    url: out,
    endpoint: settings.s3Endpoint,
    region: settings.s3Region,
    forcePathStyle: settings.s3ForcePathStyle,
  });
  const temporary = localCopy === undefined;
  const localDir = localCopy ?? (await mkdtemp(path.join(tmpdir(), "tokyobeta-parquet-")));
  return {
    location: store.location,
    localDir,
    remote: true,
    exists: async (relative) => (await store.stat(relative)) !== undefined,
    publish: async (relatives) => {
      for (const relative of relatives) {
        const key = relative.split(path.sep).join("/");
        const bytes = await readFile(path.join(localDir, relative));
        await store.put(key, bytes);
        const chunks: Buffer[] = [];
        for await (const chunk of await store.openRead(key)) chunks.push(chunk as Buffer);
        if (sha256(Buffer.concat(chunks)) !== sha256(bytes)) {
          throw new Error(
            `upload of ${key} to ${store.location} does not read back identical (sha256 differs)`,
          );
        }
      }
    },
    cleanup: async () => {
      if (temporary) await rm(localDir, { recursive: true, force: true });
    },
  };
}
