import { describe, expect, it } from "vitest";
import { ExternalCsvError, parseExternalCsv, splitCsvLine } from "./parse-external-csv.js";

const FILE = "report.csv";

function problemsOf(text: string): string {
  try {
    parseExternalCsv(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ExternalCsvError);
    expect((err as ExternalCsvError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error("expected an ExternalCsvError");
}

describe("parseExternalCsv", () => {
  it("reads a good file: counts, thousands separators, rates as fractions and percents", () => {
    const figures = parseExternalCsv(
      [
        "month,metric,value",
        "2026-02,moveins,304",
        '2026-02,moveouts,"1,549"',
        "2026-01,occupancy_rate,70.7%",
        "2026-01,occupancy_rate,0.7071",
        '2026-01,occupied_rooms,"11,271"',
        "",
      ].join("\r\n"),
      FILE,
    );
    expect(figures).toEqual([
      { line: 2, month: "2026-02", metric: "moveins", value: 304, decimals: 0, text: "304" },
      { line: 3, month: "2026-02", metric: "moveouts", value: 1549, decimals: 0, text: "1,549" },
      { line: 4, month: "2026-01", metric: "occupancy_rate", value: 0.707, decimals: 3, text: "70.7%" },
      { line: 5, month: "2026-01", metric: "occupancy_rate", value: 0.7071, decimals: 4, text: "0.7071" },
      { line: 6, month: "2026-01", metric: "occupied_rooms", value: 11271, decimals: 0, text: "11,271" },
    ]);
  });

  it("accepts any column order, extra columns, a BOM, blank and comment lines, upper-case metric", () => {
    const figures = parseExternalCsv(
      "\uFEFFsource,value,metric,month\n# from the board pack\n\nboard,12,MOVEINS,2026-03\n",
      FILE,
    );
    expect(figures).toEqual([
      { line: 4, month: "2026-03", metric: "moveins", value: 12, decimals: 0, text: "12" },
    ]);
  });

  it("names the file, line and column when a header column is missing", () => {
    expect(problemsOf("month,value\n2026-01,3\n")).toMatch(
      /^report\.csv:1: field 'metric': missing column 'metric'/,
    );
    expect(problemsOf("")).toMatch(/report\.csv:1: empty file/);
    expect(problemsOf("month,metric,value\n")).toMatch(/report\.csv:1: no figures/);
  });

  it("names the line and field of every bad row", () => {
    const message = problemsOf(
      [
        "month,metric,value",
        "2026-1,moveins,3",
        "2026-13,moveins,3",
        "2026-01,arrivals,3",
        "2026-01,moveins,abc",
        "2026-01,moveins,12.5",
        "2026-01,moveins,-1",
        "2026-01,moveins,1,234",
        "2026-01,occupancy_rate,70.7",
        "2026-01,occupancy_rate,170%",
        "2026-01,moveouts,5%",
        "2026-01,moveouts,",
        '2026-01,moveouts,"12',
        "2026-01,moveouts",
      ].join("\n"),
    );
    const lines = message.split("\n");
    expect(lines).toEqual([
      "report.csv:2: field 'month': expected YYYY-MM, got '2026-1'",
      "report.csv:3: field 'month': expected YYYY-MM, got '2026-13'",
      "report.csv:4: field 'metric': unknown metric 'arrivals' (one of moveins, moveouts, occupancy_rate, occupied_rooms)",
      "report.csv:5: field 'value': not a number: 'abc' (write 1234, 1,234, 0.707 or 70.7%)",
      "report.csv:6: field 'value': a whole number expected for moveins, got '12.5'",
      "report.csv:7: field 'value': a count cannot be negative: '-1'",
      'report.csv:8: 4 fields, the header has 3 (quote values with thousands separators: "1,234")',
      "report.csv:9: field 'value': a rate between 0 and 1 expected, got '70.7' (write a percent with a % sign: 70.7%)",
      "report.csv:10: field 'value': a percent between 0% and 100% expected, got '170%'",
      "report.csv:11: field 'value': a count expected for moveouts, got the percent '5%'",
      "report.csv:12: field 'value': empty value",
      "report.csv:13: unterminated quoted field",
      'report.csv:14: 2 fields, the header has 3 (quote values with thousands separators: "1,234")',
    ]);
  });

  it("rejects badly grouped thousands separators", () => {
    expect(problemsOf('month,metric,value\n2026-01,moveins,"12,34"\n')).toMatch(
      /line|report\.csv:2: field 'value': not a number/,
    );
  });
});

describe("splitCsvLine", () => {
  it("handles quotes and escaped quotes", () => {
    expect(splitCsvLine('a, "1,234" ,"say ""hi"""')).toEqual(["a", "1,234", 'say "hi"']);
    expect(splitCsvLine('"open')).toBeNull();
  });
});
