/** `tokyobeta models ...` in process against a real DuckDB warehouse; docs. */
import { captureIO as capture } from "../../test/support/capture-io.js";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelsDocs, modelsList, modelsRun, resolveProjectDir } from "../cli/commands/models.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import { loadProject } from "./load-project.js";
import { renderDocs } from "./render-docs.js";
import { removeTempRoots, tempRoot, warehouseWith, writeProject } from "./testing/fixture-project.js";

const FILES = {
  "seeds/status_codes.csv": "code,label_en\n1,applied\n2,moved in\n",
  "seeds/seeds.yml":
    "seeds:\n  - name: status_codes\n    description: PMS status codes.\n    columns: [{ name: code, description: the code, tests: [unique, not_null] }]\n",
  "silver/stg_tenants.sql":
    "{{ config(materialized='table', tags=['silver']) }}\nSELECT t.tenant_id, t.status, c.label_en FROM {{ source('staging', 'tenants') }} AS t LEFT JOIN {{ ref('status_codes') }} AS c ON c.code = t.status",
  "silver/schema.yml": `models:
  - name: stg_tenants
    description: Tenants without personal data.
    columns:
      - name: tenant_id
        description: PMS tenant id
        tests: [not_null, unique]
      - name: status
        tests:
          - relationships: { to: ref('status_codes'), field: code, severity: warn }
`,
  "gold/tenant_count.sql":
    "{{ config(materialized='table') }}\nSELECT count(*) AS n, {{ var('as_of', '2026-01-31') }} AS as_of FROM {{ ref('stg_tenants') }}",
  "tests/count_positive.sql": "SELECT * FROM {{ ref('tenant_count') }} WHERE n <= 0",
};

let location: string;
let project: string;

beforeAll(async () => {
  ({ location } = await warehouseWith(
    "CREATE SCHEMA staging; CREATE TABLE staging.tenants (tenant_id INTEGER, status INTEGER); INSERT INTO staging.tenants VALUES (1, 1), (2, 3);",
  ));
  project = writeProject(FILES);
});
afterAll(removeTempRoots);

async function published(sql: string) {
  const wh = await openWarehouse(location);
  const reader = await wh.openPublished();
  try {
    return { stateId: reader.stateId, rows: (await reader.query(sql)).rows };
  } finally {
    await wh.close();
  }
}

