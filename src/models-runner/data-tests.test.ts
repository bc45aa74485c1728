/** Data tests, build order, skipping and stored results against a real warehouse (DuckDB; PostgreSQL through models.postgres.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StateWriter, Warehouse } from "../warehouse/warehouse.js";
import { loadProject } from "./load-project.js";
import { buildModels, runModels, runTests } from "./run-models.js";
import {
  removeTempRoots,
  rowsOf,
  suiteEngine,
  warehouseWith,
  writeProject,
} from "./testing/fixture-project.js";
import type { ModelEvent, ModelProject, TestResult } from "./types.js";

/** The suite's engine (DuckDB, or PostgreSQL from *.postgres.test.ts). */
const duck = suiteEngine;

const STAGING = `CREATE SCHEMA staging;
CREATE TABLE staging.tenants (tenant_id INTEGER, status INTEGER, rooms INTEGER, is_projection BOOLEAN);
INSERT INTO staging.tenants VALUES (1, 1, 3, FALSE), (2, 2, 0, FALSE), (3, 9, -1, TRUE), (NULL, 1, 2, FALSE), (2, 3, 1, FALSE);`;

/** Every test type twice: one passing, one failing. */
const YAML = `models:
  - name: tenants
    columns:
      - name: tenant_id
        tests:
          - not_null
          - unique
          - not_null: { name: not_null_filtered, where: "tenant_id IS NOT NULL OR rooms <> 2" }
          - unique: { name: unique_filtered, where: "status <> 3" }
      - name: status
        tests:
          - accepted_values: { values: [1, 2, 3, 9] }
          - accepted_values: { name: status_no_nine, values: [1, 2, 3], severity: warn }
          - relationships: { to: ref('status_codes'), field: code }
          - relationships: { name: status_in_small_list, to: ref('status_codes'), field: code, where: "status < 9", config: { severity: error } }
      - name: rooms
        tests:
          - expression_is_true: { expression: ">= 0", where: "NOT is_projection" }
    tests:
      - expression_is_true: { name: rooms_non_negative, expression: "rooms >= 0" }
      - row_count: { min: 1, max: 100 }
      - row_count: { name: too_many_rows, max: 2 }
      - unique_combination: { columns: [tenant_id, status] }
      - unique_combination: { name: dates_unique_on_slice, columns: [tenant_id], where: "status >= {{ var('min_status', 3) }}" }
`;

let project: ModelProject;
let warehouse: Warehouse;
let writer: StateWriter;
let results: TestResult[];

beforeAll(async () => {
  project = await loadProject(
    writeProject({
      "seeds/status_codes.csv": "code,label\n1,applied\n2,moved in\n3,left\n",
      "silver/tenants.sql":
        "{{ config(materialized='table') }}\nSELECT * FROM {{ source('staging', 'tenants') }}",
      "silver/tenants.yml": YAML,
      "tests/no_negative_rooms.sql": "-- severity: warn\nSELECT * FROM {{ ref('tenants') }} WHERE rooms < 0",
      "tests/all_ok.sql": "SELECT * FROM {{ ref('tenants') }} WHERE rooms > 1000",
    }),
  );
  ({ warehouse } = await warehouseWith(STAGING));
  writer = await warehouse.beginState();
  await runModels(writer, project, duck);
  results = await runTests(writer, project, { ...duck, runId: "run-t" });
});
afterAll(async () => {
  await warehouse.close();
  removeTempRoots();
});

const result = (id: string) => {
  const r = results.find((t) => t.test === id);
  if (!r) throw new Error(`no result for ${id}: ${results.map((t) => t.test).join(", ")}`);
  return r;
};

describe("generic tests", () => {
  it.each([
    ["not_null_tenants_tenant_id", "fail", 1],
    ["not_null_filtered", "pass", 0],
    ["unique_tenants_tenant_id", "fail", 1],
    ["unique_filtered", "pass", 0],
    ["accepted_values_tenants_status", "pass", 0],
    ["status_no_nine", "warn", 1],
    ["relationships_tenants_status", "fail", 1],
    ["status_in_small_list", "pass", 0],
    ["expression_is_true_tenants_rooms", "pass", 0],
    ["rooms_non_negative", "fail", 1],
    ["row_count_tenants", "pass", 0],
    ["too_many_rows", "fail", 1],
    ["unique_combination_tenants_tenant_id_status", "pass", 0],
    ["dates_unique_on_slice", "pass", 0],
    ["no_negative_rooms", "warn", 1],
    ["all_ok", "pass", 0],
  ])("%s: %s with %i failing rows", (id, status, failures) => {
    expect(result(id)).toMatchObject({ status, failures });
  });

  it("keeps up to 5 sample rows of the failures", () => {
    expect(result("status_no_nine").samples).toEqual([{ value: 9, n_records: 1 }]);
    expect(result("unique_tenants_tenant_id").samples).toEqual([{ value: 2, n_records: 2 }]);
    expect(result("too_many_rows").samples).toEqual([{ row_count: 5 }]);
    expect(result("relationships_tenants_status").node).toBe("silver.tenants");
  });

  it("renders var() in where filters", async () => {
    const [r] = await runTests(writer, project, {
      ...duck,
      select: "dates_unique_on_slice",
      vars: { min_status: 2 },
    });
    expect(r).toMatchObject({ test: "dates_unique_on_slice", status: "fail", failures: 1 });
  });

  it("reports a test on a missing column as an error", async () => {
    const broken = await loadProject(
      writeProject({
        "silver/tenants.sql": "SELECT 1 AS x",
        "silver/tenants.yml":
          "models:\n  - name: tenants\n    columns:\n      - name: nope\n        tests: [not_null]\n",
      }),
    );
    const [r] = await runTests(writer, broken, duck);
    expect(r).toMatchObject({ status: "error", severity: "error" });
    expect(r!.message).toMatch(/nope/);
  });

  it("stores every result of the run in tokyobeta_meta.test_results", async () => {
    const stored = await rowsOf(
      writer,
      "SELECT test, node, severity, status, failures, sample_json FROM tokyobeta_meta.test_results WHERE run_id = 'run-t' ORDER BY test",
    );
    expect(stored).toHaveLength(results.length);
    expect(stored.find((r) => r.test === "status_no_nine")).toEqual({
      test: "status_no_nine",
      node: "silver.tenants",
      severity: "warn",
      status: "warn",
      failures: 1,
      sample_json: '[{"value":9,"n_records":1}]',
    });
  });
});

