/** Test helpers: small model projects written to temp folders, and real warehouses (DuckDB unless runSuitesOn). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { StateWriter, Warehouse } from "../../warehouse/warehouse.js";

const roots: string[] = [];

export function tempRoot(prefix = "tokyobeta-models-"): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  roots.push(root);
  return root;
}

/** Removes every folder made by tempRoot (call in afterAll). */
export function removeTempRoots(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

/** Writes `files` (path relative to the project -> text) and returns the project folder. */
export function writeProject(files: Record<string, string>, dir = path.join(tempRoot(), "models")): string {
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

/** Where warehouseWith makes warehouses: DuckDB folders, unless a suite runs on another engine. */
let suiteTarget = {
  engine: "duckdb",
  location: async () => path.join(tempRoot("tokyobeta-models-wh-"), "warehouse"),
};

/**
 * Runs the suites that use warehouseWith on another engine (e.g. each warehouse a fresh
 * PostgreSQL database): `*.postgres.test.ts` calls this, then imports the suites.
 */
export function runSuitesOn(engine: "duckdb" | "postgres", location: () => Promise<string>): void {
  suiteTarget = { engine, location };
}

/** The `engine` option of runModels/runTests/buildModels for the engine the suite runs on. */
export const suiteEngine = {
  get engine(): string {
    return suiteTarget.engine;
  },
};

/** A new warehouse with `staging` tables created by `setupSql`, published. */
export async function warehouseWith(setupSql: string): Promise<{ warehouse: Warehouse; location: string }> {
  const location = await suiteTarget.location();
  const warehouse = await openWarehouse(location);
  const writer = await warehouse.beginState({ label: "setup" });
  await writer.exec(setupSql);
  await writer.publish();
  return { warehouse, location };
}

export async function rowsOf(
  writer: Pick<StateWriter, "query">,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return (await writer.query(sql)).rows;
}
