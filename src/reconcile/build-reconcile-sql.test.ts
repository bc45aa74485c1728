import { describe, expect, it } from "vitest";
import {
  DEFINITIONS,
  buildMoveinsSql,
  buildMoveoutsSql,
  buildOccupancySql,
  nextDay,
} from "./build-reconcile-sql.js";

const closed = {
  monthStart: "2026-03-01",
  monthEnd: "2026-03-31",
  periodEnd: "2026-03-31",
  asOfDate: "2026-03-31",
};
const inProgress = {
  monthStart: "2026-04-01",
  monthEnd: "2026-04-30",
  periodEnd: "2026-04-03",
  asOfDate: "2026-04-03",
};
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe("reconcile SQL builders", () => {
  it("bind one parameter per placeholder, dates only", () => {
    for (const build of [buildMoveinsSql, buildMoveoutsSql, buildOccupancySql])
      for (const period of [closed, inProgress]) {
        const { sql, params } = build(period);
        expect(placeholders(sql)).toBe(params.length);
        for (const p of params) expect(p).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    expect(buildOccupancySql(closed).params).toEqual([
      "2026-03-01",
      "2026-03-01",
      "2026-03-31",
      "2026-03-31",
      "2026-04-01",
    ]);
  });

  it("emit every definition of the catalog, the projected whole month only for a month in progress", () => {
    const keys = (sql: string) => [...sql.matchAll(/SELECT '([a-z_0-9]+)' AS definition/g)].map((m) => m[1]);
    const moveins = DEFINITIONS.moveins.map((d) => d.key);
    expect(keys(buildMoveinsSql(inProgress).sql)).toEqual(moveins);
    expect(keys(buildMoveinsSql(closed).sql)).toEqual(moveins.filter((k) => k !== "whole_month_projected"));
    const moveouts = DEFINITIONS.moveouts.map((d) => d.key);
    expect(keys(buildMoveoutsSql(inProgress).sql)).toEqual(moveouts);
    expect(keys(buildMoveoutsSql(closed).sql)).toEqual(moveouts.filter((k) => k !== "whole_month_projected"));
    expect(keys(buildOccupancySql(closed).sql)).toEqual(DEFINITIONS.occupancy.map((d) => d.key));
  });

  it("use the official columns and status sets", () => {
    const ins = buildMoveinsSql(closed).sql;
    expect(ins).toContain("FROM silver.stg_movings m, p WHERE NOT m.is_cancelled AND m.move_in_date BETWEEN");
    expect(ins).toContain("FROM staging.movings r");
    expect(buildMoveoutsSql(closed).sql).toContain("m.moveout_plans_date BETWEEN p.from_day AND p.to_day");
    const occ = buildOccupancySql(closed).sql;
    expect(occ).toContain("s.status IN (7, 9, 13, 14)");
    expect(occ).toContain("s.status IN (4, 5, 7, 9, 10, 11, 12, 13, 14, 15)");
    expect(occ).toContain("s.status IN (4, 5, 6, 7, 9)");
    expect(occ).not.toMatch(/INTERVAL|date_add|to_days/i);
  });

  it("nextDay crosses month and year ends", () => {
    expect(nextDay("2026-03-31")).toBe("2026-04-01");
    expect(nextDay("2025-12-31")).toBe("2026-01-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
  });
});
