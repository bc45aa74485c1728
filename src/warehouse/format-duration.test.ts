import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration.js";

describe("formatDuration", () => {
  it("prints durations the way MySQL prints TIME", () => {
    expect(formatDuration(0n)).toBe("00:00:00");
    expect(formatDuration(-3_020_399_000_000n)).toBe("-838:59:59");
    expect(formatDuration(3_020_399_999_999n)).toBe("838:59:59.999999");
    expect(formatDuration(90_000_000_000n)).toBe("25:00:00");
    expect(formatDuration(-1_000_001n)).toBe("-00:00:01.000001");
    expect(formatDuration(500_000n)).toBe("00:00:00.5");
  });
});
