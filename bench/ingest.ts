// Ingestion benchmark (issue 3): load a production-like demo dump (--scale 1 --aux-mb 900)
// with `tokyobeta load-dump`, and import the same dump into a real MariaDB server, then print
// MB/s, seconds, peak RSS and the ratio. Targets: >= 150 MB/s, peak RSS <= 1 GB, >= 10x MariaDB.
// Usage: npm run bench:ingest [-- --dump FILE] [-- --skip-mariadb]
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mariadbAvailable, startMariaDb } from "../test/support/mariadb.js";
// @ts-expect-error plain JS helper shared by the bench scripts
import { measure } from "./measure.mjs";

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const cli = path.resolve("dist/cli/main.js");
const work = mkdtempSync(path.join(tmpdir(), "tb-bench-ingest-"));

let dump = arg("--dump");
if (!dump) {
  console.log("generating a production-like dump (--scale 1 --aux-mb 900) ...");
  measure(process.execPath, [
    cli,
    "demo",
    "generate",
    "--out",
    path.join(work, "world"),
    "--from",
    "2026-01-31",
    "--to",
    "2026-01-31",
    "--scale",
    "1",
    "--aux-mb",
    "900",
    "--quiet",
  ]);
  dump = path.join(work, "world/dumps/gghouse_20260131.sql");
}
if (!existsSync(dump)) throw new Error(`no dump at ${dump}`);
const mb = statSync(dump).size / 1e6;

console.log(`loading ${dump} (${mb.toFixed(0)} MB) with tokyobeta load-dump ...`);
const ours = measure(process.execPath, [
  cli,
  "load-dump",
  dump,
  "--warehouse",
  path.join(work, "warehouse"),
  "--json",
]);

const rows: Record<string, string>[] = [
  {
    system: "tokyobeta load-dump (DuckDB)",
    seconds: ours.seconds.toFixed(1),
    "MB/s": (mb / ours.seconds).toFixed(0),
    "CPU s": ours.cpuSeconds.toFixed(1),
    "peak RSS MB": ours.peakRssMb.toFixed(0),
  },
];

if (!argv.includes("--skip-mariadb") && mariadbAvailable()) {
  console.log("importing the same dump into MariaDB (mariadb db < dump.sql) ...");
  const server = await startMariaDb();
  try {
    await server.sql("CREATE DATABASE bench");
    const started = performance.now();
    await server.importFile(dump, "bench");
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      system: "MariaDB import",
      seconds: seconds.toFixed(1),
      "MB/s": (mb / seconds).toFixed(0),
      "CPU s": "(server)",
      "peak RSS MB": "(server)",
    });
    rows.push({
      system: "ratio (MariaDB / tokyobeta)",
      seconds: `${(seconds / ours.seconds).toFixed(1)}x`,
      "MB/s": "",
      "CPU s": "",
      "peak RSS MB": "",
    });
  } finally {
    await server.stop();
  }
}
console.table(rows);
console.log("targets: >= 150 MB/s, peak RSS <= 1024 MB, >= 10x faster than the MariaDB import");
rmSync(work, { recursive: true, force: true });
