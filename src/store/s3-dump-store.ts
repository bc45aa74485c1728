/**
 * DumpStore over an S3 bucket (or any S3-compatible endpoint). The store is named
 * `s3://bucket/prefix`; keys are relative to the prefix. Credentials come from the AWS
 * default provider chain (environment, shared config, SSO, instance role); never from files
 * in this repository.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { ConfigError } from "../errors.js";
import { byKey, checkKey, type DumpStore, type StoreObjectInfo } from "./dump-store.js";
import { StoreError } from "./store-error.js";

/** CopyObject copies at most 5 GiB in one request. */
const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing '/', possibly empty. */
  prefix: string;
}

/** Parses `s3://bucket/prefix/...`; throws a ConfigError for anything else. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m) throw new ConfigError(`store '${url}' is not of the form s3://bucket/prefix`);
  const prefix = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket: m[1]!, prefix };
}

export interface S3DumpStoreOptions {
  url: string;
  endpoint?: string;
  region: string;
  forcePathStyle?: boolean;
  /** Only for tests against a local S3 server; production uses the default provider chain. */
  credentials?: S3ClientConfig["credentials"];
}

export class S3DumpStore implements DumpStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;

  constructor(options: S3DumpStoreOptions) {
    const { bucket, prefix } = parseS3Url(options.url);
    this.bucket = bucket;
    this.prefix = prefix;
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Only send/validate checksums when an operation requires them: S3-compatible servers
      // often do not understand the newer flexible-checksum trailers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  private full(key: string): string {
    checkKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private relative(fullKey: string): string {
    return this.prefix ? fullKey.slice(this.prefix.length + 1) : fullKey;
  }

  private where(key: string): string {
    return `${this.location}/${key}`;
  }

  async list(prefix: string): Promise<StoreObjectInfo[]> {
    const fullPrefix = this.prefix ? `${this.prefix}/${prefix}` : prefix;
    const out: StoreObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list ${this.location}/${prefix}`, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: fullPrefix, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith("/")) continue;
        out.push({
          key: this.relative(o.Key),
          size: o.Size ?? 0,
          modifiedAt: o.LastModified ?? new Date(0),
          version: `etag:${o.ETag ?? ""}`,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort(byKey);
  }

  async stat(key: string): Promise<StoreObjectInfo | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.full(key) }),
      );
      return {
        key,
        size: head.ContentLength ?? 0,
        modifiedAt: head.LastModified ?? new Date(0),
        version: `etag:${head.ETag ?? ""}`,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw wrap(`stat ${this.where(key)}`, err);
    }
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
      return got.Body ? await got.Body.transformToString("utf-8") : "";
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw wrap(`read ${this.where(key)}`, err);
    }
  }

  async openRead(key: string): Promise<Readable> {
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
      if (got.Body instanceof Readable) return got.Body;
      if (!got.Body) return Readable.from([]);
      return Readable.fromWeb(got.Body.transformToWebStream() as Parameters<typeof Readable.fromWeb>[0]);
    } catch (err) {
      if (isNotFound(err)) throw new StoreError(`${this.where(key)} does not exist`);
      throw wrap(`read ${this.where(key)}`, err);
    }
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    await this.call(`write ${this.where(key)}`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.full(key),
          Body: body,
          ContentType: key.endsWith(".json") ? "application/json" : "application/octet-stream",
        }),
      ),
    );
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const info = await this.stat(fromKey);
    if (!info) throw new StoreError(`cannot copy ${this.where(fromKey)}: it does not exist`);
    if (info.size > MAX_SINGLE_COPY_BYTES) {
      throw new StoreError(`cannot copy ${this.where(fromKey)}: objects over 5 GiB need a multipart copy`);
    }
    const source = `${this.bucket}/${this.full(fromKey)}`.split("/").map(encodeURIComponent).join("/");
    await this.call(`copy ${this.where(fromKey)} to ${this.where(toKey)}`, () =>
      this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: this.full(toKey), CopySource: source }),
      ),
    );
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    const before = await this.stat(fromKey);
    await this.copy(fromKey, toKey);
    const after = await this.stat(toKey);
    if (!after || !before || after.size !== before.size) {
      throw new StoreError(
        `move ${this.where(fromKey)} -> ${this.where(toKey)}: the copy is not complete; the source was kept`,
      );
    }
    await this.call(`delete ${this.where(fromKey)} after copying it`, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.full(fromKey) })),
    );
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrap(what, err);
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.$metadata?.httpStatusCode === 404;
}

function wrap(what: string, err: unknown): StoreError {
  const e = err as { name?: string; message?: string };
  return new StoreError(`S3: cannot ${what}: ${e?.name ?? "error"}: ${e?.message ?? String(err)}`, {
    cause: err,
  });
}
