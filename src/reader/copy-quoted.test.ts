import { describe, expect, it } from "vitest";
import { copyQuoted } from "./copy-quoted.js";
import { newQuotedScan } from "./scan-quoted.js";

/** MySQL's escaping of a string's bytes, as mysqldump writes them between single quotes. */
function escapeMysql(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  const special: Record<number, number> = { 0x00: 0x30, 0x0a: 0x6e, 0x0d: 0x72, 0x1a: 0x5a, 0x5c: 0x5c };
  for (const b of bytes) {
    if (b in special) out.push(0x5c, special[b]!);
    else if (b === 0x27 || b === 0x22) out.push(0x5c, b);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Deterministic bytes, dense in bytes that need escaping (as in binary BLOB columns). */
function someBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const r = x >>> 24;
    bytes[i] = r < 40 ? [0x00, 0x0a, 0x0d, 0x1a, 0x5c, 0x27, 0x22, 0x25][r % 8]! : r;
  }
  return bytes;
}

function unescapeWhole(literal: Buffer, from: number): { end: number; content: Buffer } {
  const out = Buffer.alloc(literal.length);
  const scan = newQuotedScan();
  const end = copyQuoted(literal, from, 0x27, out, 0, scan);
  return { end, content: out.subarray(0, scan.written) };
}

describe("copyQuoted", () => {
  it("unescapes every length and alignment, with escapes at every position of a four-byte word", () => {
    for (let length = 0; length < 150; length++) {
      for (let pad = 0; pad < 5; pad++) {
        const bytes = someBytes(length, length * 7 + pad);
        const literal = Buffer.concat([
          Buffer.alloc(pad, 0x20),
          Buffer.from("'"),
          escapeMysql(bytes),
          Buffer.from("',1"),
        ]);
        const { end, content } = unescapeWhole(literal, pad + 1);
        expect(end).toBe(literal.length - 3);
        expect(Buffer.compare(content, Buffer.from(bytes))).toBe(0);
      }
    }
  });

  it("copies long runs without escapes and stops at a doubled quote or the closing quote", () => {
    const text = Buffer.from("日本語のテキスト".repeat(40), "utf8");
    const literal = Buffer.concat([Buffer.from("'"), text, Buffer.from("''"), text, Buffer.from("\\\\x',2")]);
    const { end, content } = unescapeWhole(literal, 1);
    expect(end).toBe(literal.length - 3);
    expect(content.toString("utf8")).toBe(`${text.toString("utf8")}'${text.toString("utf8")}\\x`);
  });
});
