import { describe, expect, it } from "vitest";
import { ESCAPED, newQuotedScan } from "./scan-quoted.js";
import { unescapeInto } from "./unescape-into.js";

/** MySQL's rules, one byte at a time: what unescapeInto must produce. */
function referenceUnescape(content: Buffer, quote: number): Buffer {
  const out: number[] = [];
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (c === quote) {
      out.push(quote); // first of a doubled pair
      i++;
    } else if (c === 0x5c) {
      const e = content[++i]!;
      if (e === 0x25 || e === 0x5f) out.push(0x5c);
      out.push(ESCAPED[e]!);
    } else {
      out.push(c);
    }
  }
  return Buffer.from(out);
}

/**
 * The content of a literal quoted with `quote`, as a dump writes it: runs of plain bytes
 * (some longer than the 64-byte copy threshold), backslash escapes close together and far
 * apart, \% and \_, doubled quotes and the other quote unescaped.
 */
function someContent(seed: number, quote: number): Buffer {
  // mulberry32: successive draws independent enough that every piece follows every other
  let x = seed >>> 0;
  const random = (n: number) => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const other = quote === 0x27 ? 0x22 : 0x27;
  const parts: number[] = [];
  const pieces = 1 + random(12);
  for (let p = 0; p < pieces; p++) {
    const kind = random(7);
    if (kind === 0) parts.push(quote, quote);
    else if (kind === 1)
      parts.push(
        0x5c,
        [0x30, 0x62, 0x6e, 0x72, 0x74, 0x5a, 0x25, 0x5f, 0x5c, quote, other, 0x41][random(12)]!,
      );
    else if (kind === 2) parts.push(other);
    else {
      // plain bytes: short, around the 16-byte look-ahead, or past the 64-byte native copy
      const length = [random(4), 14 + random(6), 60 + random(80)][kind % 3]!;
      for (let i = 0; i < length; i++) parts.push(0x61 + random(26));
    }
  }
  return Buffer.from(parts);
}

describe("unescapeInto", () => {
  it("matches MySQL's rules on thousands of literals with single and double quotes", () => {
    for (const quote of [0x27, 0x22]) {
      for (let seed = 1; seed <= 3000; seed++) {
        const content = someContent(seed, quote);
        // the literal sits inside a larger buffer, as in a dump chunk, with escapes after it
        const buf = Buffer.concat([
          Buffer.from("(1,"),
          Buffer.from([quote]),
          content,
          Buffer.from([quote]),
          Buffer.from(",'\\n\\t')"),
        ]);
        const a = 4;
        const b = a + content.length;
        const out = Buffer.alloc(content.length);
        const written = unescapeInto(buf, a, b, quote, out, newQuotedScan());
        expect({ seed, quote, value: out.subarray(0, written).toString("latin1") }).toEqual({
          seed,
          quote,
          value: referenceUnescape(content, quote).toString("latin1"),
        });
      }
    }
  });

  it("finds the next escape after plain runs of every length (the 16-byte look-ahead, the 64-byte copy)", () => {
    for (let n = 0; n <= 140; n++) {
      for (const [first, second] of [
        ["\\n", "\\t"],
        ["''", "\\0"],
        ["\\\\", "''"],
      ] as const) {
        const content = Buffer.from(`${first}${"a".repeat(n)}${second}${"b".repeat(n % 7)}${first}`);
        const out = Buffer.alloc(content.length);
        const written = unescapeInto(content, 0, content.length, 0x27, out, newQuotedScan());
        expect({ n, first, value: out.subarray(0, written).toString("latin1") }).toEqual({
          n,
          first,
          value: referenceUnescape(content, 0x27).toString("latin1"),
        });
      }
    }
  });

  it("resolves the control escapes and keeps the backslash of \\% and \\_", () => {
    const content = Buffer.from("a\\0b\\bc\\nd\\re\\tf\\Zg\\%h\\_i\\\\j\\'k''l\\qm");
    const out = Buffer.alloc(content.length);
    const written = unescapeInto(content, 0, content.length, 0x27, out, newQuotedScan());
    expect([...out.subarray(0, written)]).toEqual([
      ...Buffer.from("a"),
      0x00,
      ...Buffer.from("b"),
      0x08,
      ...Buffer.from("c"),
      0x0a,
      ...Buffer.from("d"),
      0x0d,
      ...Buffer.from("e"),
      0x09,
      ...Buffer.from("f"),
      0x1a,
      ...Buffer.from("g\\%h\\_i\\j'k'lqm"),
    ]);
  });

  it("uses the scan's cached backslash position without reading past the literal", () => {
    const literal = Buffer.from("x".repeat(100) + "\\n" + "y".repeat(100));
    const buf = Buffer.concat([literal, Buffer.from("'\\t")]);
    const scan = newQuotedScan();
    const out = Buffer.alloc(literal.length);
    const written = unescapeInto(buf, 0, literal.length, 0x27, out, scan);
    expect(out.subarray(0, written).toString()).toBe("x".repeat(100) + "\n" + "y".repeat(100));
    // a second call on the same buffer reuses the cache and gives the same bytes
    const again = Buffer.alloc(literal.length);
    expect(unescapeInto(buf, 0, literal.length, 0x27, again, scan)).toBe(written);
    expect(again.subarray(0, written).equals(out.subarray(0, written))).toBe(true);
  });
});
