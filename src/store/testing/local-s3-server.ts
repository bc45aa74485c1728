/**
 * Test support: a real S3-protocol server (s3rver) on 127.0.0.1, a free port and a temp
 * directory, with one bucket. Not used by production code.
 */
import S3rver from "s3rver";
import { S3DumpStore } from "../s3-dump-store.js";
import { tempDir } from "./store-fixture.js";

export interface LocalS3Server {
  endpoint: string;
  bucket: string;
  /** A store on a fresh prefix of the bucket, so tests do not see each other's objects. */
  newStore(): S3DumpStore;
  stop(): Promise<void>;
}

export async function startLocalS3(bucket = "tokyobeta-dumps"): Promise<LocalS3Server> {
  const tmp = await tempDir("tokyobeta-s3rver-");
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: tmp.dir,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let n = 0;
  return {
    endpoint,
    bucket,
    newStore: () =>
      new S3DumpStore({
        url: `s3://${bucket}/t${++n}-${process.pid}/store`,
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      }),
    stop: async () => {
      await server.close();
      await tmp.cleanup();
    },
  };
}
