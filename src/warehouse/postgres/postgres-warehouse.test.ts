/** The conformance suite on PostgreSQL, plus what is specific to schemas in one database. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  postgresAvailable,
  requireServer,
  startPostgres,
  type PostgresServer,
} from "../../../test/support/postgres.js";
import { openWarehouse } from "../open-warehouse.js";
import { loadPeople, runCrashWriter, runWarehouseSuite } from "../testing/warehouse-suite.js";
import type { Warehouse } from "../warehouse.js";

const available = requireServer("PostgreSQL 15", postgresAvailable());

let server: PostgresServer | undefined;
const started = available ? startPostgres() : undefined;
beforeAll(async () => {
  server = await started;
});
afterAll(async () => {
  await (server ?? (await started?.catch(() => undefined)))?.stop();
});

if (available) {
  runWarehouseSuite(
    "PostgreSQL",
    async () => {
      const location = await (await started)!.createDatabase();
      return {
        location,
        open: (options) => openWarehouse(location, options),
        dispose: async () => undefined,
      };
    },
    { textNul: "replaced" },
  );
}

async function publishOne(warehouse: Warehouse, names: string[]): Promise<string> {
  const writer = await warehouse.beginState();
  await loadPeople(writer, names);
  return (await writer.publish()).id;
}

const schemas = async (url: string) =>
  (
    await server!.sql(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
      new URL(url).pathname.slice(1),
    )
  ).map((r) => r.nspname as string);

describe.skipIf(!available)("PostgreSQL warehouse in one database", () => {
  it("keeps the published state under plain schema names and kept ones under their suffix", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    const first = await publishOne(warehouse, ["a"]);
    const second = await publishOne(warehouse, ["b"]);
    const suffix = (id: string) => `__s${id.replace(/-/g, "_")}`;
    expect(await schemas(url)).toEqual(
      ["public", "staging", `staging${suffix(first)}`, "tokyobeta_engine"].sort(),
    );
    expect(second).not.toBe(first);
    expect(warehouse.engine).toBe("postgres");
    await warehouse.close();
  });

  it("refreshStatistics gives the planner a built table's row count (ANALYZE)", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    const writer = await warehouse.beginState();
    await writer.exec(
      "CREATE SCHEMA staging; CREATE TABLE staging.t AS SELECT g AS n FROM generate_series(1, 1000) g",
    );
    const physical = `staging__s${writer.stateId.replace(/-/g, "_")}`;
    const rowEstimate = async () =>
      Number(
        (
          await server!.sql(
            `SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relname = 't' AND n.nspname = '${physical}'`,
            new URL(url).pathname.slice(1),
          )
        )[0]!.reltuples,
      );
    await writer.refreshStatistics("staging", "t");
    expect(await rowEstimate()).toBe(1000);
    await writer.exec("INSERT INTO staging.t SELECT g FROM generate_series(1001, 3000) g");
    await writer.refreshStatistics("staging", "t");
    expect(await rowEstimate()).toBe(3000);
    await writer.abandon();
    await warehouse.close();
  });

  it("does not print the password in its location", async () => {
    const warehouse = await openWarehouse("postgres://user:secret@127.0.0.1:1/db");
    expect(warehouse.location).not.toContain("secret");
    expect(warehouse.location).toContain("127.0.0.1:1/db");
  });

  it("refuses a database that has schemas of its own", async () => {
    const url = await server!.createDatabase();
    await server!.sql("CREATE SCHEMA mine", new URL(url).pathname.slice(1));
    const warehouse = await openWarehouse(url);
    await expect(warehouse.beginState()).rejects.toThrow(/not a tokyobeta warehouse.*mine/);
    expect(await schemas(url)).toEqual(["mine", "public"]);
    await warehouse.close();
  });

  it("maps plain schema names in the writer's SQL, outside literals and comments", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    await publishOne(warehouse, ["a", "b"]);
    const writer = await warehouse.beginState();
    await writer.exec(`CREATE SCHEMA IF NOT EXISTS silver;
      CREATE TABLE silver.computed (id int GENERATED ALWAYS AS IDENTITY, n int, twice int GENERATED ALWAYS AS (n * 2) STORED);
      INSERT INTO silver.computed (n) VALUES (5), (7);
      CREATE TABLE silver.typed (u numeric(20,0), d numeric(10,2), t timestamp, j json);
      INSERT INTO silver.typed VALUES (18446744073709551615, 1.5, '2026-01-31 05:30:00.5', '{"b":1, "a":2}');
      CREATE TABLE silver.names AS SELECT id, name, 'staging.people' AS note FROM staging.people; -- staging.x
      CREATE VIEW silver.v_names AS SELECT n.name FROM silver.names n`);
    const rows = await writer.query("SELECT name, note FROM silver.names ORDER BY id");
    expect(rows.rows).toEqual([
      { name: "a", note: "staging.people" },
      { name: "b", note: "staging.people" },
    ]);
    await writer.publish();
    const reader = await warehouse.openPublished();
    expect((await reader.query("SELECT name FROM silver.v_names ORDER BY name")).rows).toEqual([
      { name: "a" },
      { name: "b" },
    ]);
    await reader.close();
    // the next state copies tables and views, views pointing at the new state's tables
    const next = await warehouse.beginState();
    await next.exec("DELETE FROM silver.names WHERE name = 'a'");
    expect((await next.query("SELECT name FROM silver.v_names")).rows).toEqual([{ name: "b" }]);
    const typed = await next.query("SELECT * FROM silver.typed"); // copied with CREATE TABLE AS
    expect(typed.columns.map((c) => c.type)).toEqual([
      "numeric(20,0)",
      "numeric(10,2)",
      "timestamp without time zone",
      "json",
    ]);
    expect(typed.rows).toEqual([
      { u: 18446744073709551615n, d: "1.50", t: "2026-01-31T05:30:00.5", j: '{"b":1, "a":2}' },
    ]);
    expect((await next.query("SELECT id, n, twice FROM silver.computed ORDER BY id")).rows).toEqual([
      { id: 1, n: 5, twice: 10 },
      { id: 2, n: 7, twice: 14 },
    ]);
    const published = await warehouse.openPublished();
    expect((await published.query("SELECT count(*) AS n FROM silver.v_names")).rows).toEqual([{ n: 2 }]);
    await published.close();
    await next.abandon();
    await warehouse.close();
  });

  it("records the takeover of a killed writer's lock and removes its schemas", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    const first = await publishOne(warehouse, ["a"]);
    const crashed = await runCrashWriter(url);
    const writer = await warehouse.beginState();
    const history = await warehouse.history();
    expect(history).toContainEqual(
      expect.objectContaining({
        event: "lock-takeover",
        stale: expect.stringContaining(`pid ${crashed.pid}`),
      }),
    );
    expect(history).toContainEqual(
      expect.objectContaining({ event: "removed", id: crashed.id, reason: "abandoned-leftover" }),
    );
    await writer.abandon();
    expect((await schemas(url)).filter((s) => s.includes("__s"))).toEqual([]);
    expect(await warehouse.publishedStateId()).toBe(first);
    await warehouse.close();
  });
  it("a publish that fails (a bad value found at the end of a COPY) leaves the published state untouched", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    const first = await publishOne(warehouse, ["kept"]);
    const writer = await warehouse.beginState();
    const table = {
      name: "days",
      columns: [{ name: "d", mysqlType: "date", kind: "date" as const, nullable: true }],
    };
    await writer.createTable("staging", table);
    const appender = await writer.openAppender("staging", table);
    await appender.append([["2026-02-30"]]).catch(() => undefined); // PostgreSQL checks dates
    const error = await writer.publish().catch((e: unknown) => e);
    expect(String(error)).toMatch(/publishing state .* failed; the published state is unchanged/);
    expect(String(error)).toMatch(/staging\.days/);
    expect(await warehouse.publishedStateId()).toBe(first);
    expect((await schemas(url)).filter((s) => s.includes("__s"))).toEqual([]);
    const reader = await warehouse.openPublished();
    expect((await reader.query("SELECT name FROM staging.people")).rows).toEqual([{ name: "kept" }]);
    await reader.close();
    await warehouse.close();
  });

  it("refuses writes hidden in a query (read-only transaction) and reports a pruned state clearly", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url, { keep: 1 });
    await publishOne(warehouse, ["a"]);
    const reader = await warehouse.openPublished();
    await expect(
      reader.query("WITH gone AS (DELETE FROM staging.people RETURNING id) SELECT count(*) FROM gone"),
    ).rejects.toThrow(/read-only/);
    await publishOne(warehouse, ["b"]); // keep 1: the reader's state is pruned
    await expect(reader.query("SELECT name FROM staging.people")).rejects.toThrow(/no longer kept/);
    await reader.close();
    await warehouse.close();
  });
  it("normalizes PostgreSQL result types like the DuckDB engine does", async () => {
    const warehouse = await openWarehouse(await server!.createDatabase());
    const writer = await warehouse.beginState();
    const result = await writer.query(`SELECT
        TIMESTAMPTZ '2026-01-31 05:30:00.25+09' AS tz,
        INTERVAL '3 months 2 days' AS months,
        INTERVAL '2 days 90 minutes' AS days,
        INTERVAL '-1 day +02:00:00' AS mixed,
        TIME '23:59:59.5' AS t,
        -(2::int8 ^ 53)::int8 AS min_safe_minus_one,
        9007199254740991::int8 AS max_safe,
        sum(x) AS total,
        12345678901234567890::numeric(20,0) AS u64,
        ARRAY[1, 2] AS list,
        ARRAY['a b', NULL, 'c"d'] AS texts,
        'infinity'::timestamp AS inf,
        DATE '2026-01-31' - DATE '2026-01-01' AS days_between,
        '{"b": 1, "a": [true]}'::jsonb AS j,
        '\\x00ff'::bytea AS bytes,
        true AS yes
      FROM (VALUES (1::int8), (2)) AS v(x)`);
    expect(result.rows[0]).toEqual({
      tz: "2026-01-30T20:30:00.25Z",
      months: "3 mons 2 days",
      days: "49:30:00",
      mixed: "-22:00:00",
      t: "23:59:59.5",
      min_safe_minus_one: -(2n ** 53n),
      max_safe: 9007199254740991,
      total: "3",
      u64: 12345678901234567890n,
      list: [1, 2],
      texts: ["a b", null, 'c"d'],
      inf: "infinity",
      days_between: 30,
      j: '{"a": [true], "b": 1}',
      bytes: new Uint8Array([0, 255]),
      yes: true,
    });
    expect(Object.fromEntries(result.columns.map((c) => [c.name, [c.kind, c.type]]))).toMatchObject({
      tz: ["datetime", "timestamp with time zone"],
      months: ["interval", "interval"],
      t: ["time", "time without time zone"],
      total: ["decimal", "numeric"],
      u64: ["integer", "numeric(20,0)"],
      list: ["other", "integer[]"],
      j: ["json", "jsonb"],
      bytes: ["binary", "bytea"],
      yes: ["boolean", "boolean"],
    });
    await writer.abandon();
    await warehouse.close();
  });
  it("readers never see half of a swap while states are published under them", async () => {
    const url = await server!.createDatabase();
    const warehouse = await openWarehouse(url);
    const publishVersion = async (v: number) => {
      const writer = await warehouse.beginState();
      await writer.exec(`CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS silver;
        DROP TABLE IF EXISTS staging.a; DROP TABLE IF EXISTS silver.b;
        CREATE TABLE staging.a AS SELECT ${v} AS v; CREATE TABLE silver.b AS SELECT ${v} AS v`);
      await writer.publish();
    };
    await publishVersion(0);
    let publishing = true;
    const seen = new Set<number>();
    const reading = (async () => {
      const other = await openWarehouse(url);
      while (publishing) {
        const reader = await other.openPublished();
        const { rows } = await reader.query("SELECT a.v AS a, b.v AS b FROM staging.a, silver.b");
        expect(rows[0]!.a).toBe(rows[0]!.b);
        seen.add(rows[0]!.a as number);
        await reader.close();
      }
      await other.close();
    })();
    for (let v = 1; v <= 5; v++) await publishVersion(v);
    publishing = false;
    await reading;
    expect(seen.size).toBeGreaterThan(1);
    await warehouse.close();
  });
});
