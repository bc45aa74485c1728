import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseS3Url } from "./s3-dump-store.js";
import { startLocalS3, type LocalS3Server } from "./testing/local-s3-server.js";
import { runCandidateSuite } from "./testing/candidate-suite.js";
import { runDumpStoreSuite } from "./testing/dump-store-suite.js";

let server: LocalS3Server;
beforeAll(async () => {
  server = await startLocalS3();
});
afterAll(async () => {
  await server?.stop();
});

const newStore = async () => server.newStore();

describe("s3://bucket/prefix", () => {
  it("splits bucket and prefix, tolerating slashes", () => {
    expect(parseS3Url("s3://b/a/b/")).toEqual({ bucket: "b", prefix: "a/b" });
    expect(parseS3Url("s3://b")).toEqual({ bucket: "b", prefix: "" });
    expect(() => parseS3Url("s3:/b")).toThrow(/s3:\/\/bucket\/prefix/);
  });
});

runDumpStoreSuite("S3 (s3rver)", newStore);
runCandidateSuite("S3 (s3rver)", newStore);