describe("tokyobeta models", () => {
  it("list prints models, seeds and tests in graph order", async () => {
    const io = capture();
    expect(await modelsList({ project, json: true }, io)).toBe(0);
    const rows = io
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l) as { node: string; kind: string });
    expect(rows.map((r) => r.node)).toEqual([
      "seeds.status_codes",
      "silver.stg_tenants",
      "gold.tenant_count",
      "unique_status_codes_code",
      "not_null_status_codes_code",
      "not_null_stg_tenants_tenant_id",
      "unique_stg_tenants_tenant_id",
      "relationships_stg_tenants_status",
      "count_positive",
    ]);
    const table = capture();
    await modelsList({ project, select: ["stg_tenants+"] }, table);
    expect(table.stdout()).toMatch(/silver\.stg_tenants\s+model\s+table\s+silver\s+seeds\.status_codes/);
  });

  it("build publishes on pass, warn failures reported with exit 0; results kept per run", async () => {
    const io = capture();
    const code = await modelsRun(
      "build",
      { project, warehouse: location, var: ["as_of=2026-02-28"], runId: "b1" },
      io,
    );
    expect(io.stderr()).toMatch(/published state/);
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/models: 3 success/);
    expect(io.stdout()).toMatch(
      /WARN relationships_stg_tenants_status \(warn\) on silver.stg_tenants: 1 failing row/,
    );
    expect(io.stdout()).toContain('{"value":3}');
    const { rows } = await published("SELECT n, CAST(as_of AS VARCHAR) AS as_of FROM gold.tenant_count");
    expect(rows).toEqual([{ n: 2, as_of: "2026-02-28" }]);
    const runs = await published(
      "SELECT run_id, count(*) AS n FROM tokyobeta_meta.model_runs GROUP BY run_id",
    );
    expect(runs.rows).toEqual([{ run_id: "b1", n: 3 }]);
    const tests = await published(
      "SELECT status, count(*) AS n FROM tokyobeta_meta.test_results WHERE run_id = 'b1' GROUP BY status ORDER BY status",
    );
    expect(tests.rows).toEqual([
      { status: "pass", n: 5 },
      { status: "warn", n: 1 },
    ]);
  });

  it("an error-severity failure blocks publishing; the previous state stays readable", async () => {
    const before = await published("SELECT n FROM gold.tenant_count");
    const broken = writeProject({
      ...FILES,
      "gold/tenant_count.sql":
        "{{ config(materialized='table') }}\nSELECT 0 AS n FROM {{ ref('stg_tenants') }} LIMIT 1",
    });
    const io = capture();
    const code = await modelsRun("build", { project: broken, warehouse: location, runId: "b2" }, io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/FAIL count_positive \(error\) on gold.tenant_count: 1 failing row/);
    expect(io.stderr()).toMatch(/not published: 1 error; the previous state stays current/);
    const after = await published("SELECT n FROM gold.tenant_count");
    expect(after).toEqual(before);
    expect((await published("SELECT DISTINCT run_id FROM tokyobeta_meta.model_runs")).rows).toEqual([
      { run_id: "b1" },
    ]);
  });

  it("run and test separately; --json results; a model error exits 1", async () => {
    const run = capture();
    expect(
      await modelsRun("run", { project, warehouse: location, select: ["+stg_tenants"], json: true }, run),
    ).toBe(0);
    expect(
      run
        .stdout()
        .split("\n")
        .map((l) => (JSON.parse(l) as { node: string }).node),
    ).toEqual(["seeds.status_codes", "silver.stg_tenants"]);
    const test = capture();
    expect(await modelsRun("test", { project, warehouse: location, exclude: ["count_positive"] }, test)).toBe(
      0,
    );
    expect(test.stdout()).toMatch(/tests: 4 pass, 1 warn/);

    const bad = writeProject({
      ...FILES,
      "gold/tenant_count.sql": "SELECT nope FROM {{ ref('stg_tenants') }}",
    });
    const io = capture();
    expect(await modelsRun("run", { project: bad, warehouse: location }, io)).toBe(1);
    expect(io.stdout()).toMatch(/ERROR gold.tenant_count: .*nope/);
  });

  it("--dry-run prints compiled SQL and touches no warehouse", async () => {
    const io = capture();
    const nowhere = path.join(tempRoot(), "no-warehouse");
    expect(
      await modelsRun("build", { project, warehouse: nowhere, dryRun: true, select: ["tenant_count"] }, io),
    ).toBe(0);
    expect(io.stdout()).toContain(`-- gold.tenant_count: table (gold/tenant_count.sql)\n{{`.slice(0, 50));
    expect(io.stdout()).toContain(
      `SELECT count(*) AS n, DATE '2026-01-31' AS as_of FROM "silver"."stg_tenants";`,
    );
    expect(io.stdout()).toContain("-- test count_positive (error, tests/count_positive.sql)");
    expect(io.stderr()).toMatch(/dry run \(duckdb\)/);
  });

  it("docs: Markdown with columns, tests and lineage; a static page with --out", async () => {
    const md = renderDocs(await loadProject(project));
    expect(md).toContain("## silver.stg_tenants");
    expect(md).toContain("Tenants without personal data.");
    expect(md).toContain("- upstream: seeds.status_codes, source staging.tenants");
    expect(md).toContain("- downstream: gold.tenant_count");
    expect(md).toContain("| tenant_id | PMS tenant id | not_null; unique |");
    expect(md).toContain("relationships (to: ref('status_codes'), field: code; severity warn)");
    expect(md).toMatch(/## gold.tenant_count[\s\S]*count_positive \(singular, tests\/count_positive.sql\)/);

    const out = path.join(tempRoot(), "docs");
    expect(await modelsDocs({ project, out }, capture())).toBe(0);
    const html = readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toContain('<section id="silver-stg_tenants">');
    expect(html).toContain('downstream: <a href="#gold-tenant_count">gold.tenant_count</a>');
    expect(readFileSync(path.join(out, "index.md"), "utf8")).toBe(md);
  });

  it("a compile error lists every problem and exits through the error path", async () => {
    const bad = writeProject({ "silver/a.sql": "SELECT * FROM {{ ref('x') }}", "silver/b.sql": "{% if %}" });
    const err = await modelsRun("build", { project: bad, warehouse: location }, capture()).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      "2 problems in the model project:\n" +
        "  silver/a.sql: ref('x'): there is no model or seed named x\n" +
        "  silver/b.sql: line 1, column 7: unexpected token: %}",
    );
  });

  it("finds ./models, else the models folder shipped beside the package", () => {
    const cwd = tempRoot();
    const repoModels = fileURLToPath(new URL("../../models", import.meta.url));
    expect(resolveProjectDir(undefined, cwd)).toBe(repoModels);
    writeFileSync(path.join(cwd, "x"), "");
    writeProject({ "silver/a.sql": "SELECT 1" }, path.join(cwd, "models"));
    expect(resolveProjectDir(undefined, cwd)).toBe(path.join(cwd, "models"));
    expect(resolveProjectDir("elsewhere", cwd)).toBe(path.join(cwd, "elsewhere"));
  });
});
