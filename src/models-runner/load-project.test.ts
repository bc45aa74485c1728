import { afterAll, describe, expect, it } from "vitest";
import { ModelCompileError } from "../errors.js";
import { buildGraph } from "./build-graph.js";
import { compileNode, compileTest } from "./compile-node.js";
import { loadProject } from "./load-project.js";
import { parseVarAssignments } from "./template.js";
import { removeTempRoots, writeProject } from "./testing/fixture-project.js";

afterAll(removeTempRoots);

async function compileErrorOf(files: Record<string, string>): Promise<ModelCompileError> {
  const err = await loadProject(writeProject(files)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ModelCompileError);
  return err as ModelCompileError;
}

describe("loadProject", () => {
  it("reads seeds, models, YAML docs, tests and macros", async () => {
    const dir = writeProject({
      "seeds/status_codes.csv":
        "code,label_en,active,since\n1,Applied,true,2020-01-01\n2,Moved in,false,2021-02-03\n",
      "seeds/seeds.yml":
        "seeds:\n  - name: status_codes\n    description: Codes.\n    column_types: { code: smallint }\n",
      "silver/stg_tenants.sql":
        "{{ config(materialized='table', tags=['silver']) }}\nSELECT * FROM {{ source('staging', 'tenants') }}",
      "silver/schema.yml":
        "models:\n  - name: stg_tenants\n    description: Tenants.\n    columns:\n      - name: tenant_id\n        description: id\n        tests: [not_null, unique]\n",
      "tests/no_orphans.sql": "-- severity: warn\nSELECT * FROM {{ ref('stg_tenants') }} WHERE 1 = 0",
      "macros/duckdb/dates.sql": "{% macro days(n) %}INTERVAL ({{ n }}) DAY{% endmacro %}",
    });
    const project = await loadProject(dir);
    expect([...project.nodes.keys()].sort()).toEqual(["seeds.status_codes", "silver.stg_tenants"]);
    const seed = project.nodes.get("seeds.status_codes")!;
    expect(seed.kind === "seed" && seed.seedColumns.map((c) => c.sqlType)).toEqual([
      "smallint",
      "VARCHAR",
      "BOOLEAN",
      "DATE",
    ]);
    const model = project.nodes.get("silver.stg_tenants")!;
    expect(model.kind === "model" && model.config).toMatchObject({ materialized: "table", tags: ["silver"] });
    expect(model.kind === "model" && model.sources).toEqual(["staging.tenants"]);
    expect(model.description).toBe("Tenants.");
    expect(project.tests.map((t) => [t.id, t.severity])).toEqual([
      ["not_null_stg_tenants_tenant_id", "error"],
      ["unique_stg_tenants_tenant_id", "error"],
      ["no_orphans", "warn"],
    ]);
    expect(project.tests[2]!.dependsOn).toEqual(["silver.stg_tenants"]);
    expect(project.macros.get("duckdb")![0]!.names).toEqual(["days"]);
  });

  it("collects every problem of the project, each naming its file", async () => {
    const err = await compileErrorOf({
      "silver/a.sql": "SELECT * FROM {{ ref('missing_model') }}",
      "silver/b.sql": "SELECT {% if %} 1",
      "silver/c.sql": "{{ config(materialized='snapshot') }} SELECT 1",
      "silver/d.sql": "SELECT {{ no_such_macro(1) }}",
      "silver/schema.yml":
        "models:\n  - name: ghost\n  - name: a\n    columns:\n      - name: x\n        tests: [not_nul, { accepted_values: { severity: loud } }]\n",
      "gold/bad.yml": "models: [ {name: a, \n",
      "seeds/codes.csv": 'code,label\n1,"unterminated\n',
      "seeds/ragged.csv": "a,b\n1\n",
      "tests/t.sql": "SELECT * FROM {{ ref('nowhere') }}",
      "gold/dup.sql": "SELECT 1",
      "silver/dup.sql": "SELECT 1",
      "macros/duckdb/m.sql": "{% macro only_duck() %}1{% endmacro %}",
      "macros/postgres/m.sql": "{% macro other() %}1{% endmacro %}",
    });
    const byFile = (file: string) => err.problems.filter((p) => p.file === file).map((p) => p.message);
    expect(byFile("silver/a.sql").join("\n")).toMatch(
      /ref\('missing_model'\): there is no model or seed named missing_model/,
    );
    expect(byFile("silver/b.sql")).toEqual(["line 1, column 14: unexpected token: %}"]);
    expect(byFile("silver/c.sql").join("\n")).toMatch(/materialized must be one of view, table, incremental/);
    expect(byFile("silver/d.sql").join("\n")).toMatch(/no_such_macro/);
    expect(byFile("silver/schema.yml").join("\n")).toMatch(
      /model ghost is described but there is no model file ghost.sql/,
    );
    expect(byFile("silver/schema.yml").join("\n")).toMatch(/unknown test "not_nul"/);
    expect(byFile("silver/schema.yml").join("\n")).toMatch(/severity must be error or warn/);
    expect(byFile("silver/schema.yml").join("\n")).toMatch(/values must be a non-empty list/);
    expect(byFile("gold/bad.yml").join("\n")).toMatch(/YAML does not parse/);
    expect(byFile("seeds/codes.csv").join("\n")).toMatch(/unterminated quoted field starting on line 2/);
    expect(byFile("seeds/ragged.csv").join("\n")).toMatch(/row 2 has 1 fields, the header has 2/);
    expect(byFile("tests/t.sql").join("\n")).toMatch(/nowhere/);
    expect(byFile("silver/dup.sql").join("\n")).toMatch(/name dup is already used by gold\/dup.sql/);
    expect(byFile("macros/duckdb/m.sql").join("\n")).toMatch(
      /macro only_duck is defined for duckdb but not for postgres/,
    );
    expect(err.message).toMatch(/problems in the model project/);
    expect(err.message).toContain("silver/a.sql:");
  });

  it("gives every engine the macros of macros/common/, which may call each engine's own", async () => {
    const project = await loadProject(
      writeProject({
        "macros/common/labels.sql":
          "{% macro yes_no(col) %}CASE WHEN {{ col }} THEN {{ yes() }} ELSE 'no' END{% endmacro %}",
        "macros/duckdb/yes.sql": "{% macro yes() %}'ja'{% endmacro %}",
        "macros/postgres/yes.sql": "{% macro yes() %}'yes'{% endmacro %}",
        "gold/flags.sql": "SELECT {{ yes_no('active') }} AS active_label FROM t",
      }),
    );
    expect(compileNode(project, "gold.flags", { engine: "duckdb" })).toContain(
      "CASE WHEN active THEN 'ja' ELSE 'no' END",
    );
    expect(compileNode(project, "gold.flags", { engine: "postgres" })).toContain(
      "CASE WHEN active THEN 'yes' ELSE 'no' END",
    );
    const onlyCommon = await loadProject(
      writeProject({
        "macros/common/labels.sql": "{% macro no() %}'no'{% endmacro %}",
        "gold/n.sql": "SELECT {{ no() }} AS n",
      }),
    );
    expect(compileNode(onlyCommon, "gold.n", { engine: "postgres" })).toBe("SELECT 'no' AS n");
    const nested = await compileErrorOf({ "macros/common/x/deep.sql": "{% macro d() %}1{% endmacro %}" });
    expect(nested.problems.map((p) => p.message).join("\n")).toMatch(/macros\/common\/<file>\.sql/);
  });

  it("names a cycle with its files", async () => {
    const err = await compileErrorOf({
      "silver/a.sql": "SELECT * FROM {{ ref('b') }}",
      "silver/b.sql": "SELECT * FROM {{ ref('c') }}",
      "silver/c.sql": "SELECT * FROM {{ ref('a') }}",
      "gold/d.sql": "SELECT * FROM {{ ref('a') }}",
    });
    expect(err.problems).toEqual([
      {
        file: "silver/a.sql, silver/b.sql, silver/c.sql",
        message: "dependency cycle (each refers to the next): silver.a -> silver.b -> silver.c -> silver.a",
      },
    ]);
  });

  it("finds references inside is_incremental() blocks and test arguments", async () => {
    const project = await loadProject(
      writeProject({
        "seeds/codes.csv": "code\n1\n",
        "silver/base.sql": "SELECT 1 AS id",
        "silver/inc.sql":
          "{{ config(materialized='incremental', unique_key='id') }}\nSELECT * FROM {{ ref('base') }}\n{% if is_incremental() %}WHERE id NOT IN (SELECT id FROM {{ ref('other') }}){% endif %}",
        "silver/other.sql": "SELECT 2 AS id",
        "silver/schema.yml":
          "models:\n  - name: inc\n    columns:\n      - name: id\n        tests:\n          - relationships: { to: ref('codes'), field: code }\n",
      }),
    );
    expect(
      project.nodes.get("silver.inc")!.kind === "model" &&
        (project.nodes.get("silver.inc") as { refs: string[] }).refs,
    ).toEqual(["silver.base", "silver.other"]);
    expect(project.tests[0]!.dependsOn).toEqual(["seeds.codes", "silver.inc"]);
  });
});

