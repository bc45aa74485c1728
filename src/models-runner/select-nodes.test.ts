import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { loadProject } from "./load-project.js";
import { selectNodes } from "./select-nodes.js";
import { removeTempRoots, writeProject } from "./testing/fixture-project.js";
import type { ModelProject } from "./types.js";

let project: ModelProject;

beforeAll(async () => {
  project = await loadProject(
    writeProject({
      "seeds/codes.csv": "code\n1\n",
      "seeds/seeds.yml": "seeds:\n  - name: codes\n    columns: [{ name: code, tests: [unique] }]\n",
      "silver/a.sql": "{{ config(tags=['core']) }} SELECT * FROM {{ ref('codes') }}",
      "silver/b.sql": "SELECT * FROM {{ ref('a') }}",
      "silver/b.yml":
        "models:\n  - name: b\n    config: { tags: [core, daily] }\n    columns: [{ name: code, tests: [not_null] }]\n",
      "gold/c.sql": "SELECT * FROM {{ ref('b') }}",
      "gold/d.sql": "SELECT 1 AS one",
      "tests/c_ok.sql": "SELECT * FROM {{ ref('c') }} WHERE FALSE",
    }),
  );
});
afterAll(removeTempRoots);

const nodes = (select?: string | string[], exclude?: string | string[]) =>
  selectNodes(project, { select, exclude }).nodes;

describe("selectNodes", () => {
  it("selects everything by default, in graph order", () => {
    expect(selectNodes(project)).toEqual({
      nodes: ["gold.d", "seeds.codes", "silver.a", "silver.b", "gold.c"],
      tests: ["unique_codes_code", "not_null_b_code", "c_ok"],
    });
  });

  it("selects by name, id, name+ and +name", () => {
    expect(nodes("b")).toEqual(["silver.b"]);
    expect(nodes("silver.b")).toEqual(["silver.b"]);
    expect(nodes("a+")).toEqual(["silver.a", "silver.b", "gold.c"]);
    expect(nodes("+b")).toEqual(["seeds.codes", "silver.a", "silver.b"]);
    expect(nodes("+b+")).toEqual(["seeds.codes", "silver.a", "silver.b", "gold.c"]);
  });

  it("selects by tag and schema; several selectors comma or space separated", () => {
    expect(nodes("tag:core")).toEqual(["silver.a", "silver.b"]);
    expect(nodes("tag:daily")).toEqual(["silver.b"]);
    expect(nodes("schema:gold")).toEqual(["gold.d", "gold.c"]);
    expect(nodes("d,codes")).toEqual(["gold.d", "seeds.codes"]);
    expect(nodes(["d codes", "c"])).toEqual(["gold.d", "seeds.codes", "gold.c"]);
  });

  it("excludes with the same syntax", () => {
    expect(nodes(undefined, "a+")).toEqual(["gold.d", "seeds.codes"]);
    expect(nodes("+c", "tag:core")).toEqual(["seeds.codes", "gold.c"]);
  });

  it("brings the tests of selected nodes along; a test can be named or excluded", () => {
    expect(selectNodes(project, { select: "b" }).tests).toEqual(["not_null_b_code"]);
    expect(selectNodes(project, { select: "c_ok" })).toEqual({ nodes: [], tests: ["c_ok"] });
    expect(selectNodes(project, { exclude: "c_ok" }).tests).toEqual(["unique_codes_code", "not_null_b_code"]);
    expect(selectNodes(project, { exclude: "codes" }).tests).toEqual(["not_null_b_code", "c_ok"]);
  });

  it("refuses a selector that matches nothing", () => {
    expect(() => nodes("nope")).toThrow(UsageError);
    expect(() => nodes("tag:nope")).toThrow(/"tag:nope" matches nothing/);
  });
});
