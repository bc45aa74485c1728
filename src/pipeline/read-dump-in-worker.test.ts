import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticDump } from "../reader/test-dump-builder.js";
import { readDumpInWorker } from "./read-dump-in-worker.js";

const dir = mkdtempSync(path.join(tmpdir(), "tb-worker-read-"));
const dumpPath = path.join(dir, "dump.sql");
const dump = Buffer.concat([...syntheticDump({ targetBytes: 6e6, seed: 5, insertBytes: 100_000 })]);
writeFileSync(dumpPath, dump);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes one event, waits while the worker runs ahead, and reports how far it got. */
async function queuedWhileStalled(readAheadBytes: number): Promise<{ queued: number; events: number }> {
  const reading = readDumpInWorker(
    { kind: "file", path: dumpPath },
    { file: "dump.sql", readAheadBytes, batchBytes: 100_000 },
  );
  const it = reading.events[Symbol.asyncIterator]();
  await it.next();
  await sleep(1500);
  const queued = reading.queued();
  let events = 1;
  while (!(await it.next()).done) events++;
  expect(reading.sqlBytesRead()).toBe(dump.length);
  return { queued, events };
}

describe("readDumpInWorker read-ahead", () => {
  it("stops reading ahead of a stalled consumer at its byte budget, and reads everything once resumed", async () => {
    const small = await queuedWhileStalled(150_000);
    const large = await queuedWhileStalled(64 << 20);
    // batches are ~100 kB of SQL here: a 150 kB budget allows two events ahead
    expect(small.queued).toBeLessThanOrEqual(3);
    expect(large.queued).toBeGreaterThan(small.queued + 10);
    expect(small.events).toBe(large.events);
  }, 30_000);
});
