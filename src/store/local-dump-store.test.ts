import { afterAll } from "vitest";
import { LocalDumpStore } from "./local-dump-store.js";
import { runCandidateSuite } from "./testing/candidate-suite.js";
import { runDumpStoreSuite } from "./testing/dump-store-suite.js";
import { tempDir } from "./testing/store-fixture.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

async function newStore(): Promise<LocalDumpStore> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return new LocalDumpStore(t.dir);
}

runDumpStoreSuite("local folder", newStore);
runCandidateSuite("local folder", newStore);
