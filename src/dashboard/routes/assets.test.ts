/** The page assets are found from the package root, from src/ and from the built dist/src/. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "./assets.js";

describe("packageRoot", () => {
  it("finds the folder with package.json from the source and the build layout", () => {
    const root = packageRoot();
    expect(existsSync(path.join(root, "package.json"))).toBe(true);
    expect(packageRoot(path.join(root, "dist", "src", "dashboard", "routes"))).toBe(root);
    for (const file of [
      "node_modules/echarts/dist/echarts.min.js",
      "src/dashboard/assets/dashboard.js",
      "src/dashboard/assets/dashboard.css",
    ]) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
  });

  it("names the folder when there is no package.json above it", () => {
    expect(() => packageRoot("/")).toThrow("no package.json above /");
  });
});
