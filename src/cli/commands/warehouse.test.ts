import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO } from "../../../test/support/capture-io.js";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../../test/support/postgres.js";
import { UsageError } from "../../errors.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { TableSchema } from "../../reader/types.js";
import type { Warehouse } from "../../warehouse/warehouse.js";
import { grantReadonly } from "./warehouse.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());

const KPI: TableSchema = {
  name: "kpi",
  columns: [
    { name: "day", mysqlType: "date", kind: "date", nullable: false },
    { name: "occupancy", mysqlType: "decimal(5,2)", kind: "decimal", nullable: true, precision: 5, scale: 2 },
  ],
};

/** Publishes a state with gold.kpi, tokyobeta_meta.runs and staging.tenants (personal data). */
async function publish(warehouse: Warehouse, day: string): Promise<void> {
  const writer = await warehouse.beginState();
  await writer.createTable("gold", KPI, { replace: true });
  const appender = await writer.openAppender("gold", KPI);
  await appender.append([[day, "93.50"]]);
  await appender.close();
  await writer.exec(`CREATE SCHEMA IF NOT EXISTS tokyobeta_meta;
    CREATE TABLE IF NOT EXISTS tokyobeta_meta.runs (run text);
    INSERT INTO tokyobeta_meta.runs VALUES ('${day}');
    CREATE SCHEMA IF NOT EXISTS staging;
    CREATE TABLE IF NOT EXISTS staging.tenants (name text);
    INSERT INTO staging.tenants VALUES ('a person')`);
  await writer.publish();
}

describe("warehouse grant-readonly", () => {
  it("is not applicable to a DuckDB warehouse (usage error, exit 2)", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tokyobeta-grant-"));
    try {
      const error = await grantReadonly("dashboard", { warehouse: folder }, captureIO()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect(String(error)).toMatch(/PostgreSQL warehouses only.*DuckDB/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available)("warehouse grant-readonly on PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lets the role read gold and the records of every published state, and nothing else", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await server.sql("CREATE ROLE dashboard LOGIN");
    const warehouse = await openWarehouse(url);
    await publish(warehouse, "2026-01-30");
    const ungranted = await openWarehouse(server.url(database, "dashboard"));
    await expect(ungranted.publishedStateId()).rejects.toThrow(/permission denied.*grant-readonly ROLE/);
    await ungranted.close();

    // the run records live outside every state (pipeline/run-records-postgres.ts)
    await server.sql(
      "CREATE SCHEMA tokyobeta_runs; CREATE TABLE tokyobeta_runs.records (run text)",
      database,
    );
    const io = captureIO();
    expect(await grantReadonly("dashboard", { warehouse: url }, io)).toBe(0);
    expect(io.stdout()).toMatch(/role dashboard may now read gold and tokyobeta_meta/);
    await publish(warehouse, "2026-01-31"); // a new state's schemas get the grants at publish

    const asRole = server.url(database, "dashboard");
    const client = new pg.Client({ connectionString: asRole });
    await client.connect();
    try {
      expect((await client.query("SELECT day::text AS day FROM gold.kpi")).rows).toEqual([
        { day: "2026-01-31" },
      ]);
      expect((await client.query("SELECT run FROM tokyobeta_meta.runs ORDER BY run")).rows).toHaveLength(2);
      expect((await client.query("SELECT count(*)::int AS n FROM tokyobeta_runs.records")).rows).toEqual([
        { n: 0 },
      ]);
      await expect(client.query("SELECT * FROM staging.tenants")).rejects.toThrow(/permission denied/);
      await expect(client.query("INSERT INTO gold.kpi VALUES ('2026-02-01', 1)")).rejects.toThrow(
        /permission denied/,
      );
      await expect(client.query("CREATE TABLE gold.mine (a int)")).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }

    // Through the warehouse interface, as the dashboard would read it.
    const readonly = await openWarehouse(asRole);
    const reader = await readonly.openPublished();
    expect((await reader.query("SELECT occupancy FROM gold.kpi")).rows).toEqual([{ occupancy: "93.50" }]);
    await expect(reader.query("SELECT * FROM staging.tenants")).rejects.toThrow(/permission denied/);
    await expect(readonly.beginState()).rejects.toThrow(/permission denied|cannot begin/);
    await reader.close();
    await readonly.close();

    // after a rollback the role reads the rolled-back state's gold
    const [, previous] = await warehouse.listStates();
    await warehouse.rollback(previous!.id, { by: "test", reason: "grants survive a rollback" });
    const again = new pg.Client({ connectionString: asRole });
    await again.connect();
    expect((await again.query("SELECT day::text AS day FROM gold.kpi")).rows).toEqual([
      { day: "2026-01-30" },
    ]);
    await again.end();
    await warehouse.close();
  });

  it("refuses a role that does not exist", async () => {
    const url = await server.createDatabase();
    const warehouse = await openWarehouse(url);
    await publish(warehouse, "2026-01-31");
    await warehouse.close();
    await expect(grantReadonly("nobody", { warehouse: url }, captureIO())).rejects.toThrow(
      /role "nobody" does not exist/,
    );
  });
});
