import { describe, expect, it } from "vitest";
import { parseQuarantineIndex, quarantineMatches } from "./quarantine-index.js";

const KEY = "dumps-manifest/quarantine_index_test.json";
const parse = (doc: unknown) =>
  parseQuarantineIndex(KEY, typeof doc === "string" ? doc : JSON.stringify(doc));

describe("quarantine index", () => {
  it("reads the canonical shape: entries with a date or a from/to range", () => {
    const index = parse({
      entries: [
        { date: "2026-01-10", reason: "bad_dump" },
        { from: "2026-02-01", to: "2026-02-03", reason: "source_drift", note: "old server" },
      ],
    });
    expect(index.problems).toEqual([]);
    expect(quarantineMatches(index, "2026-01-10")).toEqual([{ reason: "bad_dump", indexKey: KEY }]);
    expect(quarantineMatches(index, "2026-02-01").map((m) => m.reason)).toEqual(["source_drift"]);
    expect(quarantineMatches(index, "2026-02-03").map((m) => m.reason)).toEqual(["source_drift"]);
    expect(quarantineMatches(index, "2026-02-04")).toEqual([]);
    expect(quarantineMatches(index, "2026-01-31")).toEqual([]);
  });

  it("reads leniently: a plain array, a single top-level entry, dates lists, reason_code, YYYYMMDD", () => {
    expect(quarantineMatches(parse([{ date: "20260110", reason: "x" }]), "2026-01-10")).toHaveLength(1);
    const single = parse({ dates: ["2026-01-10", "2026-01-12"], reason_code: "bad_dump" });
    expect(single.problems).toEqual([]);
    expect(quarantineMatches(single, "2026-01-12")).toEqual([{ reason: "bad_dump", indexKey: KEY }]);
    expect(quarantineMatches(single, "2026-01-11")).toEqual([]);
  });

  it("reports a date quarantined for several reasons once per reason", () => {
    const index = parse({
      entries: [
        { date: "2026-01-10", reason: "a" },
        { from: "2026-01-01", to: "2026-01-31", reason: "b" },
      ],
    });
    expect(quarantineMatches(index, "2026-01-10").map((m) => m.reason)).toEqual(["a", "b"]);
  });

  it("reports what is wrong with entries it cannot use, keeping the good ones", () => {
    const index = parse({
      entries: [
        { date: "2026-01-10", reason: "ok" },
        { date: "2026-02-30", reason: "x" },
        { from: "2026-01-05", reason: "x" },
        { from: "2026-01-05", to: "2026-01-01", reason: "x" },
        { date: "2026-01-10" },
        { reason: "x" },
        { date: "2026-01-10", reason: "has space" },
      ],
    });
    expect(index.entries).toHaveLength(1);
    expect(index.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^entry 1: date: expected a date/),
      "entry 2: a range needs both 'from' and 'to'",
      "entry 3: range from 2026-01-05 to 2026-01-01 is backwards",
      "entry 4: entry has no 'reason'",
      "entry 5: entry names no 'date', 'dates' or 'from'/'to'",
      expect.stringMatching(/^entry 6: reason: expected a reason code/),
    ]);
  });

  it("reports a file that is not JSON or not an index", () => {
    expect(parse("{").problems).toEqual([
      { indexKey: KEY, message: expect.stringMatching(/^not valid JSON/) },
    ]);
    expect(parse("42").problems).toEqual([
      { indexKey: KEY, message: expect.stringMatching(/expected \{"entries"/) },
    ]);
  });
});