describe("graph", () => {
  it("orders parents first, ties by id", async () => {
    const project = await loadProject(
      writeProject({
        "gold/kpi.sql": "SELECT * FROM {{ ref('stg_b') }} JOIN {{ ref('stg_a') }} USING (id)",
        "silver/stg_b.sql": "SELECT * FROM {{ ref('codes') }}",
        "silver/stg_a.sql": "SELECT 1 AS id",
        "seeds/codes.csv": "id\n1\n",
        "gold/z_other.sql": "SELECT 1",
      }),
    );
    expect(buildGraph(project).order).toEqual([
      "gold.z_other",
      "seeds.codes",
      "silver.stg_a",
      "silver.stg_b",
      "gold.kpi",
    ]);
    expect(project.graph.children.get("silver.stg_a")).toEqual(["gold.kpi"]);
  });
});

describe("compileNode", () => {
  it("resolves ref, source, this, var literals and engine macros", async () => {
    const project = await loadProject(
      writeProject({
        "seeds/codes.csv": "code\n1\n",
        "silver/snap.sql": [
          "{{ config(materialized='incremental', unique_key=['snapshot_date', 'id']) }}",
          "SELECT {{ var('snapshot_date') }} AS snapshot_date, {{ var('lookback', 3) }} AS lb, {{ var('label') }} AS label,",
          "  {{ add_days(var('snapshot_date'), 2) }} AS later, {{ var('lookback', 3) + 1 }} AS lb_plus, {{ var('flag') }} AS flag",
          "FROM {{ source('staging', 'tenants') }} JOIN {{ ref('codes') }} ON TRUE",
          "{% if is_incremental() %}WHERE snapshot_date > (SELECT max(snapshot_date) FROM {{ this }}){% endif %}",
          "{% if has_var('missing') %}nope{% endif %}",
        ].join("\n"),
        "macros/duckdb/dates.sql":
          "{% macro add_days(d, n) %}({{ d }} + INTERVAL ({{ n }}) DAY){% endmacro %}",
        "macros/postgres/dates.sql":
          "{% macro add_days(d, n) %}({{ d }} + ({{ n }}) * INTERVAL '1 day'){% endmacro %}",
      }),
    );
    const vars = parseVarAssignments(["snapshot_date=2026-01-31", "label=it's", "flag=true"]);
    const duck = compileNode(project, "silver.snap", { engine: "duckdb", vars, isIncremental: true });
    expect(duck).toContain(`SELECT DATE '2026-01-31' AS snapshot_date, 3 AS lb, 'it''s' AS label,`);
    expect(duck).toContain(`(DATE '2026-01-31' + INTERVAL (2) DAY) AS later, 4 AS lb_plus, TRUE AS flag`);
    expect(duck).toContain(`FROM "staging"."tenants" JOIN "seeds"."codes" ON TRUE`);
    expect(duck).toContain(`FROM "silver"."snap")`);
    expect(duck).not.toContain("nope");
    const pg = compileNode(project, "silver.snap", { engine: "postgres", vars, isIncremental: false });
    expect(pg).toContain(`(DATE '2026-01-31' + (2) * INTERVAL '1 day') AS later`);
    expect(pg).not.toContain("WHERE snapshot_date >");
    expect(() => compileNode(project, "silver.snap", { engine: "duckdb", vars: {} })).toThrow(
      /silver\/snap.sql[\s\S]*var\('snapshot_date'\) is not set/,
    );
  });

  it("compiles generic tests with templated where filters", async () => {
    const project = await loadProject(
      writeProject({
        "silver/t.sql": "SELECT 1 AS id",
        "silver/t.yml":
          "models:\n  - name: t\n    tests:\n      - unique_combination: { columns: [d, id], where: \"d = {{ var('d') }}\" }\n",
      }),
    );
    expect(compileTest(project, project.tests[0]!, { engine: "duckdb", vars: { d: "2026-02-01" } })).toBe(
      `SELECT "d", "id", count(*) AS n_records FROM (SELECT * FROM "silver"."t" WHERE d = DATE '2026-02-01') AS tested GROUP BY "d", "id" HAVING count(*) > 1`,
    );
  });
});
