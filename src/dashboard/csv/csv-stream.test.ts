/** CSV downloads: BOM, quoting, chunked stream, file names. */
import { describe, expect, it } from "vitest";
import { csvField, csvFileName, csvStream, pagedCsvStream } from "./csv-stream.js";

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; chunks: number }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

describe("csv", () => {
  it("quotes fields holding quotes, commas and line breaks; nulls are empty", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField(null)).toBe("");
    expect(csvField(12n)).toBe("12");
    expect(csvField("新宿区")).toBe("新宿区");
  });

  it("streams a BOM, the header and every row, in several chunks for many rows", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      week_start: "2026-01-05",
      value: i,
      note: i === 3 ? "x,y" : "新宿",
    }));
    const { bytes, chunks } = await collect(csvStream(["week_start", "value", "note"], rows));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe("week_start,value,note");
    expect(lines[4]).toBe('2026-01-05,3,"x,y"');
    expect(lines).toHaveLength(5002); // header + rows + the empty string after the last CRLF
    expect(chunks).toBeGreaterThan(2);
  });

  it("pages: asks for pages until an empty one, calls done once at the end or on cancel", async () => {
    const pages = [[{ a: 1 }, { a: 2 }], [{ a: '3"' }], []];
    let asked = 0;
    let done = 0;
    const stream = pagedCsvStream(
      ["a"],
      async () => pages[asked++] ?? [],
      () => done++,
    );
    const { bytes } = await collect(stream);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(
      '\uFEFFa\r\n1\r\n2\r\n"3"""\r\n',
    );
    expect(asked).toBe(3);
    expect(done).toBe(1);

    let cancelled = 0;
    const endless = pagedCsvStream(
      ["a"],
      async () => [{ a: 1 }],
      () => cancelled++,
    );
    const reader = endless.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(cancelled).toBe(1);
  });

  it("names the file after page, table and date range", () => {
    expect(csvFileName("moveins", "weekly", { from: "2026-01-01", to: "2026-01-31" }, "2026-02-01")).toBe(
      "moveins_weekly_2026-01-01_2026-01-31.csv",
    );
    expect(csvFileName("funnel", "daily", {}, "2026-02-01")).toBe("funnel_daily_all_2026-02-01.csv");
  });
});
