// Demo-world generation benchmark (issue 2). Prints wall time, output size and peak RSS for
//  (a) one production-like day: --scale 1 --aux-mb 900 (~950 MB), target <= 60 s;
//  (b) 150 days at --scale 0.1, target <= 60 s.
// Usage: npm run bench:generate [-- --out DIR]   (needs /usr/bin/time for peak RSS)
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { measure } from "./measure.mjs";

const cli = path.resolve("dist/cli/main.js");
const outArg = process.argv.indexOf("--out");
const root = outArg > 0 ? process.argv[outArg + 1] : mkdtempSync(path.join(tmpdir(), "tb-bench-gen-"));

const cases = [
  {
    name: "1 day, scale 1, aux 900 MB",
    args: ["--from", "2026-01-31", "--to", "2026-01-31", "--scale", "1", "--aux-mb", "900"],
    target: 60,
  },
  {
    name: "150 days, scale 0.1",
    args: ["--from", "2025-09-03", "--to", "2026-01-30", "--scale", "0.1"],
    target: 60,
  },
];

const rows = [];
for (const c of cases) {
  const out = path.join(root, c.name.replace(/[^a-z0-9]+/gi, "-"));
  rmSync(out, { recursive: true, force: true });
  const m = measure(process.execPath, [cli, "demo", "generate", "--out", out, "--quiet", ...c.args]);
  const dumps = path.join(out, "dumps");
  const bytes = readdirSync(dumps).reduce((s, f) => s + statSync(path.join(dumps, f)).size, 0);
  rows.push({
    case: c.name,
    seconds: m.seconds.toFixed(1),
    "output MB": (bytes / 1e6).toFixed(0),
    "MB/s": (bytes / 1e6 / m.seconds).toFixed(0),
    "peak RSS MB": m.peakRssMb.toFixed(0),
    target: `<= ${c.target} s`,
    ok: m.seconds <= c.target ? "yes" : "NO",
  });
  if (outArg < 0) rmSync(out, { recursive: true, force: true });
}
console.table(rows);
if (outArg < 0) rmSync(root, { recursive: true, force: true });
