/** Test support: a DumpStore wrapper that counts calls (to prove the checksum cache avoids reads). */
import type { Readable } from "node:stream";
import type { DumpStore, StoreObjectInfo } from "../dump-store.js";

export class CountingStore implements DumpStore {
  readonly opened: string[] = [];
  constructor(private readonly inner: DumpStore) {}
  get location(): string {
    return this.inner.location;
  }
  list(prefix: string): Promise<StoreObjectInfo[]> {
    return this.inner.list(prefix);
  }
  stat(key: string): Promise<StoreObjectInfo | undefined> {
    return this.inner.stat(key);
  }
  readText(key: string): Promise<string | undefined> {
    return this.inner.readText(key);
  }
  openRead(key: string): Promise<Readable> {
    this.opened.push(key);
    return this.inner.openRead(key);
  }
  put(key: string, body: string | Uint8Array): Promise<void> {
    return this.inner.put(key, body);
  }
  copy(fromKey: string, toKey: string): Promise<void> {
    return this.inner.copy(fromKey, toKey);
  }
  move(fromKey: string, toKey: string): Promise<void> {
    return this.inner.move(fromKey, toKey);
  }
}
