/**
 * Static files of the pages, served from the installed packages and the source tree (no CDN):
 * `/assets/echarts.min.js` (node_modules/echarts), `/assets/dashboard.js` and
 * `/assets/dashboard.css` (src/dashboard/assets). Paths are resolved from the package root, so
 * the same code works from `src/` (vitest) and from `dist/src/` (the built CLI) without a copy
 * step. Files are read once and kept in memory.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type { DashboardEnv } from "../dashboard-env.js";

/** The folder holding package.json above this module. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

const ASSETS: Record<string, { file: string[]; type: string }> = {
  "echarts.min.js": {
    file: ["node_modules", "echarts", "dist", "echarts.min.js"],
    type: "text/javascript; charset=utf-8",
  },
  "dashboard.js": {
    file: ["src", "dashboard", "assets", "dashboard.js"],
    type: "text/javascript; charset=utf-8",
  },
  "dashboard.css": { file: ["src", "dashboard", "assets", "dashboard.css"], type: "text/css; charset=utf-8" },
};

export function assetRoutes(root = packageRoot()): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  const loaded = new Map<string, Buffer>();
  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/assets/:name", (c) => {
    const name = c.req.param("name");
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.text("not found", 404);
    let bytes = loaded.get(name);
    if (!bytes) {
      bytes = readFileSync(path.join(root, ...asset.file));
      loaded.set(name, bytes);
    }
    c.header("content-type", asset.type);
    c.header("cache-control", "private, max-age=300");
    return c.body(new Uint8Array(bytes));
  });
  return app;
}
