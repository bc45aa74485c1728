/** The dependency graph of models and seeds: a deterministic order, and cycles named. Pure. */
import { ModelCompileError } from "../errors.js";
import type { BuildableNode, ModelGraph } from "./types.js";

/** Orders `nodes` parents first (ties by id); throws a ModelCompileError naming every cycle. */
export function buildGraph(project: { nodes: Map<string, BuildableNode> }): ModelGraph {
  const { graph, cycles } = graphOf(project.nodes);
  if (cycles.length > 0) {
    throw new ModelCompileError(cycles.map((c) => cycleProblem(c, project.nodes)));
  }
  return graph;
}

/** The graph and any cycles (each as a closed path `[a, b, a]`), without throwing. */
export function graphOf(nodes: Map<string, BuildableNode>): { graph: ModelGraph; cycles: string[][] } {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const id of nodes.keys()) children.set(id, []);
  for (const [id, node] of nodes) {
    const ps = node.kind === "model" ? node.refs.filter((r) => nodes.has(r)) : [];
    parents.set(id, [...new Set(ps)].sort());
    for (const p of ps) children.get(p)!.push(id);
  }
  for (const list of children.values()) list.sort();

  // Kahn's algorithm; the ready set is kept sorted so the order is stable.
  const waiting = new Map<string, number>();
  for (const [id, ps] of parents) waiting.set(id, ps.length);
  const ready = [...nodes.keys()].filter((id) => waiting.get(id) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const c of children.get(id)!) {
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) insertSorted(ready, c);
    }
  }
  const cycles = order.length === nodes.size ? [] : findCycles(parents, new Set(order));
  return { graph: { order, parents, children }, cycles };
}

function insertSorted(list: string[], item: string): void {
  let i = 0;
  while (i < list.length && list[i]! < item) i++;
  list.splice(i, 0, item);
}

/** One closed path per distinct cycle among the nodes Kahn could not order. */
function findCycles(parents: Map<string, string[]>, ordered: Set<string>): string[][] {
  const cycles: string[][] = [];
  const seenCycles = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (id: string) => {
    stack.push(id);
    onStack.add(id);
    for (const p of parents.get(id) ?? []) {
      if (ordered.has(p) || done.has(p)) continue;
      if (onStack.has(p)) {
        // The stack runs child -> parent: each node refers to the next.
        const path = stack.slice(stack.indexOf(p));
        const key = [...path].sort().join(",");
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          cycles.push(rotateToSmallest(path));
        }
        continue;
      }
      visit(p);
    }
    stack.pop();
    onStack.delete(id);
    done.add(id);
  };
  for (const id of [...parents.keys()].sort()) if (!ordered.has(id) && !done.has(id)) visit(id);
  return cycles;
}

function rotateToSmallest(path: string[]): string[] {
  let start = 0;
  path.forEach((id, i) => {
    if (id < path[start]!) start = i;
  });
  const rotated = [...path.slice(start), ...path.slice(0, start)];
  return [...rotated, rotated[0]!];
}

export function cycleProblem(
  cycle: string[],
  nodes: Map<string, BuildableNode>,
): { file: string; message: string } {
  const files = [...new Set(cycle.map((id) => nodes.get(id)?.file).filter((f): f is string => !!f))];
  return {
    file: files.join(", "),
    message: `dependency cycle (each refers to the next): ${cycle.join(" -> ")}`,
  };
}

/** Every node reachable downstream of `ids` (excluding `ids` themselves unless reachable). */
export function descendantsOf(graph: ModelGraph, ids: Iterable<string>): Set<string> {
  return reach(graph.children, ids);
}

export function ancestorsOf(graph: ModelGraph, ids: Iterable<string>): Set<string> {
  return reach(graph.parents, ids);
}

function reach(edges: Map<string, string[]>, ids: Iterable<string>): Set<string> {
  const found = new Set<string>();
  const todo = [...ids];
  while (todo.length > 0) {
    const id = todo.pop()!;
    for (const next of edges.get(id) ?? []) {
      if (!found.has(next)) {
        found.add(next);
        todo.push(next);
      }
    }
  }
  return found;
}
