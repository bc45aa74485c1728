/** DumpStore over a local folder. */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { byKey, checkKey, type DumpStore, type StoreObjectInfo } from "./dump-store.js";
import { StoreError } from "./store-error.js";

export class LocalDumpStore implements DumpStore {
  readonly location: string;

  constructor(root: string) {
    this.location = path.resolve(root);
  }

  private file(key: string): string {
    return path.join(this.location, ...checkKey(key).split("/"));
  }

  async list(prefix: string): Promise<StoreObjectInfo[]> {
    // Walk only the folder the prefix points into, then filter by the full prefix.
    const slash = prefix.lastIndexOf("/");
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : "";
    const out: StoreObjectInfo[] = [];
    const walk = async (relDir: string): Promise<void> => {
      const abs = relDir ? path.join(this.location, ...relDir.split("/")) : this.location;
      let entries;
      try {
        entries = await readdir(abs, { withFileTypes: true });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      for (const entry of entries) {
        const key = relDir ? `${relDir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          const info = await this.stat(key);
          if (info) out.push(info);
        }
      }
    };
    await walk(dirKey);
    return out.sort(byKey);
  }

  async stat(key: string): Promise<StoreObjectInfo | undefined> {
    try {
      const s = await stat(this.file(key));
      if (!s.isFile()) return undefined;
      return { key, size: s.size, modifiedAt: s.mtime, version: `mtime:${s.mtimeMs}:ino:${s.ino}` };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(key), "utf8");
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async openRead(key: string): Promise<Readable> {
    const file = this.file(key);
    if (!(await this.stat(key))) throw new StoreError(`${file} does not exist`);
    return createReadStream(file);
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write beside, then rename: a reader never sees half a manifest or index.
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    await writeFile(tmp, body);
    await rename(tmp, file);
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const from = this.file(fromKey);
    const to = this.file(toKey);
    if (!(await this.stat(fromKey))) throw new StoreError(`cannot copy ${from}: it does not exist`);
    await mkdir(path.dirname(to), { recursive: true });
    const tmp = `${to}.tmp-${process.pid}-${Date.now()}`;
    await copyFile(from, tmp);
    await rename(tmp, to);
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const from = this.file(fromKey);
    const to = this.file(toKey);
    if (!(await this.stat(fromKey))) throw new StoreError(`cannot move ${from}: it does not exist`);
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await rename(from, to); // same file system: atomic, the bytes are never in neither place
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      await this.copy(fromKey, toKey);
      await unlink(from);
    }
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
