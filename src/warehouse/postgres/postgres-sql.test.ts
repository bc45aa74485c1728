import { describe, expect, it } from "vitest";
import { countStatements, firstKeyword, rewriteSchemas, translatePlaceholders } from "./postgres-sql.js";

const states = new Set(["staging", "silver", "gold"]);
const map = (name: string) => (states.has(name) ? `${name}__s1` : undefined);

describe("translatePlaceholders", () => {
  it("numbers ? in code only, not in literals, identifiers, comments or dollar quotes", () => {
    const sql = `SELECT ?, '?', "a?", E'\\'?', $$ ? $$, $tag$ ? $tag$ -- ?
      /* ? /* nested ? */ ? */ FROM t WHERE x = ? AND y::int = ?`;
    const { sql: out, count } = translatePlaceholders(sql, (n) => (n === 1 ? "::int4" : ""));
    expect(count).toBe(3);
    expect(out).toBe(
      `SELECT $1::int4, '?', "a?", E'\\'?', $$ ? $$, $tag$ ? $tag$ -- ?
      /* ? /* nested ? */ ? */ FROM t WHERE x = $2 AND y::int = $3`,
    );
  });
});

describe("countStatements and firstKeyword", () => {
  it("splits at semicolons in code only", () => {
    expect(countStatements("SELECT 1")).toBe(1);
    expect(countStatements("SELECT 1;")).toBe(1);
    expect(countStatements("SELECT ';'; -- ;\n DROP TABLE x")).toBe(2);
    expect(countStatements("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql")).toBe(1);
    expect(countStatements("  -- nothing\n ; ")).toBe(0);
  });

  it("reads the first keyword past comments and parentheses", () => {
    expect(firstKeyword("/* c */ (select 1)")).toBe("SELECT");
    expect(firstKeyword("-- x\n with a as (select 1) delete from t")).toBe("WITH");
    expect(firstKeyword("insert into t values (1)")).toBe("INSERT");
  });
});

describe("rewriteSchemas", () => {
  it("maps schema qualifiers of known schemas, quoted or not, in any case", () => {
    expect(rewriteSchemas(`SELECT p.name FROM staging.people p JOIN "silver" . x USING (id)`, map)).toBe(
      `SELECT p.name FROM "staging__s1".people p JOIN "silver__s1" . x USING (id)`,
    );
    expect(rewriteSchemas("SELECT * FROM STAGING.People", map)).toBe(`SELECT * FROM "staging__s1".People`);
  });

  it("leaves literals, comments, dollar bodies, unknown schemas and later name parts alone", () => {
    const sql = `SELECT 'staging.people', other.t, gold.t.col, x.staging.y, 1.5 -- staging.a
      /* silver.b */ FROM gold.t, $$ staging.c $$`;
    expect(rewriteSchemas(sql, map))
      .toBe(`SELECT 'staging.people', other.t, "gold__s1".t.col, x.staging.y, 1.5 -- staging.a
      /* silver.b */ FROM "gold__s1".t, $$ staging.c $$`);
  });

  it("maps and declares schemas named after SCHEMA", () => {
    const declared: string[] = [];
    const known = new Set(states);
    const out = rewriteSchemas(
      `CREATE SCHEMA IF NOT EXISTS enrich; CREATE TABLE enrich.t (a int);
       DROP SCHEMA IF EXISTS silver, gold CASCADE; ALTER SCHEMA staging RENAME TO raw;
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO r; ALTER TABLE gold.t SET SCHEMA enrich; SELECT table_schema AS schema FROM information_schema.tables`,
      (name) => (known.has(name) ? `${name}__s1` : undefined),
      (name) => {
        declared.push(name);
        known.add(name);
      },
    );
    expect(declared).toEqual(["enrich", "silver", "gold", "staging", "raw", "public", "enrich"]);
    expect(out).toContain(`ALTER TABLE "gold__s1".t SET SCHEMA "enrich__s1"`);
    expect(out).toContain(`CREATE SCHEMA IF NOT EXISTS "enrich__s1"; CREATE TABLE "enrich__s1".t`);
    expect(out).toContain(`DROP SCHEMA IF EXISTS "silver__s1", "gold__s1" CASCADE`);
    expect(out).toContain(`ALTER SCHEMA "staging__s1" RENAME TO "raw__s1"`);
    expect(out).toContain(`IN SCHEMA "public__s1"`); // the caller's map decides: a writer never maps system schemas
    expect(out).toContain("SELECT table_schema AS schema FROM information_schema.tables");
  });
});
