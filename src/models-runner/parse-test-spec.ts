/**
 * One test entry of a YAML file (`not_null`, or `{ accepted_values: { values: [...] } }`)
 * -> a TestNode without dependencies (load-project fills them). Pure; problems returned.
 */
import type { GenericTestType, Severity, TestNode } from "./types.js";

const COMMON = ["severity", "where", "name", "config"];
const ARGS: Record<GenericTestType, { column: "required" | "optional" | "none"; keys: string[] }> = {
  not_null: { column: "required", keys: [] },
  unique: { column: "required", keys: [] },
  accepted_values: { column: "required", keys: ["values"] },
  relationships: { column: "required", keys: ["to", "field"] },
  expression_is_true: { column: "optional", keys: ["expression"] },
  row_count: { column: "none", keys: ["min", "max"] },
  unique_combination: { column: "none", keys: ["columns"] },
};

export const GENERIC_TESTS = Object.keys(ARGS) as GenericTestType[];

export interface TestSpecContext {
  /** Node id (`silver.stg_tenants`) and name the test is declared on. */
  node: string;
  nodeName: string;
  column?: string;
  file: string;
}

export function parseTestSpec(
  item: unknown,
  ctx: TestSpecContext,
): { test?: Omit<TestNode, "dependsOn">; problems: string[] } {
  const problems: string[] = [];
  const where = `${ctx.nodeName}${ctx.column ? `.${ctx.column}` : ""}`;
  let type: string;
  let raw: Record<string, unknown> = {};
  if (typeof item === "string") type = item;
  else if (item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length === 1) {
    type = Object.keys(item)[0]!;
    const value = (item as Record<string, unknown>)[type];
    if (value !== null && value !== undefined) {
      if (typeof value !== "object" || Array.isArray(value)) {
        return { problems: [`test ${type} on ${where}: arguments must be a mapping`] };
      }
      raw = value as Record<string, unknown>;
    }
  } else {
    return {
      problems: [`test on ${where}: expected a test name or a one-key mapping, got ${JSON.stringify(item)}`],
    };
  }
  const spec = ARGS[type as GenericTestType];
  if (!spec) {
    return {
      problems: [`unknown test ${JSON.stringify(type)} on ${where} (known: ${GENERIC_TESTS.join(", ")})`],
    };
  }
  const label = `test ${type} on ${where}`;
  const nested = raw.config && typeof raw.config === "object" ? (raw.config as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = { ...raw, ...nested };
  for (const key of Object.keys(raw)) {
    if (!COMMON.includes(key) && !spec.keys.includes(key))
      problems.push(`${label}: unknown argument ${JSON.stringify(key)}`);
  }
  if (spec.column === "required" && !ctx.column) problems.push(`${label}: must be declared on a column`);
  if (spec.column === "none" && ctx.column)
    problems.push(`${label}: must be declared on the model, not a column`);

  const severity = merged.severity ?? "error";
  if (severity !== "error" && severity !== "warn")
    problems.push(`${label}: severity must be error or warn, got ${JSON.stringify(severity)}`);
  if (merged.where !== undefined && typeof merged.where !== "string")
    problems.push(`${label}: where must be text`);

  const args: Record<string, unknown> = {};
  for (const key of spec.keys) if (raw[key] !== undefined) args[key] = raw[key];
  if (type === "accepted_values") {
    const values = args.values;
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((v) => ["string", "number", "boolean"].includes(typeof v))
    )
      problems.push(`${label}: values must be a non-empty list of numbers, text or booleans`);
  } else if (type === "relationships") {
    if (typeof args.to !== "string" || !/^\s*(ref|source)\s*\(/.test(args.to))
      problems.push(`${label}: to must be ref('model') or source('schema', 'table')`);
    if (typeof args.field !== "string" || args.field === "")
      problems.push(`${label}: field must be a column name`);
  } else if (type === "expression_is_true") {
    if (typeof args.expression !== "string" || args.expression.trim() === "")
      problems.push(`${label}: expression must be SQL text`);
  } else if (type === "row_count") {
    for (const k of ["min", "max"])
      if (args[k] !== undefined && (typeof args[k] !== "number" || !Number.isInteger(args[k])))
        problems.push(`${label}: ${k} must be an integer`);
    if (args.min === undefined && args.max === undefined) problems.push(`${label}: give min, max or both`);
  } else if (type === "unique_combination") {
    const cols = args.columns;
    if (!Array.isArray(cols) || cols.length === 0 || !cols.every((c) => typeof c === "string" && c !== ""))
      problems.push(`${label}: columns must be a non-empty list of column names`);
  }
  if (merged.name !== undefined && (typeof merged.name !== "string" || !/^[A-Za-z0-9_]+$/.test(merged.name)))
    problems.push(`${label}: name must be letters, digits and underscores`);
  if (problems.length > 0) return { problems };

  const id =
    (merged.name as string | undefined) ??
    [
      type,
      ctx.nodeName,
      ctx.column,
      type === "unique_combination" ? (args.columns as string[]).join("_") : undefined,
    ]
      .filter(Boolean)
      .join("_");
  return {
    test: {
      kind: "test",
      id,
      type: type as GenericTestType,
      attachedTo: ctx.node,
      column: ctx.column,
      severity: severity as Severity,
      args,
      where: merged.where as string | undefined,
      file: ctx.file,
    },
    problems,
  };
}
