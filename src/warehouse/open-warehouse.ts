/**
 * Opens a warehouse by location: a folder selects the embedded DuckDB engine; a
 * `postgres://` / `postgresql://` URL selects the PostgreSQL engine.
 */
import { WarehouseError } from "../errors.js";
import { DuckDBWarehouse } from "./duckdb/duckdb-warehouse.js";
import { PostgresWarehouse } from "./postgres/postgres-warehouse.js";
import type { OpenWarehouseOptions, Warehouse } from "./warehouse.js";

/** The engine a warehouse location selects: a postgres:// URL, or a folder for DuckDB. */
export function engineOfLocation(location: string): "duckdb" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(location) ? "postgres" : "duckdb";
}

export async function openWarehouse(
  location: string,
  options: OpenWarehouseOptions = {},
): Promise<Warehouse> {
  if (location.trim() === "") throw new WarehouseError("no warehouse location given");
  if (engineOfLocation(location) === "postgres") return new PostgresWarehouse(location, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new WarehouseError(
      `unsupported warehouse location ${location.split("//")[0]}//...: expected a folder`,
    );
  }
  return new DuckDBWarehouse(location, options);
}
