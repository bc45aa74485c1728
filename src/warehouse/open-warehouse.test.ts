import { describe, expect, it } from "vitest";
import { WarehouseError } from "../errors.js";
import { openWarehouse } from "./open-warehouse.js";

describe("openWarehouse", () => {
  it("selects the DuckDB engine for a folder", async () => {
    const warehouse = await openWarehouse("./var/some-warehouse");
    expect(warehouse.engine).toBe("duckdb");
    expect(warehouse.location).toMatch(/var\/some-warehouse$/);
  });

  it("selects the PostgreSQL engine for a postgres:// or postgresql:// URL, without echoing its password", async () => {
    for (const url of [
      "postgres://user:secret@db.example/warehouse",
      "postgresql://user:secret@db.example/warehouse",
    ]) {
      const warehouse = await openWarehouse(url);
      expect(warehouse.engine).toBe("postgres");
      expect(warehouse.location).toContain("db.example/warehouse");
      expect(warehouse.location).not.toContain("secret");
    }
  });

  it("says which PostgreSQL it cannot reach, without the password", async () => {
    const warehouse = await openWarehouse("postgres://user:secret@127.0.0.1:1/warehouse");
    const error = await warehouse.publishedStateId().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(String(error)).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/user@127\.0\.0\.1:1\/warehouse/,
    );
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
