/** The filter parser and the WHERE builder: validation messages and bound parameters only. */
import { describe, expect, it } from "vitest";
import { buildWhere, filtersQuery, mondayOf, parseFilters, type AllowedValues } from "./filters.js";

const allowed: AllowedValues = {
  tenant_type: [
    { code: "individual", ja: "個人", en: "Individual" },
    { code: "corporate", ja: "法人", en: "Corporate" },
  ],
  municipality: [{ code: "新宿区", ja: "新宿区", en: "Shinjuku-ku" }],
};
const ALL = ["from", "to", "grain", "tenant_type", "nationality", "building", "municipality"] as const;

describe("parseFilters", () => {
  it("keeps valid dates, allow-listed values and a grain; empty values mean not filtered", () => {
    expect(
      parseFilters(
        {
          from: "2026-01-01",
          to: "2026-01-31",
          tenant_type: "corporate",
          municipality: "新宿区",
          grain: "month",
          nationality: "",
        },
        ALL,
        allowed,
      ),
    ).toEqual({
      ok: true,
      filters: {
        from: "2026-01-01",
        to: "2026-01-31",
        tenant_type: "corporate",
        municipality: "新宿区",
        grain: "month",
      },
    });
  });

  it("refuses malformed and impossible dates, reversed ranges, unknown values, naming each parameter", () => {
    const parsed = parseFilters(
      { from: "2026-02-30", to: "20260101", tenant_type: "' OR 1=1 --", building: "HJ1", grain: "year" },
      ALL,
      allowed,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [
        "from: expected a date YYYY-MM-DD, got '2026-02-30'",
        "to: expected a date YYYY-MM-DD, got '20260101'",
        "grain: expected one of day, week, month, got 'year'",
        "tenant_type: unknown value '' OR 1=1 --'",
        "building: unknown value 'HJ1'",
      ],
    });
    expect(parseFilters({ from: "2026-02-01", to: "2026-01-01" }, ALL, allowed)).toEqual({
      ok: false,
      errors: ["from (2026-02-01) is after to (2026-01-01)"],
    });
  });

  it("ignores parameters the page does not accept and shortens long values in messages", () => {
    expect(parseFilters({ tenant_type: "x", from: "2026-01-01" }, ["from"], allowed)).toEqual({
      ok: true,
      filters: { from: "2026-01-01" },
    });
    const long = parseFilters({ building: "x".repeat(500) }, ["building"], allowed);
    expect(long.ok ? "" : long.errors[0]).toBe(`building: unknown value '${"x".repeat(60)}…'`);
  });
});

describe("buildWhere", () => {
  it("binds every value as a parameter; periods overlapping the range are kept", () => {
    const w = buildWhere(
      { from: "2026-01-07", to: "2026-01-20", tenant_type: "corporate", municipality: "新宿区" },
      {
        date: { column: "week_start", grain: "week" },
        tenant_type: "tenant_type",
        municipality: "municipality_ja",
      },
      [{ sql: "period_type = ?", params: ["week"] }],
    );
    expect(w.where).toBe(
      "WHERE week_start >= CAST(? AS DATE) AND week_start <= CAST(? AS DATE) AND tenant_type = ? AND municipality_ja = ? AND period_type = ?",
    );
    expect(w.params).toEqual(["2026-01-05", "2026-01-20", "corporate", "新宿区", "week"]);
    const month = buildWhere({ from: "2026-01-07" }, { date: { column: "month_start", grain: "month" } });
    expect(month.params).toEqual(["2026-01-01"]);
  });

  it("leaves out filters the mart has no column for", () => {
    expect(buildWhere({ building: "HJ1", nationality: "JP" }, { nationality: "nationality_code" })).toEqual({
      where: "WHERE nationality_code = ?",
      params: ["JP"],
    });
    expect(buildWhere({}, {})).toEqual({ where: "", params: [] });
  });
});

describe("helpers", () => {
  it("mondayOf: weeks start on Monday", () => {
    expect(mondayOf("2026-01-05")).toBe("2026-01-05");
    expect(mondayOf("2026-01-11")).toBe("2026-01-05");
    expect(mondayOf("2026-03-01")).toBe("2026-02-23");
  });

  it("filtersQuery: a shareable query string", () => {
    expect(filtersQuery({ from: "2026-01-01", municipality: "新宿区" }, { table: "weekly" })).toBe(
      "?from=2026-01-01&municipality=%E6%96%B0%E5%AE%BF%E5%8C%BA&table=weekly",
    );
    expect(filtersQuery({})).toBe("");
  });
});
