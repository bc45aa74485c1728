/**
 * Nunjucks rendering of model, test and macro templates. One Environment per macro set
 * (engine): the engine's macros are globals, so a model calls them as plain functions.
 * Everything a template can call (ref, source, var, this, is_incremental, config) comes from
 * a `TemplateHooks` object, so the same code renders for the graph (recording references)
 * and for compilation (resolving names).
 */
import nunjucks from "nunjucks";
import { UsageError } from "../errors.js";
import type { MacroFile, Vars } from "./types.js";

export interface TemplateHooks {
  ref(name: string): string;
  source(schema: string, table: string): string;
  /** Value of a variable as an SQL literal (numbers as numbers); `fallback` when given and the variable is not set. */
  var(name: string, fallback?: unknown): string | number;
  hasVar(name: string): boolean;
  config(values: Record<string, unknown>): void;
  isIncremental: boolean;
  /** The quoted relation of the model being rendered (`{{ this }}`). */
  self?: string;
  engine?: string;
}

const environments = new WeakMap<readonly MacroFile[], nunjucks.Environment>();
const EMPTY: readonly MacroFile[] = [];

/** The environment with `macros` as globals (compiled once per macro set). */
export function environmentFor(macros: readonly MacroFile[] = EMPTY): nunjucks.Environment {
  const cached = environments.get(macros);
  if (cached) return cached;
  const env = newEnvironment();
  for (const m of macros) {
    for (const [name, fn] of Object.entries(exportedMacros(env, m.file, m.template))) env.addGlobal(name, fn);
  }
  environments.set(macros, env);
  return env;
}

function newEnvironment(): nunjucks.Environment {
  return new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
}

/** Compiles a macro file and returns its macros by name (throws on a syntax error). */
export function exportedMacros(
  env: nunjucks.Environment | undefined,
  file: string,
  text: string,
): Record<string, unknown> {
  const template = new nunjucks.Template(text, env ?? newEnvironment(), file, true);
  let exported: Record<string, unknown> = {};
  let failure: unknown;
  // getExported is public nunjucks API (used by `{% import %}`) but missing from @types/nunjucks.
  (
    template as unknown as { getExported(ctx: object, cb: (err: unknown, value: unknown) => void): void }
  ).getExported({}, (err: unknown, value: unknown) => {
    if (err) failure = err;
    else exported = (value ?? {}) as Record<string, unknown>;
  });
  if (failure) throw failure;
  return exported;
}

/** Checks a template's syntax without rendering it (throws the nunjucks error). */
export function checkSyntax(file: string, text: string): void {
  new nunjucks.Template(text, newEnvironment(), file, true);
}

/** Keyword arguments arrive as a last object marked `__keywords`. */
function splitArgs(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (last && typeof last === "object" && (last as { __keywords?: boolean }).__keywords) {
    const { __keywords: _ignored, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

function stringArg(fn: string, value: unknown, what: string): string {
  if (typeof value !== "string" || value === "")
    throw new Error(`${fn}(): ${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** Renders a template with the hooks; nunjucks errors name the file and line. */
export function renderTemplate(
  env: nunjucks.Environment,
  file: string,
  text: string,
  hooks: TemplateHooks,
): string {
  const context = {
    ref: (...args: unknown[]) => {
      const { positional, keywords } = splitArgs(args);
      return hooks.ref(stringArg("ref", positional[0] ?? keywords.name, "the model name"));
    },
    source: (...args: unknown[]) => {
      const { positional, keywords } = splitArgs(args);
      return hooks.source(
        stringArg("source", positional[0] ?? keywords.source_name, "the source schema"),
        stringArg("source", positional[1] ?? keywords.table_name, "the table name"),
      );
    },
    var: (...args: unknown[]) => {
      const { positional, keywords } = splitArgs(args);
      const name = stringArg("var", positional[0] ?? keywords.name, "the variable name");
      if (positional.length > 1) return hooks.var(name, positional[1]);
      if ("default" in keywords) return hooks.var(name, keywords.default);
      return hooks.var(name);
    },
    has_var: (name: unknown) => hooks.hasVar(stringArg("has_var", name, "the variable name")),
    config: (...args: unknown[]) => {
      const { positional, keywords } = splitArgs(args);
      const dict = positional[0] && typeof positional[0] === "object" ? positional[0] : {};
      hooks.config({ ...(dict as Record<string, unknown>), ...keywords });
      return "";
    },
    is_incremental: () => hooks.isIncremental,
    this: hooks.self ?? "",
    target: { engine: hooks.engine ?? "", type: hooks.engine ?? "" },
    True: true,
    False: false,
    None: null,
  };
  const template = new nunjucks.Template(text, env, file, true);
  return template.render(context);
}

/**
 * A nunjucks error as one readable line: `line 3, column 7: unexpected token: %}` (nunjucks
 * says `Template render error: (file) [Line 3, Column 7]\n  Error: ...`; the file is reported
 * separately by the caller).
 */
export function templateErrorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const m =
    /^(?:Template render error: )?\([^)]*\)(?: \[Line (\d+), Column (\d+)\])?\s*\n\s*(?:Error: )?([\s\S]*)$/.exec(
      text,
    );
  if (!m) return text;
  return `${m[1] ? `line ${m[1]}, column ${m[2]}: ` : ""}${m[3]!.trim()}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A variable's value as an SQL literal: dates `DATE 'YYYY-MM-DD'`, datetimes
 * `TIMESTAMP '...'`, numbers as numbers, booleans TRUE/FALSE, null NULL, other text quoted.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return `TIMESTAMP '${value.toISOString().replace("T", " ").replace("Z", "")}'`;
  const text = String(value);
  if (DATE.test(text)) return `DATE '${text}'`;
  if (DATETIME.test(text)) return `TIMESTAMP '${text.replace("T", " ")}'`;
  return `'${text.replace(/'/g, "''")}'`;
}

/** Turns `name=value` command-line pairs into vars: integers and decimals become numbers. */
export function parseVarAssignments(pairs: readonly string[]): Vars {
  const vars: Vars = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--var expects name=value, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    vars[name] =
      /^-?\d+(\.\d+)?$/.test(raw) && Number.isFinite(Number(raw))
        ? Number(raw)
        : raw === "true" || raw === "false"
          ? raw === "true"
          : raw;
  }
  return vars;
}
