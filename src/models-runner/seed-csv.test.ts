import { describe, expect, it } from "vitest";
import { inferSqlType, parseCsv, readSeed } from "./seed-csv.js";

describe("seed CSV", () => {
  it("parses quoted fields, doubled quotes, embedded newlines, CRLF and a BOM", () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",\r\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["multi\nline", ""],
    ]);
  });

  it("infers integer, bigint, decimal, date, boolean and text; empty cells fit every type", () => {
    expect(inferSqlType(["1", "-2", ""])).toBe("INTEGER");
    expect(inferSqlType(["1", "3000000000"])).toBe("BIGINT");
    expect(inferSqlType(["1", "12.345", "-0.5"])).toBe("DECIMAL(5,3)");
    expect(inferSqlType(["2026-01-31", ""])).toBe("DATE");
    expect(inferSqlType(["2026-13-45"])).toBe("VARCHAR");
    expect(inferSqlType(["true", "FALSE"])).toBe("BOOLEAN");
    expect(inferSqlType(["1", "x"])).toBe("VARCHAR");
    expect(inferSqlType(["", ""])).toBe("VARCHAR");
  });

  it("declared column types win; problems are reported, not thrown", () => {
    const seed = readSeed("code,code,\n1,2\n", { nope: "INTEGER" });
    expect(seed.problems).toEqual([
      'column "code" appears twice in the header',
      "a header cell is empty",
      "row 2 has 2 fields, the header has 3",
      'column_types names "nope", which is not in the header',
    ]);
    expect(readSeed("code\n01\n", { code: "VARCHAR" }).columns).toEqual([
      { name: "code", sqlType: "VARCHAR", declared: true },
    ]);
  });
});
