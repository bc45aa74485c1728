import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, requireServer, startPostgres, type PostgresServer } from "./postgres.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());

describe.skipIf(!available)("startPostgres", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves a fresh database per createDatabase() on a loopback port", async () => {
    const first = await server.createDatabase();
    const second = await server.createDatabase();
    expect(first).not.toBe(second);
    expect(first).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/tkb_\d+$/);
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string; db: string }>(
        "SELECT current_setting('server_version_num') AS v, current_database() AS db",
      );
      expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(150000);
      expect(first.endsWith(`/${rows[0]!.db}`)).toBe(true);
    } finally {
      await client.end();
    }
    expect(await server.sql("SELECT 1 + 1 AS two")).toEqual([{ two: 2 }]);
  });

  it("removes its directory on stop() and can be stopped twice", async () => {
    const other = await startPostgres();
    const { existsSync } = await import("node:fs");
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
