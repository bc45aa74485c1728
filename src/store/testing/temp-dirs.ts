/** Test support: temp folders (and folder stores) removed after the test file. */
import { afterAll } from "vitest";
import { LocalDumpStore } from "../local-dump-store.js";
import { tempDir } from "./store-fixture.js";

export function useTempDirs(): { dir: () => Promise<string>; localStore: () => Promise<LocalDumpStore> } {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(cleanups.map((c) => c()));
  });
  const dir = async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
  return { dir, localStore: async () => new LocalDumpStore(await dir()) };
}
