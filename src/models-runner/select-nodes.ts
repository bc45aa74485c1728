/**
 * Node selection, dbt's syntax: `name`, `schema.name`, `name+` (and downstream), `+name` (and
 * upstream), `tag:x`, `schema:x`; several selectors comma or space separated. Tests follow
 * the nodes they read (a test is selected when any node it reads is) unless named directly.
 * Pure.
 */
import { UsageError } from "../errors.js";
import { ancestorsOf, descendantsOf } from "./build-graph.js";
import type { ModelProject } from "./types.js";

export interface SelectOptions {
  select?: string | readonly string[];
  exclude?: string | readonly string[];
}

export interface Selection {
  /** Models and seeds, in graph order. */
  nodes: string[];
  /** Test ids, in project order. */
  tests: string[];
}

/** Splits selector arguments on commas and whitespace. */
export function selectorList(value: string | readonly string[] | undefined): string[] {
  const parts = typeof value === "string" ? [value] : (value ?? []);
  return parts.flatMap((p) => p.split(/[\s,]+/)).filter((s) => s !== "");
}

function matchOne(project: ModelProject, selector: string): { nodes: Set<string>; tests: Set<string> } {
  const upstream = selector.startsWith("+");
  const downstream = selector.endsWith("+") && selector.length > 1;
  const term = selector.slice(upstream ? 1 : 0, downstream ? -1 : undefined);
  const nodes = new Set<string>();
  const tests = new Set<string>();
  const allNodes = [...project.nodes.values()];
  if (term.startsWith("tag:")) {
    const tag = term.slice(4);
    for (const n of allNodes)
      if ((n.kind === "model" ? n.config.tags : n.tags).includes(tag)) nodes.add(n.id);
  } else if (term.startsWith("schema:")) {
    const schema = term.slice(7);
    for (const n of allNodes) if (n.schema === schema) nodes.add(n.id);
  } else if (project.nodes.has(term)) {
    nodes.add(term);
  } else if (project.byName.has(term)) {
    nodes.add(project.byName.get(term)!);
  } else {
    for (const t of project.tests) if (t.id === term) tests.add(t.id);
  }
  if (nodes.size === 0 && tests.size === 0)
    throw new UsageError(`selector ${JSON.stringify(selector)} matches nothing`);
  const seeds = [...nodes];
  if (upstream) for (const id of ancestorsOf(project.graph, seeds)) nodes.add(id);
  if (downstream) for (const id of descendantsOf(project.graph, seeds)) nodes.add(id);
  return { nodes, tests };
}

function matchAll(project: ModelProject, selectors: string[]) {
  const nodes = new Set<string>();
  const tests = new Set<string>();
  for (const s of selectors) {
    const m = matchOne(project, s);
    m.nodes.forEach((n) => nodes.add(n));
    m.tests.forEach((t) => tests.add(t));
  }
  return { nodes, tests };
}

export function selectNodes(project: ModelProject, opts: SelectOptions = {}): Selection {
  const select = selectorList(opts.select);
  const exclude = selectorList(opts.exclude);
  const chosen =
    select.length === 0
      ? {
          nodes: new Set(project.nodes.keys()),
          tests: new Set(project.tests.filter((t) => t.dependsOn.length === 0).map((t) => t.id)),
        }
      : matchAll(project, select);
  const dropped = matchAll(project, exclude);
  const nodes = project.graph.order.filter((id) => chosen.nodes.has(id) && !dropped.nodes.has(id));
  const nodeSet = new Set(nodes);
  const tests = project.tests
    .filter((t) => chosen.tests.has(t.id) || t.dependsOn.some((d) => nodeSet.has(d)))
    .filter((t) => !dropped.tests.has(t.id))
    .map((t) => t.id);
  return { nodes, tests };
}
