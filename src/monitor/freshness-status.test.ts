import { describe, expect, it } from "vitest";
import { exitCodeOf, freshnessStatus, worstLevel } from "./freshness-status.js";

describe("freshnessStatus", () => {
  const t = { warnHours: 24, criticalHours: 48 };

  it("is ok up to one day, warn above it, critical above two days", () => {
    expect(freshnessStatus(0, t)).toBe("ok");
    expect(freshnessStatus(24, t)).toBe("ok");
    expect(freshnessStatus(24.01, t)).toBe("warn");
    expect(freshnessStatus(48, t)).toBe("warn");
    expect(freshnessStatus(48.01, t)).toBe("critical");
  });

  it("uses one day and two days by default", () => {
    expect(freshnessStatus(25)).toBe("warn");
    expect(freshnessStatus(49)).toBe("critical");
  });

  it("treats an age that is not a number as critical", () => {
    expect(freshnessStatus(Number.NaN, t)).toBe("critical");
  });

  it("maps levels to exit codes 0, 1, 2 and picks the worst", () => {
    expect([exitCodeOf("ok"), exitCodeOf("warn"), exitCodeOf("critical")]).toEqual([0, 1, 2]);
    expect(worstLevel([])).toBe("ok");
    expect(worstLevel(["ok", "warn", "ok"])).toBe("warn");
    expect(worstLevel(["warn", "critical", "ok"])).toBe("critical");
  });
});
