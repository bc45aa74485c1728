/**
 * The second render: templates -> executable SQL with names resolved and vars bound. Pure, so
 * `--dry-run` and docs need no warehouse.
 */
import { ModelCompileError, UsageError } from "../errors.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";
import { genericTestSql } from "./generic-test-sql.js";
import {
  environmentFor,
  renderTemplate,
  sqlLiteral,
  templateErrorMessage,
  type TemplateHooks,
} from "./template.js";
import type { ModelProject, TestNode, Vars } from "./types.js";

export interface CompileOptions {
  engine: string;
  vars?: Vars;
  /** Render `is_incremental()` as true (the target exists and this is not a full refresh). */
  isIncremental?: boolean;
}

function hooksFor(project: ModelProject, opts: CompileOptions, self?: string): TemplateHooks {
  const vars = opts.vars ?? {};
  return {
    ref: (name) => {
      const id = project.byName.get(name);
      const node = id ? project.nodes.get(id) : undefined;
      if (!node) throw new Error(`ref('${name}'): there is no model or seed named ${name}`);
      return qualifiedName(node.schema, node.name);
    },
    source: (schema, table) => qualifiedName(schema, table),
    var: (name, fallback) => {
      // Numbers stay numbers so template arithmetic (`var('days', 90) + 1`) works.
      const literal = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : sqlLiteral(v));
      if (Object.hasOwn(vars, name) && vars[name] !== undefined) return literal(vars[name]);
      if (fallback !== undefined) return literal(fallback);
      throw new Error(
        `var('${name}') is not set; pass --var ${name}=VALUE or give a default: var('${name}', DEFAULT)`,
      );
    },
    hasVar: (name) => Object.hasOwn(vars, name) && vars[name] !== null && vars[name] !== undefined,
    config: () => undefined,
    isIncremental: opts.isIncremental ?? false,
    self,
    engine: opts.engine,
  };
}

function render(
  project: ModelProject,
  file: string,
  text: string,
  opts: CompileOptions,
  self?: string,
): string {
  // without engine folders, every engine renders with the common macros alone
  const macros = project.macros.size === 0 ? project.commonMacros : project.macros.get(opts.engine);
  if (!macros) {
    throw new ModelCompileError([
      {
        file: "macros/",
        message: `no macros for engine ${opts.engine} (have: ${[...project.macros.keys()].join(", ")})`,
      },
    ]);
  }
  try {
    return renderTemplate(environmentFor(macros), file, text, hooksFor(project, opts, self));
  } catch (err) {
    throw new ModelCompileError([{ file, message: templateErrorMessage(err) }]);
  }
}

/** A template fragment of a model (e.g. its `delete_where`), rendered like the model itself. */
export function compileFragment(
  project: ModelProject,
  id: string,
  text: string,
  opts: CompileOptions,
): string {
  const node = project.nodes.get(id);
  if (!node) throw new UsageError(`no model or seed ${id}`);
  return render(project, node.file, text, opts, qualifiedName(node.schema, node.name));
}

/** The SELECT of a model (or `undefined` for seeds, which have no SQL). */
export function compileNode(project: ModelProject, id: string, opts: CompileOptions): string {
  const node = project.nodes.get(id);
  if (!node) throw new UsageError(`no model or seed ${id}`);
  if (node.kind === "seed")
    throw new UsageError(`${id} is a seed: it is loaded from ${node.file}, not compiled`);
  return stripTrailingSemicolon(
    render(project, node.file, node.template, opts, qualifiedName(node.schema, node.name)),
  );
}

/** The query returning a test's failing rows. */
export function compileTest(project: ModelProject, test: TestNode, opts: CompileOptions): string {
  if (test.type === "singular")
    return stripTrailingSemicolon(render(project, test.file, test.template ?? "", opts));
  const node = project.nodes.get(test.attachedTo ?? "");
  if (!node)
    throw new ModelCompileError([
      { file: test.file, message: `test ${test.id}: unknown node ${test.attachedTo}` },
    ]);
  const args = { ...test.args };
  if (typeof args.expression === "string")
    args.expression = render(project, test.file, args.expression, opts);
  if (typeof args.to === "string") args.to = render(project, test.file, `{{ ${args.to} }}`, opts);
  return genericTestSql({
    type: test.type,
    relation: qualifiedName(node.schema, node.name),
    column: test.column,
    args,
    where: test.where === undefined ? undefined : render(project, test.file, test.where, opts),
  });
}

function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, "").trim();
}
