#!/usr/bin/env node
/**
 * Dump reader throughput: tokenize + decode a dump, report MB/s, seconds, rows and peak RSS.
 *
 *   npm run build && node bench/read-dump.mjs [dump.sql | dump.sql.gz] [--tables a,b] [--mb 256] [--hex-blob] [--columnar]
 *
 * --columnar reads as the load-dump worker does (readDumpColumnar: typed-array column batches).
 *
 * Without a dump path, a synthetic MariaDB-style dump (mostly long text and blob rows in 1 MB
 * extended INSERTs) of --mb megabytes is generated once under the OS temp folder and reused.
 */
import { createReadStream, createWriteStream, existsSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { readDump, readDumpColumnar } from "../dist/reader/read-dump.js";
import { syntheticDump } from "../dist/reader/test-dump-builder.js";

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const tables = flag("--tables")?.split(",");
const mb = Number(flag("--mb") ?? 256);
const hexBlob = args.includes("--hex-blob");
const columnar = args.includes("--columnar");
const positional = args.filter((a) => !a.startsWith("--"));

let path = positional[0];
if (!path) {
  path = join(tmpdir(), `tokyobeta-reader-bench-${mb}mb${hexBlob ? "-hex" : ""}.sql`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} ...\n`);
    const out = createWriteStream(`${path}.tmp`);
    for (const chunk of syntheticDump({ targetBytes: mb * 1e6, seed: 7, hexBlob })) {
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    renameSync(`${path}.tmp`, path);
  }
}

const size = statSync(path).size;
const reading = (columnar ? readDumpColumnar : readDump)(
  createReadStream(path, { highWaterMark: 256 * 1024 }),
  {
    file: path,
    tables,
  },
);
const started = process.hrtime.bigint();
let rows = 0;
let batches = 0;
for await (const event of reading.events) {
  if (event.type === "rows") {
    rows += event.rows.length;
    batches++;
  } else if (event.type === "columns") {
    rows += event.batch.rows;
    batches++;
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const sql = reading.sqlBytesRead();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const result = {
  file: path,
  storedMB: +(size / 1e6).toFixed(1),
  sqlMB: +(sql / 1e6).toFixed(1),
  seconds: +seconds.toFixed(2),
  sqlMBperSecond: +(sql / 1e6 / seconds).toFixed(1),
  storedMBperSecond: +(size / 1e6 / seconds).toFixed(1),
  rows,
  batches,
  tables: Object.fromEntries([...reading.stats].map(([name, s]) => [name, s.rows])),
  peakRssMB: +peakRssMb.toFixed(0),
  sha256: reading.sha256(),
};
console.log(JSON.stringify(result, null, 2));
