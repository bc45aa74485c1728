/**
 * Figures from another report, as a CSV with the header `month,metric,value` (any column
 * order; extra columns are ignored). Pure: text in, figures or one error naming every bad
 * line out.
 */
import { UsageError } from "../errors.js";

export const EXTERNAL_METRICS = ["moveins", "moveouts", "occupancy_rate", "occupied_rooms"] as const;
export type ExternalMetric = (typeof EXTERNAL_METRICS)[number];

export interface ExternalFigure {
  /** 1-based line of the CSV file. */
  line: number;
  /** YYYY-MM. */
  month: string;
  metric: ExternalMetric;
  /** The figure: a count, or a rate as a fraction (70.7% -> 0.707). */
  value: number;
  /** Decimals the figure was given with, in the unit of `value` (70.7% -> 3, 1,234 -> 0). */
  decimals: number;
  /** The value as written. */
  text: string;
}

/** A CSV the command cannot use: every problem, each naming the file, line and field. */
export class ExternalCsvError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: readonly { line: number; field?: string; message: string }[],
  ) {
    super(
      problems
        .map((p) => `${file}:${p.line}${p.field ? `: field '${p.field}'` : ""}: ${p.message}`)
        .join("\n"),
    );
  }
}

const REQUIRED = ["month", "metric", "value"] as const;

/** Splits one CSV record (RFC 4180 quoting: "1,234" and "a ""b""" are one field each). */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  if (quoted) return null;
  fields.push(field);
  return fields.map((f) => f.trim());
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const GROUPED_NUMBER = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** Parses a number written with optional thousands separators; returns its value and decimals. */
function parseNumber(text: string): { value: number; decimals: number } | null {
  const t = text.replace(/\s/g, "");
  if (!PLAIN_NUMBER.test(t) && !GROUPED_NUMBER.test(t)) return null;
  const digits = t.replace(/,/g, "");
  const dot = digits.indexOf(".");
  return { value: Number(digits), decimals: dot < 0 ? 0 : digits.length - dot - 1 };
}

/** Parses the value of one metric; returns the figure or a message saying what is wrong. */
export function parseExternalValue(
  metric: ExternalMetric,
  text: string,
): { value: number; decimals: number } | string {
  if (text === "") return "empty value";
  const percent = text.endsWith("%");
  const n = parseNumber(percent ? text.slice(0, -1) : text);
  if (!n) return `not a number: '${text}' (write 1234, 1,234, 0.707 or 70.7%)`;
  if (metric === "occupancy_rate") {
    if (percent) {
      if (n.value < 0 || n.value > 100) return `a percent between 0% and 100% expected, got '${text}'`;
      return { value: Number((n.value / 100).toFixed(n.decimals + 2)), decimals: n.decimals + 2 };
    }
    if (n.value < 0 || n.value > 1)
      return `a rate between 0 and 1 expected, got '${text}' (write a percent with a % sign: ${text}%)`;
    return n;
  }
  if (percent) return `a count expected for ${metric}, got the percent '${text}'`;
  if (n.value < 0) return `a count cannot be negative: '${text}'`;
  // An average of occupied rooms may have decimals; move-ins and move-outs are whole counts.
  if (metric !== "occupied_rooms" && !Number.isInteger(n.value))
    return `a whole number expected for ${metric}, got '${text}'`;
  return n;
}

/** Parses the external CSV text of `file`; throws ExternalCsvError listing every bad line. */
export function parseExternalCsv(text: string, file: string): ExternalFigure[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0)
    throw new ExternalCsvError(file, [
      { line: 1, message: "empty file: expected the header month,metric,value" },
    ]);
  const header = (splitCsvLine(lines[headerIndex]!) ?? []).map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new ExternalCsvError(
      file,
      missing.map((c) => ({
        line: headerIndex + 1,
        field: c,
        message: `missing column '${c}' in the header (expected month,metric,value; got ${header.join(",") || "nothing"})`,
      })),
    );
  const col = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof REQUIRED)[number],
    number
  >;
  const figures: ExternalFigure[] = [];
  const problems: { line: number; field?: string; message: string }[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "" || raw.trim().startsWith("#")) continue;
    const line = i + 1;
    const fields = splitCsvLine(raw);
    if (!fields) {
      problems.push({ line, message: "unterminated quoted field" });
      continue;
    }
    if (fields.length < header.length) {
      problems.push({
        line,
        message: `${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${header.length} (quote values with thousands separators: "1,234")`,
      });
      continue;
    }
    if (fields.length > header.length) {
      problems.push({
        line,
        message: `${fields.length} fields, the header has ${header.length} (quote values with thousands separators: "1,234")`,
      });
      continue;
    }
    const month = fields[col.month]!;
    const metric = fields[col.metric]!.toLowerCase();
    const valueText = fields[col.value]!;
    let ok = true;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      problems.push({ line, field: "month", message: `expected YYYY-MM, got '${month}'` });
      ok = false;
    }
    if (!(EXTERNAL_METRICS as readonly string[]).includes(metric)) {
      problems.push({
        line,
        field: "metric",
        message: `unknown metric '${fields[col.metric]}' (one of ${EXTERNAL_METRICS.join(", ")})`,
      });
      continue;
    }
    const parsed = parseExternalValue(metric as ExternalMetric, valueText);
    if (typeof parsed === "string") {
      problems.push({ line, field: "value", message: parsed });
      continue;
    }
    if (ok) figures.push({ line, month, metric: metric as ExternalMetric, text: valueText, ...parsed });
  }
  if (problems.length > 0) throw new ExternalCsvError(file, problems);
  if (figures.length === 0)
    throw new ExternalCsvError(file, [{ line: headerIndex + 1, message: "no figures after the header" }]);
  return figures;
}
