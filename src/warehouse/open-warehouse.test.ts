import { describe, expect, it } from "vitest";
import { WarehouseError } from "../errors.js";
import { openWarehouse } from "./open-warehouse.js";

describe("openWarehouse", () => {
  it("selects the DuckDB engine for a folder", async () => {
    const warehouse = await openWarehouse("./var/some-warehouse");
    expect(warehouse.engine).toBe("duckdb");
    expect(warehouse.location).toMatch(/var\/some-warehouse$/);
  });

  it("says PostgreSQL is not supported yet, without echoing the URL's password", async () => {
    const error = await openWarehouse("postgres://user:secret@db.example/warehouse").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(String(error)).toMatch(/PostgreSQL .*not supported yet/);
    expect(String(error)).not.toContain("secret");
  });

  it("refuses other URL schemes and an empty location", async () => {
    await expect(openWarehouse("s3://bucket/warehouse")).rejects.toThrow(/expected a folder/);
    await expect(openWarehouse(" ")).rejects.toThrow(/no warehouse location/);
  });

  it("refuses a kept count below 1", async () => {
    await expect(openWarehouse("./var/x", { keep: 0 })).rejects.toThrow(/at least 1/);
  });
});
