/** The statements each materialization returns (pure; the executor runs them in order). */
import { describe, expect, it } from "vitest";
import { materializeIncremental, runsIncrementally } from "./incremental.js";
import { materializeSeed } from "./seed.js";
import { materializeTable } from "./table.js";
import { materializeView } from "./view.js";

const target = { schema: "silver", name: "snap" };

describe("materializations return standard SQL statements", () => {
  it("view", () => {
    expect(materializeView(target, "SELECT 1").statements).toEqual([
      'CREATE OR REPLACE VIEW "silver"."snap" AS\nSELECT 1\n',
    ]);
    expect(materializeView({ ...target, existing: "table" }, "SELECT 1").statements[0]).toBe(
      'DROP TABLE IF EXISTS "silver"."snap"',
    );
  });

  it("table: build under __tmp, drop the old, rename", () => {
    expect(materializeTable({ ...target, existing: "view" }, "SELECT 1")).toEqual({
      statements: [
        'DROP TABLE IF EXISTS "silver"."snap__tmp"',
        'CREATE TABLE "silver"."snap__tmp" AS\nSELECT 1\n',
        'DROP VIEW IF EXISTS "silver"."snap"',
        'ALTER TABLE "silver"."snap__tmp" RENAME TO "snap"',
      ],
      rows: "count",
    });
  });

  it("incremental: slice table, delete by composite key with EXISTS, insert, drop the slice", () => {
    const plan = materializeIncremental({ ...target, existing: "table" }, "SELECT 1", {
      incremental: true,
      uniqueKey: ["snapshot_date", "tenant_id"],
    });
    expect(plan).toEqual({
      statements: [
        'DROP TABLE IF EXISTS "silver"."snap__incr"',
        'CREATE TABLE "silver"."snap__incr" AS\nSELECT 1\n',
        'DELETE FROM "silver"."snap" WHERE EXISTS (SELECT 1 FROM "silver"."snap__incr" AS slice WHERE ' +
          'slice."snapshot_date" = "silver"."snap"."snapshot_date" AND slice."tenant_id" = "silver"."snap"."tenant_id")',
        'INSERT INTO "silver"."snap" SELECT * FROM "silver"."snap__incr"',
        'DROP TABLE "silver"."snap__incr"',
      ],
      rows: 3,
    });
    expect(
      materializeIncremental({ ...target, existing: "table" }, "SELECT 1", {
        incremental: true,
        uniqueKey: [],
      }).statements,
    ).not.toContainEqual(expect.stringMatching(/^DELETE/));
    expect(materializeIncremental(target, "SELECT 1", { incremental: false, uniqueKey: [] }).rows).toBe(
      "count",
    );
  });

  it("incremental with delete_where: deletes by the predicate instead of the key, so cost follows the slice", () => {
    const plan = materializeIncremental({ ...target, existing: "table" }, "SELECT 1", {
      incremental: true,
      uniqueKey: ["snapshot_date", "id"],
      deleteWhere: "snapshot_date = DATE '2026-01-31'",
    });
    const deletes = plan.statements.filter((s) => s.startsWith("DELETE"));
    expect(deletes).toEqual([`DELETE FROM "silver"."snap" WHERE snapshot_date = DATE '2026-01-31'`]);
    expect(plan.statements.find((s) => s.startsWith("INSERT"))).toMatch(
      /^INSERT INTO "silver"."snap" SELECT \* FROM/,
    );
  });

  it("incremental runs only when the target is a table and no refresh applies to it", () => {
    const open = { fullRefresh: true };
    const protectedModel = { fullRefresh: false };
    expect(runsIncrementally(undefined, open, {})).toBe(false);
    expect(runsIncrementally("view", open, {})).toBe(false);
    expect(runsIncrementally("table", open, {})).toBe(true);
    expect(runsIncrementally("table", open, { fullRefresh: true })).toBe(false);
    expect(runsIncrementally("table", protectedModel, { fullRefresh: true })).toBe(true);
    expect(
      runsIncrementally("table", protectedModel, { fullRefresh: true, fullRefreshProtected: true }),
    ).toBe(false);
  });

  it("seed: typed CREATE TABLE and CAST literals, NULL for empty cells", () => {
    const plan = materializeSeed(
      { schema: "seeds", name: "codes" },
      {
        seedColumns: [
          { name: "code", sqlType: "INTEGER", declared: false },
          { name: "label", sqlType: "VARCHAR", declared: false },
        ],
        rows: [
          ["1", "it's"],
          ["2", ""],
        ],
      },
    );
    expect(plan.statements).toEqual([
      'DROP TABLE IF EXISTS "seeds"."codes__tmp"',
      'CREATE TABLE "seeds"."codes__tmp" ("code" INTEGER, "label" VARCHAR)',
      `INSERT INTO "seeds"."codes__tmp" VALUES\n(CAST('1' AS INTEGER), CAST('it''s' AS VARCHAR)),\n(CAST('2' AS INTEGER), CAST(NULL AS VARCHAR))`,
      'ALTER TABLE "seeds"."codes__tmp" RENAME TO "codes"',
    ]);
  });
});
