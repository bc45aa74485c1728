/** Test helpers: small model projects written to temp folders, and real DuckDB warehouses. */
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

/** A new DuckDB warehouse with `staging` tables created by `setupSql`, published. */
export async function warehouseWith(setupSql: string): Promise<{ warehouse: Warehouse; location: string }> {
  const location = path.join(tempRoot("tokyobeta-models-wh-"), "warehouse");
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
