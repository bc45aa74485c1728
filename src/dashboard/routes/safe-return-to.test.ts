import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./safe-return-to.js";

describe("safeReturnTo", () => {
  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%252F%252Fevil.example",
    "/\t/evil.example",
    "",
    "moveins",
  ])("sends %j to /", (raw) => {
    expect(safeReturnTo(raw)).toBe("/");
  });

  it("keeps a relative path with its query", () => {
    expect(safeReturnTo("/moveins?x=1")).toBe("/moveins?x=1");
    expect(safeReturnTo("/")).toBe("/");
  });
});
