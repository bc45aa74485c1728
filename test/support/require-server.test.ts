import { afterEach, describe, expect, it, vi } from "vitest";
import { requireServer } from "./mariadb.js";

describe("requireServer", () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  it("lets the suite run when the server is available", () => {
    expect(requireServer("MariaDB", true)).toBe(true);
  });

  it("warns loudly and skips locally when it is missing", () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(requireServer("MariaDB", false)).toBe(false);
    expect(warn.mock.calls[0]![0]).toContain("SKIPPED: MariaDB is not available");
  });

  it("fails on CI instead of skipping", () => {
    process.env.CI = "true";
    expect(() => requireServer("MariaDB", false)).toThrow(/CI=true: failing instead of skipping/);
  });
});
