/** Each materialization against a real warehouse (DuckDB; PostgreSQL through models.postgres.test.ts). */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadProject } from "./load-project.js";
import { runModels } from "./run-models.js";
import {
  removeTempRoots,
  rowsOf,
  suiteEngine,
  warehouseWith,
  writeProject,
} from "./testing/fixture-project.js";

afterAll(removeTempRoots);

/** Writers do not carry the engine name: the suite's engine (DuckDB, or PostgreSQL from *.postgres.test.ts). */
const duck = suiteEngine;

const STAGING = `CREATE SCHEMA staging;
CREATE TABLE staging.tenants (snapshot_date DATE, tenant_id INTEGER, status INTEGER);
INSERT INTO staging.tenants VALUES ('2026-01-01', 1, 4), ('2026-01-01', 2, 5), ('2026-01-02', 1, 6), ('2026-01-02', 2, 5);`;

describe("materializations", () => {
  it("view: created, replaced, and replaces a table of the same name", async () => {
    const { warehouse } = await warehouseWith(
      `${STAGING} CREATE SCHEMA silver; CREATE TABLE silver.v (x INTEGER);`,
    );
    const project = await loadProject(
      writeProject({ "silver/v.sql": "SELECT tenant_id FROM {{ source('staging', 'tenants') }}" }),
    );
    const writer = await warehouse.beginState();
    const [result] = await runModels(writer, project, duck);
    expect(result).toMatchObject({ node: "silver.v", status: "success", materialized: "view", rows: null });
    expect((await writer.listTables("silver")).find((t) => t.name === "v")?.type).toBe("view");
    expect((await runModels(writer, project, duck))[0]!.status).toBe("success");
    expect(await rowsOf(writer, "SELECT count(*) AS n FROM silver.v")).toEqual([{ n: 4 }]);
    await writer.abandon();
    await warehouse.close();
  });

  it("table: the old table stays until the new one is built, then is swapped", async () => {
    const { warehouse } = await warehouseWith(STAGING);
    const dir = writeProject({
      "silver/t.sql":
        "{{ config(materialized='table') }}\nSELECT DISTINCT tenant_id FROM {{ source('staging', 'tenants') }} -- trailing comment",
    });
    const writer = await warehouse.beginState();
    const first = await runModels(writer, await loadProject(dir), duck);
    expect(first[0]).toMatchObject({ status: "success", rows: 2, message: "table: 2 rows" });

    writeFileSync(
      path.join(dir, "silver/t.sql"),
      "{{ config(materialized='table') }}\nSELECT no_such_column FROM {{ source('staging', 'tenants') }}",
    );
    const failed = await runModels(writer, await loadProject(dir), duck);
    expect(failed[0]).toMatchObject({ status: "error", rows: null });
    expect(failed[0]!.message).toMatch(/no_such_column/);
    expect(await rowsOf(writer, "SELECT count(*) AS n FROM silver.t")).toEqual([{ n: 2 }]);
    expect((await writer.listTables("silver")).map((t) => t.name)).toEqual(["t"]);

    writeFileSync(path.join(dir, "silver/t.sql"), "{{ config(materialized='table') }}\nSELECT 42 AS answer");
    expect((await runModels(writer, await loadProject(dir), duck))[0]).toMatchObject({
      status: "success",
      rows: 1,
    });
    expect(await rowsOf(writer, "SELECT * FROM silver.t")).toEqual([{ answer: 42 }]);
    expect((await writer.listTables("silver")).map((t) => t.name)).toEqual(["t"]);
    await writer.abandon();
    await warehouse.close();
  });

  it("incremental: creates, then deletes and re-inserts the slice by a composite key", async () => {
    const { warehouse } = await warehouseWith(STAGING);
    const project = await loadProject(
      writeProject({
        "silver/snap.sql": [
          "{{ config(materialized='incremental', unique_key=['snapshot_date', 'tenant_id']) }}",
          "SELECT snapshot_date, tenant_id, status FROM {{ source('staging', 'tenants') }}",
          "{% if is_incremental() %}WHERE snapshot_date = {{ var('snapshot_date') }}{% endif %}",
        ].join("\n"),
      }),
    );
    const writer = await warehouse.beginState();
    const vars = { snapshot_date: "2026-01-02" };
    expect((await runModels(writer, project, { ...duck, vars }))[0]).toMatchObject({
      status: "success",
      rows: 4,
      message: "incremental (created): 4 rows",
    });
    await writer.exec(
      "UPDATE staging.tenants SET status = 9 WHERE snapshot_date = '2026-01-02' AND tenant_id = 1",
    );
    await writer.exec("UPDATE staging.tenants SET status = 7 WHERE snapshot_date = '2026-01-01'");
    expect((await runModels(writer, project, { ...duck, vars }))[0]).toMatchObject({
      status: "success",
      rows: 2,
      message: "incremental: 2 rows inserted",
    });
    expect(
      await rowsOf(
        writer,
        "SELECT CAST(snapshot_date AS VARCHAR) AS d, tenant_id, status FROM silver.snap ORDER BY 1, 2",
      ),
    ).toEqual([
      { d: "2026-01-01", tenant_id: 1, status: 4 },
      { d: "2026-01-01", tenant_id: 2, status: 5 },
      { d: "2026-01-02", tenant_id: 1, status: 9 },
      { d: "2026-01-02", tenant_id: 2, status: 5 },
    ]);

    // Full refresh rebuilds from the source (the 2026-01-01 statuses change to 7).
    expect((await runModels(writer, project, { ...duck, vars, fullRefresh: true }))[0]).toMatchObject({
      rows: 4,
      message: "incremental (rebuilt): 4 rows",
    });
    expect(await rowsOf(writer, "SELECT count(*) AS n FROM silver.snap WHERE status = 7")).toEqual([
      { n: 2 },
    ]);
    expect((await writer.listTables("silver")).map((t) => t.name)).toEqual(["snap"]);
    await writer.abandon();
    await warehouse.close();
  });

  it("incremental with full_refresh: false survives --full-refresh; only the protected flag rebuilds it", async () => {
    const { warehouse } = await warehouseWith(STAGING);
    const project = await loadProject(
      writeProject({
        "silver/history.sql":
          "{{ config(materialized='incremental', unique_key='snapshot_date') }}\nSELECT DISTINCT snapshot_date FROM {{ source('staging', 'tenants') }}\n{% if is_incremental() %}WHERE snapshot_date > (SELECT max(snapshot_date) FROM {{ this }}){% endif %}",
        "silver/history.yml": "models:\n  - name: history\n    full_refresh: false\n",
      }),
    );
    expect(project.nodes.get("silver.history")).toMatchObject({ config: { fullRefresh: false } });
    const writer = await warehouse.beginState();
    await runModels(writer, project, duck);
    // History that the source no longer has.
    await writer.exec("DELETE FROM staging.tenants WHERE snapshot_date = '2026-01-01'");
    await writer.exec("INSERT INTO staging.tenants VALUES ('2026-01-03', 1, 4)");
    expect((await runModels(writer, project, { ...duck, fullRefresh: true }))[0]).toMatchObject({
      status: "success",
      message: "incremental: 1 row inserted",
    });
    expect(await rowsOf(writer, "SELECT count(*) AS n FROM silver.history")).toEqual([{ n: 3 }]);
    expect(
      (await runModels(writer, project, { ...duck, fullRefresh: true, fullRefreshProtected: true }))[0],
    ).toMatchObject({
      message: "incremental (rebuilt): 2 rows",
    });
    await writer.abandon();
    await warehouse.close();
  });

  it("table rebuilt under a view that reads it: the view is recreated over the new table", async () => {
    const { warehouse } = await warehouseWith(STAGING);
    const project = await loadProject(
      writeProject({
        "silver/t.sql":
          "{{ config(materialized='table') }}\nSELECT DISTINCT tenant_id FROM {{ source('staging', 'tenants') }}",
        "silver/v.sql": "SELECT count(*) AS n FROM {{ ref('t') }}",
      }),
    );
    const writer = await warehouse.beginState();
    const statistics = vi.spyOn(writer, "refreshStatistics");
    expect((await runModels(writer, project, duck)).map((r) => r.status)).toEqual(["success", "success"]);
    // Tables get fresh planner statistics; views have none.
    expect(statistics.mock.calls).toEqual([["silver", "t"]]);
    await writer.exec("INSERT INTO staging.tenants VALUES ('2026-01-03', 3, 4)");
    // Only the table: PostgreSQL would refuse to drop it while the view reads it.
    const [rebuilt] = await runModels(writer, project, { ...duck, select: "silver.t" });
    expect(rebuilt).toMatchObject({ node: "silver.t", status: "success", rows: 3 });
    expect((await writer.listTables("silver")).map((t) => [t.name, t.type])).toEqual([
      ["t", "table"],
      ["v", "view"],
    ]);
    expect(await rowsOf(writer, "SELECT n FROM silver.v")).toEqual([{ n: 3 }]);
    await writer.abandon();
    await warehouse.close();
  });

  it("a view that another view reads becomes a table (and back): the reader is recreated", async () => {
    const { warehouse } = await warehouseWith(STAGING);
    const dir = writeProject({
      "silver/t.sql": "SELECT DISTINCT tenant_id FROM {{ source('staging', 'tenants') }}",
      "silver/v.sql": "SELECT count(*) AS n FROM {{ ref('t') }}",
    });
    const writer = await warehouse.beginState();
    expect((await runModels(writer, await loadProject(dir), duck)).map((r) => r.status)).toEqual([
      "success",
      "success",
    ]);
    writeFileSync(
      path.join(dir, "silver/t.sql"),
      "{{ config(materialized='table') }}\nSELECT DISTINCT tenant_id FROM {{ source('staging', 'tenants') }}",
    );
    // Only t: PostgreSQL would refuse to drop the view t while the view v reads it.
    const [asTable] = await runModels(writer, await loadProject(dir), { ...duck, select: "silver.t" });
    expect(asTable).toMatchObject({ node: "silver.t", status: "success", rows: 2 });
    expect((await writer.listTables("silver")).map((t) => [t.name, t.type])).toEqual([
      ["t", "table"],
      ["v", "view"],
    ]);
    expect(await rowsOf(writer, "SELECT n FROM silver.v")).toEqual([{ n: 2 }]);
    writeFileSync(path.join(dir, "silver/t.sql"), "SELECT tenant_id FROM {{ source('staging', 'tenants') }}");
    const [asView] = await runModels(writer, await loadProject(dir), { ...duck, select: "silver.t" });
    expect(asView).toMatchObject({ node: "silver.t", status: "success" });
    expect(await rowsOf(writer, "SELECT n FROM silver.v")).toEqual([{ n: 4 }]);
    await writer.abandon();
    await warehouse.close();
  });

  it("seeds: typed columns from inference and column_types, quotes and NULLs", async () => {
    const { warehouse } = await warehouseWith("SELECT 1");
    const project = await loadProject(
      writeProject({
        "seeds/codes.csv":
          'code,label,ratio,since,active\n01,"Tokyo, 東京",0.25,2020-01-01,true\n2,"say ""hi""",,,false\n',
        "seeds/codes.yml": "seeds:\n  - name: codes\n    config: { column_types: { code: VARCHAR } }\n",
      }),
    );
    const writer = await warehouse.beginState();
    expect((await runModels(writer, project, duck))[0]).toMatchObject({
      kind: "seed",
      status: "success",
      rows: 2,
    });
    const result = await writer.query("SELECT * FROM seeds.codes ORDER BY code");
    // Kinds, not type names: each engine names its types its own way (VARCHAR / character varying).
    expect(result.columns.map((c) => c.kind)).toEqual(["text", "text", "decimal", "date", "boolean"]);
    expect(result.columns[2]!.type).toMatch(/^(DECIMAL|numeric)\(3,2\)$/i);
    expect(result.rows).toEqual([
      { code: "01", label: "Tokyo, 東京", ratio: "0.25", since: "2020-01-01", active: true },
      { code: "2", label: 'say "hi"', ratio: null, since: null, active: false },
    ]);
    await writer.abandon();
    await warehouse.close();
  });
});
