/**
 * Writes a dump file with bounded memory: text is buffered up to ~1 MB, encoded, optionally
 * gzipped, and hashed (sha256 of the bytes as stored) in the same pass.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { once } from "node:events";
import { createGzip, type Gzip } from "node:zlib";

const FLUSH_AT = 1 << 20;

export class DumpSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private readonly gzip?: Gzip;
  private utf8Parts: string[] = [];
  private pending = 0;
  private bytesStored = 0;

  constructor(
    readonly file: string,
    options: { gzip: boolean },
  ) {
    this.fd = openSync(file, "w");
    if (options.gzip) {
      this.gzip = createGzip({ level: 6 });
      this.gzip.on("data", (chunk: Buffer) => this.store(chunk));
    }
  }

  /** Appends UTF-8 text. Call `flushIfFull` now and then to keep memory bounded. */
  write(text: string): void {
    this.utf8Parts.push(text);
    this.pending += text.length;
  }

  /** Appends raw bytes (rows that carry binary literals). */
  writeBytes(bytes: Buffer): void {
    this.flushText();
    this.emit(bytes);
  }

  get bufferedChars(): number {
    return this.pending;
  }

  async flushIfFull(): Promise<void> {
    if (this.pending < FLUSH_AT) return;
    this.flushText();
    if (this.gzip && this.gzip.writableNeedDrain) await once(this.gzip, "drain");
  }

  async close(): Promise<{ sha256: string; bytes: number }> {
    this.flushText();
    if (this.gzip) {
      this.gzip.end();
      await once(this.gzip, "end");
    }
    closeSync(this.fd);
    return { sha256: this.hash.digest("hex"), bytes: this.bytesStored };
  }

  private flushText(): void {
    if (this.utf8Parts.length === 0) return;
    const buf = Buffer.from(this.utf8Parts.join(""), "utf8");
    this.utf8Parts = [];
    this.pending = 0;
    this.emit(buf);
  }

  private emit(buf: Buffer): void {
    if (this.gzip) this.gzip.write(buf);
    else this.store(buf);
  }

  private store(buf: Buffer): void {
    this.hash.update(buf);
    writeSync(this.fd, buf);
    this.bytesStored += buf.length;
  }
}
