/**
 * The one interface through which everything reaches dumps, manifests and quarantine
 * indexes. Keys are '/'-separated paths relative to the store root (`dumps/gghouse_20260110.sql`),
 * the same for a local folder and for an S3 bucket + prefix.
 */
import type { Readable } from "node:stream";
import { StoreError } from "./store-error.js";

export interface StoreObjectInfo {
  /** Key relative to the store root. */
  key: string;
  size: number;
  modifiedAt: Date;
  /**
   * Opaque token that changes whenever the object's bytes may have changed: the ETag on S3,
   * the modification time and inode on a folder. Used to key the checksum cache.
   */
  version: string;
}

export interface DumpStore {
  /** Where the store is, for messages and to key caches: an absolute folder or `s3://bucket/prefix`. */
  readonly location: string;
  /** Every object whose key starts with `prefix` (recursively), sorted by key. */
  list(prefix: string): Promise<StoreObjectInfo[]>;
  /** Size and version of one object, or undefined when it does not exist. */
  stat(key: string): Promise<StoreObjectInfo | undefined>;
  /** A small object (manifest, index) as UTF-8 text, or undefined when it does not exist. */
  readText(key: string): Promise<string | undefined>;
  /** The object's bytes as a stream; throws a StoreError when it does not exist. */
  openRead(key: string): Promise<Readable>;
  /** Writes a small object (manifest, index, tag; replacing it when it exists). Strings are UTF-8. */
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** Copies an object; the destination is replaced when it exists. */
  copy(fromKey: string, toKey: string): Promise<void>;
  /**
   * Moves an object: the bytes are at `toKey` before they are gone from `fromKey`, so an
   * interrupted move leaves two copies, never none.
   */
  move(fromKey: string, toKey: string): Promise<void>;
}

/** Orders objects by key (the order `list` returns). */
export function byKey(a: StoreObjectInfo, b: StoreObjectInfo): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Rejects keys that could escape the store root or are not plain relative paths. */
export function checkKey(key: string): string {
  if (
    key === "" ||
    key.startsWith("/") ||
    key.includes("\\") ||
    key.split("/").some((part) => part === ".." || part === "." || part === "")
  ) {
    throw new StoreError(`invalid store key '${key}'`);
  }
  return key;
}
