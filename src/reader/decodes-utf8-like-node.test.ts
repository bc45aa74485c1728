import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "./decode-utf8.js";

/** Small seeded PRNG, for reproducible fuzzing. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const same = (bytes: Buffer, a = 0, b = bytes.length) => {
  const ours = decodeUtf8(bytes, a, b);
  const node = bytes.toString("utf8", a, b);
  if (ours !== node)
    expect({ hex: bytes.subarray(a, b).toString("hex"), ours }).toEqual({ hex: "", ours: node });
};

describe("decoding UTF-8 text exactly as Buffer.toString does", () => {
  it("decodes well-formed text of every length and plane", () => {
    const samples = [
      "",
      "ascii only, long enough to skip the short-string path",
      "東京都新宿区高田馬場１－２－３ シェアハウス 入居のお知らせ",
      "mixed: café ñ ß ü — “quotes” … 😀🏠🇯🇵 𠮷野家 and \u0000 NUL and \uFFFF max BMP and \u{10FFFF}",
      "x".repeat(40) + "é",
      "é" + "x".repeat(40),
      "😀".repeat(1000),
    ];
    for (const s of samples) {
      const bytes = Buffer.from(s, "utf8");
      same(bytes);
      expect(decodeUtf8(bytes, 0, bytes.length)).toBe(s);
    }
  });

  it("falls back to Node's replacement rules for malformed bytes", () => {
    const prefix = Buffer.from("ここから始まる文字列 with enough bytes to take the fast path: ");
    const bad = [
      "80",
      "bf",
      "c0af", // overlong
      "c1bf",
      "e08080", // overlong
      "eda080", // surrogate
      "edbfbf",
      "f0808080", // overlong
      "f4908080", // > U+10FFFF
      "f5808080",
      "ff",
      "e3", // truncated at the end
      "e381",
      "f09f98",
      "c3",
      "e341", // bad continuation
      "f09f4180",
    ];
    for (const hex of bad) {
      same(Buffer.concat([prefix, Buffer.from(hex, "hex")]));
      same(Buffer.concat([prefix, Buffer.from(hex, "hex"), Buffer.from("後続のテキスト")]));
    }
  });

  it("matches on random byte strings, random code points, and sub-ranges", () => {
    const rand = prng(99);
    for (let round = 0; round < 3000; round++) {
      const len = Math.floor(rand() * 120);
      let bytes: Buffer;
      if (round % 3 === 0) {
        bytes = Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)));
      } else {
        const cps = Array.from({ length: len }, () => {
          const r = rand();
          const cp =
            r < 0.3
              ? Math.floor(rand() * 0x80)
              : r < 0.5
                ? 0x80 + Math.floor(rand() * 0x780)
                : r < 0.85
                  ? 0x800 + Math.floor(rand() * 0xf800)
                  : 0x10000 + Math.floor(rand() * 0x100000);
          return cp >= 0xd800 && cp <= 0xdfff ? 0x41 : cp;
        });
        bytes = Buffer.from(String.fromCodePoint(...cps), "utf8");
        if (round % 3 === 2 && bytes.length > 0)
          bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      }
      same(bytes);
      const a = Math.floor(rand() * bytes.length);
      same(bytes, a, a + Math.floor(rand() * (bytes.length - a)));
    }
  });
});