describe("buildModels", () => {
  beforeAll(() => writer.abandon());
  const files = {
    "silver/base.sql": "{{ config(materialized='table') }}\nSELECT * FROM {{ source('staging', 'tenants') }}",
    "silver/base.yml":
      "models:\n  - name: base\n    columns:\n      - name: tenant_id\n        tests: [{ unique: { severity: warn } }]\n",
    "silver/mid.sql": "{{ config(materialized='table') }}\nSELECT * FROM {{ ref('base') }}",
    "gold/top.sql": "SELECT * FROM {{ ref('mid') }}",
    "gold/side.sql": "SELECT 1 AS one",
  };

  it("runs each node's tests right after it and skips descendants of an error failure", async () => {
    const p = await loadProject(
      writeProject({
        ...files,
        "silver/mid.yml":
          "models:\n  - name: mid\n    columns:\n      - name: tenant_id\n        tests: [not_null]\n",
      }),
    );
    const events: string[] = [];
    const onEvent = (e: ModelEvent) =>
      events.push(
        e.type === "ModelBuilt"
          ? `${e.result.node}:${e.result.status}`
          : `${e.result.test}:${e.result.status}`,
      );
    const w = await warehouse.beginState();
    const build = await buildModels(w, p, { ...duck, runId: "run-b", onEvent });
    expect(events).toEqual([
      "gold.side:success",
      "silver.base:success",
      "unique_base_tenant_id:warn",
      "silver.mid:success",
      "not_null_mid_tenant_id:fail",
      "gold.top:skipped",
    ]);
    expect(build.ok).toBe(false);
    expect(build.models.find((m) => m.node === "gold.top")!.message).toBe(
      "upstream silver.mid: test not_null_mid_tenant_id failed",
    );
    expect(
      await rowsOf(
        w,
        "SELECT node, kind, status FROM tokyobeta_meta.model_runs WHERE run_id = 'run-b' ORDER BY node",
      ),
    ).toEqual([
      { node: "gold.side", kind: "model", status: "success" },
      { node: "gold.top", kind: "model", status: "skipped" },
      { node: "silver.base", kind: "model", status: "success" },
      { node: "silver.mid", kind: "model", status: "success" },
    ]);
    await w.abandon();
  });

  it("skips descendants of a model error and their tests; warn failures still publishable", async () => {
    const p = await loadProject(
      writeProject({
        ...files,
        "silver/mid.sql": "SELECT no_such_column FROM {{ ref('base') }}",
        "gold/top.yml": "models:\n  - name: top\n    tests: [{ row_count: { min: 1 } }]\n",
      }),
    );
    const w = await warehouse.beginState();
    const build = await buildModels(w, p, duck);
    const status = Object.fromEntries(build.models.map((m) => [m.node, m.status]));
    expect(status).toEqual({
      "gold.side": "success",
      "silver.base": "success",
      "silver.mid": "error",
      "gold.top": "skipped",
    });
    expect(build.models.find((m) => m.node === "gold.top")!.message).toBe(
      "upstream silver.mid: silver.mid failed",
    );
    expect(build.tests.map((t) => [t.test, t.status])).toEqual([
      ["unique_base_tenant_id", "warn"],
      ["row_count_top", "skipped"],
    ]);
    expect(build.tests[1]!.message).toBe("upstream gold.top: upstream silver.mid did not build");
    expect(build.ok).toBe(false);

    const ok = await buildModels(w, await loadProject(writeProject(files)), duck);
    expect(ok.ok).toBe(true);
    await w.abandon();
  });

  it("runs a singular test after all the models it reads", async () => {
    const p = await loadProject(
      writeProject({
        ...files,
        "tests/top_matches_side.sql": "SELECT * FROM {{ ref('top') }} JOIN {{ ref('side') }} ON FALSE",
      }),
    );
    const w = await warehouse.beginState();
    const order: string[] = [];
    await buildModels(w, p, {
      ...duck,
      onEvent: (e) =>
        order.push(e.type === "ModelBuilt" ? e.result.node : `${e.result.test}:${e.result.status}`),
    });
    expect(order).toEqual([
      "gold.side",
      "silver.base",
      "unique_base_tenant_id:warn",
      "silver.mid",
      "gold.top",
      "top_matches_side:pass",
    ]);
    await w.abandon();
  });
});
