/** Test helpers: a warehouse with staging tables shaped like the PMS's (only the columns enrichment reads). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { StateWriter, Warehouse } from "../../warehouse/warehouse.js";

export interface StagingData {
  tenants?: (string | null)[];
  inquiries?: (string | null)[];
  /** [address, prefecture, latitude, longitude] */
  apartments?: [string | null, string | null, string | null, string | null][];
}

export async function writeStaging(writer: StateWriter, data: StagingData): Promise<void> {
  await writer.createSchema("staging");
  const q = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);
  if (data.tenants) {
    await writer.exec(
      "DROP TABLE IF EXISTS staging.tenants; CREATE TABLE staging.tenants (id INTEGER, nationality VARCHAR)",
    );
    if (data.tenants.length > 0)
      await writer.exec(
        `INSERT INTO staging.tenants VALUES ${data.tenants.map((n, i) => `(${i + 1}, ${q(n)})`).join(", ")}`,
      );
  }
  if (data.inquiries) {
    await writer.exec(
      "DROP TABLE IF EXISTS staging.inquiries; CREATE TABLE staging.inquiries (id INTEGER, nationality VARCHAR)",
    );
    if (data.inquiries.length > 0)
      await writer.exec(
        `INSERT INTO staging.inquiries VALUES ${data.inquiries.map((n, i) => `(${i + 1}, ${q(n)})`).join(", ")}`,
      );
  }
  if (data.apartments) {
    await writer.exec(
      "DROP TABLE IF EXISTS staging.apartments; CREATE TABLE staging.apartments (id INTEGER, asset_id_hj VARCHAR, prefecture VARCHAR, address VARCHAR, latitude DECIMAL(10,7), longitude DECIMAL(10,7))",
    );
    if (data.apartments.length > 0)
      await writer.exec(
        `INSERT INTO staging.apartments VALUES ${data.apartments
          .map(
            ([a, p, lat, lng], i) =>
              `(${i + 1}, 'A${i + 1}', ${q(p)}, ${q(a)}, ${lat ?? "NULL"}, ${lng ?? "NULL"})`,
          )
          .join(", ")}`,
      );
  }
}

export async function tempWarehouse(): Promise<{
  warehouse: Warehouse;
  location: string;
  dispose: () => Promise<void>;
}> {
  const root = mkdtempSync(path.join(tmpdir(), "tokyobeta-enrich-"));
  const location = path.join(root, "warehouse");
  const warehouse = await openWarehouse(location);
  return {
    warehouse,
    location,
    dispose: async () => {
      await warehouse.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
