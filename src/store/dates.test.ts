import { describe, expect, it } from "vitest";
import {
  addDays,
  datesBetween,
  daysBetween,
  fromCompactDate,
  isBusinessDate,
  todayInTokyo,
} from "./dates.js";

describe("business dates", () => {
  it("accept only real calendar dates", () => {
    expect(isBusinessDate("2024-02-29")).toBe(true);
    expect(isBusinessDate("2026-02-29")).toBe(false);
    expect(isBusinessDate("2026-1-10")).toBe(false);
    expect(fromCompactDate("20260110")).toBe("2026-01-10");
    expect(fromCompactDate("20261310")).toBeUndefined();
  });

  it("count days across month and year ends", () => {
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-01-10", "2026-01-12")).toBe(2);
    expect(datesBetween("2026-01-30", "2026-02-02")).toEqual([
      "2026-01-30",
      "2026-01-31",
      "2026-02-01",
      "2026-02-02",
    ]);
    expect(datesBetween("2026-01-02", "2026-01-01")).toEqual([]);
  });

  it("take today in Asia/Tokyo", () => {
    expect(todayInTokyo(new Date("2026-01-09T14:59:59Z"))).toBe("2026-01-09");
    expect(todayInTokyo(new Date("2026-01-09T15:00:00Z"))).toBe("2026-01-10");
  });
});
