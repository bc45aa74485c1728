import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { LocalDumpStore } from "./local-dump-store.js";
import { openStore } from "./open-store.js";
import { S3DumpStore } from "./s3-dump-store.js";
import { useTempDirs } from "./testing/temp-dirs.js";

const { dir } = useTempDirs();
const base = { s3Endpoint: undefined, s3Region: "ap-northeast-1", s3ForcePathStyle: false };

describe("openStore", () => {
  it("opens a folder for a path and an S3 store for s3://", async () => {
    expect(openStore({ ...base, store: await dir() })).toBeInstanceOf(LocalDumpStore);
    const s3 = openStore({ ...base, store: "s3://my-bucket/pms/daily/" });
    expect(s3).toBeInstanceOf(S3DumpStore);
    expect(s3.location).toBe("s3://my-bucket/pms/daily");
  });

  it("refuses a folder that does not exist and other URL schemes", () => {
    expect(() => openStore({ ...base, store: "/nonexistent/tokyobeta-store" })).toThrow(ConfigError);
    expect(() => openStore({ ...base, store: "gs://bucket/x" })).toThrow(/only folders and s3/);
  });
});
