/**
 * `writerBusy` of the service on a real PostgreSQL warehouse: the same question as on DuckDB
 * (service.test.ts), answered by the warehouse (its advisory lock), not by a file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../test/support/postgres.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { writerBusy } from "./service-jobs.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());

describe.skipIf(!available)("service writerBusy on PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is free on a new database, names the writer while one runs, and is free again after", async () => {
    const url = await server.createDatabase();
    expect(await writerBusy(url)).toBeUndefined();
    const warehouse = await openWarehouse(url);
    try {
      const writer = await warehouse.beginState({ command: "tokyobeta backfill --from 2026-01-01" });
      expect(await writerBusy(url)).toMatch(
        new RegExp(`^the warehouse is locked by another writer \\(pid ${process.pid} .*tokyobeta backfill`),
      );
      await writer.abandon("test");
      expect(await writerBusy(url)).toBeUndefined();
    } finally {
      await warehouse.close();
    }
  });

  it("does not block the run when the server cannot be asked (the run records why it fails)", async () => {
    const url = server.url("no_such_database");
    expect(await writerBusy(url)).toBeUndefined();
  });
});
