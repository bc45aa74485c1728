/**
 * Enrichment benchmark: `npx tsx bench/enrich.ts`
 *
 * 1. Normalising 100,000 raw nationalities and 100,000 raw addresses, mostly repeats (the demo
 *    world's variants plus ~1 % unique typos and addresses), with the memoising normalisers.
 *    Target: <= 2 s each.
 * 2. runEnrichment on a DuckDB warehouse whose staging holds those 100,000 values: a cold run,
 *    then a warm run, which must normalise nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NATIONALITY_VARIANTS } from "../src/demo/people.js";
import { DEMO_MUNICIPALITIES } from "../src/demo/places.js";
import {
  createAddressNormaliser,
  normaliseAddress,
  type AddressHints,
} from "../src/enrich/normalise-address.js";
import { createNationalityNormaliser, normaliseNationality } from "../src/enrich/normalise-nationality.js";
import { runEnrichment } from "../src/enrich/run-enrichment.js";
import { openWarehouse } from "../src/warehouse/open-warehouse.js";

const N = 100_000;
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const variants = NATIONALITY_VARIANTS.flatMap(([w, v]) => Array.from({ length: w }, () => v)).flat();
const nationalities = Array.from({ length: N }, (_, i) =>
  rand() < 0.01 ? `${pick(variants)}${"xyz"[i % 3]}${i}` : pick(variants),
);
const addresses = Array.from({ length: N }, (_, i) => {
  const m = pick(DEMO_MUNICIPALITIES);
  const town = pick(m.towns);
  return rand() < 0.01
    ? `${m.prefecture}${m.name}${town}${i}-1`
    : `${rand() < 0.9 ? m.prefecture : ""}${m.name}${town}1-2-3`;
});

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

// Warm up the indexes (built once per process) so the figures are per-value work.
normaliseNationality("Japan");
normaliseAddress("東京都新宿区");

const nat = createNationalityNormaliser();
const [, natMs] = time(() => nationalities.forEach((r) => nat(r)));
console.log(
  `nationality: ${N.toLocaleString()} raw values (${nat.calls.toLocaleString()} distinct) normalised in ${natMs.toFixed(0)} ms`,
);
const addr = createAddressNormaliser();
const [, addrMs] = time(() => addresses.forEach((r) => addr(r, {} as AddressHints)));
console.log(
  `address:     ${N.toLocaleString()} raw values (${addr.calls.toLocaleString()} distinct) normalised in ${addrMs.toFixed(0)} ms`,
);

const root = mkdtempSync(path.join(tmpdir(), "tokyobeta-bench-enrich-"));
try {
  const warehouse = await openWarehouse(path.join(root, "warehouse"));
  const setup = await warehouse.beginState({ label: "bench staging" });
  await setup.createSchema("staging");
  await setup.exec("CREATE TABLE staging.tenants (id INTEGER, nationality VARCHAR)");
  await setup.exec(
    "CREATE TABLE staging.apartments (id INTEGER, asset_id_hj VARCHAR, prefecture VARCHAR, address VARCHAR, latitude DECIMAL(10,7), longitude DECIMAL(10,7))",
  );
  for (let i = 0; i < N; i += 1000) {
    const chunk = nationalities.slice(i, i + 1000);
    await setup.exec(
      `INSERT INTO staging.tenants VALUES ${chunk.map((_, j) => `(${i + j}, ?)`).join(", ")}`,
      chunk,
    );
    const achunk = addresses.slice(i, i + 1000);
    await setup.exec(
      `INSERT INTO staging.apartments VALUES ${achunk.map((_, j) => `(${i + j}, 'A${i + j}', NULL, ?, NULL, NULL)`).join(", ")}`,
      achunk,
    );
  }
  await setup.publish();
  for (const label of ["cold", "warm"]) {
    let calls = 0;
    const writer = await warehouse.beginState({ label: `bench ${label}` });
    const t0 = performance.now();
    const report = await runEnrichment(writer, {
      normaliseNationality: (raw) => (calls++, normaliseNationality(raw)),
      normaliseAddress: (raw, hints) => (calls++, normaliseAddress(raw, hints)),
    });
    const ms = performance.now() - t0;
    await writer.publish();
    console.log(
      `runEnrichment ${label}: ${ms.toFixed(0)} ms; distinct nationalities ${report.nationality.seen}, addresses ${report.municipality.seen}; normaliser calls ${calls}`,
    );
  }
  await warehouse.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
