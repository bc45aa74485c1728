/**
 * Files -> ModelProject. Reads seeds, models, YAML, singular tests and macros; renders every
 * template once with recording hooks to find its references and config (the first of dbt's
 * two renders); builds the graph. Collects every problem, each naming its file, and throws
 * one ModelCompileError listing them all.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { ModelCompileError } from "../errors.js";
import { cycleProblem, graphOf } from "./build-graph.js";
import { DEFAULT_CONFIG, mergeConfig } from "./model-config.js";
import { parseTestSpec } from "./parse-test-spec.js";
import { readSeed } from "./seed-csv.js";
import {
  checkSyntax,
  environmentFor,
  exportedMacros,
  renderTemplate,
  templateErrorMessage,
  type TemplateHooks,
} from "./template.js";
import type {
  BuildableNode,
  ColumnDoc,
  MacroFile,
  ModelNode,
  ModelProject,
  SeedNode,
  TestNode,
} from "./types.js";

type Problem = { file: string; message: string };

const RESERVED = new Set(["seeds", "tests", "macros"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function walk(dir: string, root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, root)));
    else if (entry.isFile()) out.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return out.sort();
}

const isYaml = (f: string) => f.endsWith(".yml") || f.endsWith(".yaml");
const baseName = (f: string) => path.posix.basename(f).replace(/\.[^.]+$/, "");

interface YamlEntry {
  file: string;
  section: "models" | "seeds";
  entry: Record<string, unknown>;
}

export async function loadProject(dir: string): Promise<ModelProject> {
  const root = path.resolve(dir);
  const problems: Problem[] = [];
  const problem = (file: string, message: string) => problems.push({ file, message });
  let files: string[];
  try {
    files = await walk(root, root);
  } catch (err) {
    throw new ModelCompileError([
      { file: root, message: `cannot read the project folder: ${(err as Error).message}` },
    ]);
  }
  const read = (f: string) => readFile(path.join(root, f), "utf8");

  // YAML: descriptions, config, tests.
  const yamlEntries: YamlEntry[] = [];
  for (const file of files.filter((f) => isYaml(f) && !f.startsWith("macros/"))) {
    let doc: unknown;
    try {
      doc = parseYaml(await read(file));
    } catch (err) {
      problem(file, `YAML does not parse: ${(err as Error).message}`);
      continue;
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== "object" || Array.isArray(doc)) {
      problem(file, "expected a mapping with `models:` and/or `seeds:`");
      continue;
    }
    for (const [key, value] of Object.entries(doc)) {
      if (key === "version" || key === "sources") continue;
      if (key !== "models" && key !== "seeds") {
        problem(file, `unknown top-level key ${JSON.stringify(key)} (expected models, seeds)`);
        continue;
      }
      if (!Array.isArray(value)) {
        problem(file, `${key} must be a list`);
        continue;
      }
      for (const entry of value) {
        if (!entry || typeof entry !== "object" || typeof (entry as { name?: unknown }).name !== "string")
          problem(file, `every entry of ${key} needs a name`);
        else yamlEntries.push({ file, section: key, entry: entry as Record<string, unknown> });
      }
    }
  }
  const yamlFor = new Map<string, YamlEntry>();
  for (const y of yamlEntries) {
    const key = `${y.section}:${y.entry.name as string}`;
    const earlier = yamlFor.get(key);
    if (earlier)
      problem(y.file, `${y.section.slice(0, -1)} ${y.entry.name} is also described in ${earlier.file}`);
    else yamlFor.set(key, y);
  }

  // Seeds and models.
  const nodes = new Map<string, BuildableNode>();
  const byName = new Map<string, string>();
  const addNode = (node: BuildableNode) => {
    if (!NAME.test(node.name)) {
      problem(node.file, `name ${JSON.stringify(node.name)} must be letters, digits and underscores`);
      return;
    }
    const other = byName.get(node.name);
    if (other) {
      problem(
        node.file,
        `name ${node.name} is already used by ${nodes.get(other)!.file}; names must be unique`,
      );
      return;
    }
    byName.set(node.name, node.id);
    nodes.set(node.id, node);
  };
  for (const file of files.filter((f) => f.startsWith("seeds/") && f.endsWith(".csv"))) {
    const name = baseName(file);
    const y = yamlFor.get(`seeds:${name}`);
    const declared = columnTypesOf(y, problem);
    const seed = readSeed(await read(file), declared);
    for (const p of seed.problems) problem(file, p);
    const tags: string[] = [];
    if (y) {
      const cfg = (y.entry.config ?? {}) as Record<string, unknown>;
      const t = cfg.tags ?? y.entry.tags;
      if (Array.isArray(t)) tags.push(...t.map(String));
    }
    addNode({
      kind: "seed",
      id: `seeds.${name}`,
      name,
      schema: "seeds",
      file,
      description: "",
      columns: [],
      seedColumns: seed.columns,
      rows: seed.rows,
      tags,
    });
  }
  for (const file of files.filter((f) => f.endsWith(".sql") && !RESERVED.has(f.split("/")[0]!))) {
    const parts = file.split("/");
    if (parts.length < 2) {
      problem(file, "a model must live in a schema folder (e.g. silver/name.sql)");
      continue;
    }
    const schema = parts[0]!;
    if (!NAME.test(schema)) {
      problem(file, `folder ${JSON.stringify(schema)} is not a valid schema name`);
      continue;
    }
    const name = baseName(file);
    const template = await read(file);
    addNode({
      kind: "model",
      id: `${schema}.${name}`,
      name,
      schema,
      file,
      description: "",
      columns: [],
      template,
      config: { ...DEFAULT_CONFIG },
      refs: [],
      sources: [],
    });
  }

  // Macros per engine; those in macros/common/ are standard SQL that every engine gets.
  const macros = new Map<string, MacroFile[]>();
  const common: MacroFile[] = [];
  for (const file of files.filter((f) => f.startsWith("macros/") && f.endsWith(".sql"))) {
    const parts = file.split("/");
    if (parts.length !== 3) {
      problem(file, `macros live in macros/<engine>/<file>.sql or macros/${COMMON_MACROS}/<file>.sql`);
      continue;
    }
    const engine = parts[1]!;
    const template = await read(file);
    try {
      const names = Object.keys(exportedMacros(undefined, file, template));
      const macro = { engine, file, template, names };
      if (engine === COMMON_MACROS) common.push(macro);
      else macros.set(engine, [...(macros.get(engine) ?? []), macro]);
    } catch (err) {
      problem(file, templateErrorMessage(err));
    }
  }
  checkMacroParity(macros, problem);
  for (const [engine, files] of macros) macros.set(engine, [...common, ...files]);

  // Docs, config and generic tests from YAML.
  const tests: TestNode[] = [];
  const yamlConfig = new Map<string, Record<string, unknown>>();
  for (const y of yamlEntries) {
    const name = y.entry.name as string;
    const id = byName.get(name);
    const node = id ? nodes.get(id) : undefined;
    if (!node || (y.section === "seeds") !== (node.kind === "seed")) {
      problem(
        y.file,
        `${y.section.slice(0, -1)} ${name} is described but there is no ${y.section === "seeds" ? `seeds/${name}.csv` : `model file ${name}.sql`}`,
      );
      continue;
    }
    applyDocs(node, y, problem, yamlConfig);
    const declare = (items: unknown, column?: string) => {
      if (items === undefined || items === null) return;
      if (!Array.isArray(items)) {
        problem(y.file, `tests of ${name}${column ? `.${column}` : ""} must be a list`);
        return;
      }
      for (const item of items) {
        const parsed = parseTestSpec(item, { node: node.id, nodeName: node.name, column, file: y.file });
        for (const p of parsed.problems) problem(y.file, p);
        if (parsed.test) tests.push({ ...parsed.test, dependsOn: [node.id] });
      }
    };
    declare(y.entry.tests ?? y.entry.data_tests);
    for (const col of Array.isArray(y.entry.columns) ? y.entry.columns : []) {
      if (col && typeof col === "object" && typeof (col as { name?: unknown }).name === "string") {
        const c = col as Record<string, unknown>;
        declare(c.tests ?? c.data_tests, c.name as string);
      }
    }
  }

  // The recording render: refs, sources and config of every model, under each engine's macros.
  const engines = macros.size > 0 ? [...macros.keys()].sort() : [undefined];
  const recordingHooks = (
    refs: Set<string>,
    sources: Set<string>,
    onConfig?: (c: Record<string, unknown>) => void,
    isIncremental = false,
  ): TemplateHooks => ({
    ref: (name) => {
      const id = byName.get(name);
      if (!id) throw new Error(`ref('${name}'): there is no model or seed named ${name}`);
      refs.add(id);
      return `__ref_${name}__`;
    },
    source: (schema, table) => {
      sources.add(`${schema}.${table}`);
      return `__source_${schema}_${table}__`;
    },
    var: (_name, fallback) =>
      fallback === undefined ? "NULL" : typeof fallback === "number" ? fallback : String(fallback),
    hasVar: () => false,
    config: (c) => onConfig?.(c),
    isIncremental,
    self: `__this__`,
    engine: undefined,
  });
  const render = (
    file: string,
    template: string,
    hooksFor: (incremental: boolean) => TemplateHooks,
  ): boolean => {
    for (const engine of engines) {
      const env = environmentFor(engine === undefined ? common : macros.get(engine)!);
      for (const incremental of [false, true]) {
        try {
          renderTemplate(env, file, template, { ...hooksFor(incremental), engine });
        } catch (err) {
          problem(
            file,
            `${templateErrorMessage(err)}${engines.length > 1 ? ` (with the ${engine} macros)` : ""}`,
          );
          return false;
        }
      }
    }
    return true;
  };
  for (const node of nodes.values()) {
    if (node.kind !== "model") continue;
    try {
      checkSyntax(node.file, node.template);
    } catch (err) {
      problem(node.file, templateErrorMessage(err));
      continue;
    }
    const refs = new Set<string>();
    const sources = new Set<string>();
    const configProblems: string[] = [];
    let config = mergeConfig(DEFAULT_CONFIG, yamlConfig.get(node.id) ?? {}, configProblems);
    for (const p of configProblems.splice(0)) problem(node.docFile ?? node.file, p);
    render(node.file, node.template, (incremental) =>
      recordingHooks(refs, sources, (c) => (config = mergeConfig(config, c, configProblems)), incremental),
    );
    for (const p of new Set(configProblems)) problem(node.file, p);
    node.config = config;
    node.refs = [...refs].sort();
    node.sources = [...sources].sort();
  }
  for (const node of nodes.values()) {
    if (node.kind === "seed") continue;
    if (node.refs.includes(node.id)) problem(node.file, `${node.id} refers to itself; use {{ this }}`);
  }

  // Generic tests: references inside where / expression / to.
  for (const test of tests) {
    const refs = new Set<string>(test.dependsOn);
    const sources = new Set<string>();
    const texts = [
      test.where,
      test.args.expression,
      test.args.to !== undefined ? `{{ ${test.args.to as string} }}` : undefined,
    ];
    for (const text of texts) {
      if (typeof text !== "string") continue;
      render(test.file, text, (incremental) => recordingHooks(refs, sources, undefined, incremental));
    }
    test.dependsOn = [...refs].sort();
  }

  // Singular tests.
  for (const file of files.filter((f) => f.startsWith("tests/") && f.endsWith(".sql"))) {
    const template = await read(file);
    const refs = new Set<string>();
    try {
      checkSyntax(file, template);
    } catch (err) {
      problem(file, templateErrorMessage(err));
      continue;
    }
    if (!render(file, template, (incremental) => recordingHooks(refs, new Set(), undefined, incremental)))
      continue;
    const severityLine = /^\s*--\s*severity:\s*(\w+)/i.exec(template.split("\n", 1)[0] ?? "");
    const severity = severityLine ? severityLine[1]!.toLowerCase() : "error";
    if (severity !== "error" && severity !== "warn") {
      problem(file, `severity must be error or warn, got ${severity}`);
      continue;
    }
    tests.push({
      kind: "test",
      id: baseName(file),
      type: "singular",
      severity,
      args: {},
      file,
      template,
      dependsOn: [...refs].sort(),
    });
  }
  uniqueTestIds(tests);

  // Unknown columns in YAML are only checked at run time (the warehouse knows the columns).
  const { graph, cycles } = graphOf(nodes);
  for (const cycle of cycles) problems.push(cycleProblem(cycle, nodes));

  if (problems.length > 0) {
    const seen = new Set<string>();
    throw new ModelCompileError(
      problems.filter((p) => !seen.has(`${p.file}\0${p.message}`) && !!seen.add(`${p.file}\0${p.message}`)),
    );
  }
  return { dir: root, nodes, byName, tests, macros, commonMacros: common, graph };
}

function columnTypesOf(
  y: YamlEntry | undefined,
  problem: (f: string, m: string) => void,
): Record<string, string> {
  if (!y) return {};
  const cfg = (y.entry.config ?? {}) as Record<string, unknown>;
  const raw = cfg.column_types ?? y.entry.column_types;
  if (raw === undefined) return {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    problem(y.file, `column_types of seed ${y.entry.name} must be a mapping of column -> SQL type`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [col, type] of Object.entries(raw)) {
    if (
      typeof type !== "string" ||
      !/^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(type.trim())
    )
      problem(
        y.file,
        `column_types.${col} of seed ${y.entry.name}: ${JSON.stringify(type)} is not an SQL type`,
      );
    else out[col] = type.trim();
  }
  return out;
}

const MODEL_KEYS = new Set([
  "name",
  "description",
  "config",
  "columns",
  "tests",
  "data_tests",
  "full_refresh",
  "meta",
  "docs",
  "column_types",
  "tags",
]);

function applyDocs(
  node: BuildableNode,
  y: YamlEntry,
  problem: (f: string, m: string) => void,
  yamlConfig: Map<string, Record<string, unknown>>,
): void {
  const e = y.entry;
  node.docFile = y.file;
  for (const key of Object.keys(e))
    if (!MODEL_KEYS.has(key)) problem(y.file, `${node.name}: unknown key ${JSON.stringify(key)}`);
  if (e.description !== undefined) {
    if (typeof e.description === "string") node.description = e.description.trim();
    else problem(y.file, `${node.name}: description must be text`);
  }
  const columns: ColumnDoc[] = [];
  if (e.columns !== undefined && !Array.isArray(e.columns))
    problem(y.file, `${node.name}: columns must be a list`);
  for (const c of Array.isArray(e.columns) ? e.columns : []) {
    if (!c || typeof c !== "object" || typeof (c as { name?: unknown }).name !== "string") {
      problem(y.file, `${node.name}: every column needs a name`);
      continue;
    }
    const col = c as Record<string, unknown>;
    columns.push({
      name: col.name as string,
      description: typeof col.description === "string" ? col.description.trim() : "",
    });
  }
  node.columns = columns;
  if (node.kind === "model") {
    const cfg: Record<string, unknown> = {};
    if (e.config !== undefined) {
      if (e.config && typeof e.config === "object" && !Array.isArray(e.config)) Object.assign(cfg, e.config);
      else problem(y.file, `${node.name}: config must be a mapping`);
    }
    if (e.full_refresh !== undefined) cfg.full_refresh = e.full_refresh;
    if (e.tags !== undefined) cfg.tags = e.tags;
    yamlConfig.set(node.id, cfg);
  }
}

/** The macro folder shared by every engine. */
const COMMON_MACROS = "common";

function checkMacroParity(macros: Map<string, MacroFile[]>, problem: (f: string, m: string) => void): void {
  if (macros.size < 2) return;
  const byEngine = new Map<string, Map<string, string>>();
  for (const [engine, files] of macros) {
    const names = new Map<string, string>();
    for (const f of files) for (const n of f.names) names.set(n, f.file);
    byEngine.set(engine, names);
  }
  for (const [engine, names] of byEngine) {
    for (const [name, file] of names) {
      for (const [other, otherNames] of byEngine) {
        if (other !== engine && !otherNames.has(name))
          problem(file, `macro ${name} is defined for ${engine} but not for ${other} (macros/${other}/)`);
      }
    }
  }
}

function uniqueTestIds(tests: TestNode[]): void {
  const count = new Map<string, number>();
  for (const t of tests) {
    const n = (count.get(t.id) ?? 0) + 1;
    count.set(t.id, n);
    if (n > 1) t.id = `${t.id}_${n}`;
  }
}

/** Narrowing helpers for callers. */
export const isModel = (n: BuildableNode): n is ModelNode => n.kind === "model";
export const isSeed = (n: BuildableNode): n is SeedNode => n.kind === "seed";
