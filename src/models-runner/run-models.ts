/**
 * The executor: the only stage that touches the warehouse. Runs selected models and seeds in
 * graph order on an already-begun StateWriter (the caller publishes or abandons), runs tests,
 * marks descendants of failures skipped, and appends results to tokyobeta_meta. Never throws
 * for a failing node: every node ends with a status.
 */
import { performance } from "node:perf_hooks";
import { UsageError } from "../errors.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";
import type { StateWriter } from "../warehouse/warehouse.js";
import { compileFragment, compileNode, compileTest } from "./compile-node.js";
import { INCR_SUFFIX, materializeIncremental, runsIncrementally } from "./materialize/incremental.js";
import type { MaterializationPlan, Target } from "./materialize/plan.js";
import { materializeSeed } from "./materialize/seed.js";
import { materializeTable, TMP_SUFFIX } from "./materialize/table.js";
import { materializeView } from "./materialize/view.js";
import { selectNodes, type SelectOptions } from "./select-nodes.js";
import { storeRunResults, storeTestResults } from "./store-results.js";
import type { ModelEvent, ModelProject, RunResult, TestNode, TestResult, Vars } from "./types.js";

export interface RunOptions extends SelectOptions {
  vars?: Vars;
  /** Rebuild incremental models from scratch, except those with `full_refresh: false`. */
  fullRefresh?: boolean;
  /** Rebuild every incremental model, protected ones (snapshot history) included. */
  fullRefreshProtected?: boolean;
  /** Recorded with every result; default `models-<ISO time>`. */
  runId?: string;
  /** Engine whose macros render the models; default the writer's `engine`. */
  engine?: string;
  now?: () => Date;
  onEvent?: (event: ModelEvent) => void;
}

export interface BuildResult {
  runId: string;
  models: RunResult[];
  tests: TestResult[];
  /** No model errored and no error-severity test failed or errored: safe to publish. */
  ok: boolean;
}

const SAMPLE_ROWS = 5;

export async function runModels(
  writer: StateWriter,
  project: ModelProject,
  opts: RunOptions = {},
): Promise<RunResult[]> {
  return (await execute(writer, project, opts, { models: true, tests: false })).models;
}

export async function runTests(
  writer: StateWriter,
  project: ModelProject,
  opts: RunOptions = {},
): Promise<TestResult[]> {
  return (await execute(writer, project, opts, { models: false, tests: true })).tests;
}

/** Run + test in graph order: a node's tests run as soon as what they read is built. */
export async function buildModels(
  writer: StateWriter,
  project: ModelProject,
  opts: RunOptions = {},
): Promise<BuildResult> {
  return execute(writer, project, opts, { models: true, tests: true });
}

/** Whether results allow publishing: no model error, no failed or errored error-severity test. */
export function isPublishable(models: readonly RunResult[], tests: readonly TestResult[]): boolean {
  return (
    models.every((m) => m.status !== "error") &&
    tests.every((t) => !(t.severity === "error" && (t.status === "fail" || t.status === "error")))
  );
}

export function engineOf(writer: StateWriter, engine: string | undefined): string {
  const found = engine ?? (writer as Partial<{ engine: string }>).engine;
  if (!found)
    throw new UsageError("the writer does not name its engine; pass { engine: 'duckdb' | 'postgres' }");
  return found;
}

async function execute(
  writer: StateWriter,
  project: ModelProject,
  opts: RunOptions,
  what: { models: boolean; tests: boolean },
): Promise<BuildResult> {
  const engine = engineOf(writer, opts.engine);
  const now = opts.now ?? (() => new Date());
  const runId = opts.runId ?? `models-${now().toISOString()}`;
  const selection = selectNodes(project, opts);
  const testsById = new Map(project.tests.map((t) => [t.id, t]));
  const pendingTests = what.tests ? selection.tests.map((id) => testsById.get(id)!) : [];
  const selectedNodes = new Set(what.models ? selection.nodes : []);
  const models: RunResult[] = [];
  const tests: TestResult[] = [];
  /** Node -> why its descendants must not run. */
  const broken = new Map<string, string>();
  const done = new Set<string>();

  const runReadyTests = async () => {
    for (let i = 0; i < pendingTests.length;) {
      const test = pendingTests[i]!;
      if (test.dependsOn.some((d) => selectedNodes.has(d) && !done.has(d))) {
        i++;
        continue;
      }
      pendingTests.splice(i, 1);
      const blocked = test.dependsOn.find((d) => broken.has(d));
      const result = blocked
        ? skippedTest(test, `upstream ${blocked}: ${broken.get(blocked)}`, now)
        : await runTest(writer, project, test, { engine, vars: opts.vars }, now);
      tests.push(result);
      opts.onEvent?.({ type: "TestFinished", result });
      if (
        what.models &&
        test.severity === "error" &&
        (result.status === "fail" || result.status === "error")
      ) {
        // A generic test blames the node it is declared on; a singular test every node it reads.
        for (const d of test.attachedTo ? [test.attachedTo] : test.dependsOn)
          if (!broken.has(d)) broken.set(d, `test ${test.id} failed`);
      }
    }
  };

  await runReadyTests();
  for (const id of what.models ? selection.nodes : []) {
    const parents = project.graph.parents.get(id) ?? [];
    const upstream = parents.find((p) => broken.has(p));
    let result: RunResult;
    if (upstream) {
      result = skippedNode(project, id, `upstream ${upstream}: ${broken.get(upstream)}`, now);
      broken.set(id, `upstream ${upstream} did not build`);
    } else {
      result = await runNode(writer, project, id, { ...opts, engine }, now);
      if (result.status === "error") broken.set(id, `${id} failed`);
    }
    models.push(result);
    done.add(id);
    opts.onEvent?.({ type: "ModelBuilt", result });
    await runReadyTests();
  }
  await runReadyTests();

  await storeRunResults(writer, runId, models);
  await storeTestResults(writer, runId, tests);
  return { runId, models, tests, ok: isPublishable(models, tests) };
}

function kindOf(project: ModelProject, id: string) {
  const node = project.nodes.get(id)!;
  return node.kind === "seed"
    ? { kind: "seed" as const, materialized: "seed" as const }
    : { kind: "model" as const, materialized: node.config.materialized };
}

function skippedNode(project: ModelProject, id: string, message: string, now: () => Date): RunResult {
  return {
    node: id,
    ...kindOf(project, id),
    status: "skipped",
    durationMs: 0,
    rows: null,
    message,
    startedAt: now().toISOString(),
  };
}

function skippedTest(test: TestNode, message: string, now: () => Date): TestResult {
  return {
    test: test.id,
    node: test.attachedTo ?? test.dependsOn[0] ?? null,
    severity: test.severity,
    status: "skipped",
    failures: 0,
    samples: [],
    durationMs: 0,
    message,
    startedAt: now().toISOString(),
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runNode(
  writer: StateWriter,
  project: ModelProject,
  id: string,
  opts: RunOptions & { engine: string },
  now: () => Date,
): Promise<RunResult> {
  const node = project.nodes.get(id)!;
  const startedAt = now().toISOString();
  const t0 = performance.now();
  const base = { node: id, ...kindOf(project, id), startedAt };
  try {
    const existing = (await writer.listTables(node.schema)).find((t) => t.name === node.name)?.type;
    const target: Target = { schema: node.schema, name: node.name, existing };
    await writer.createSchema(node.schema);
    let plan: MaterializationPlan;
    let how: string = base.materialized;
    if (node.kind === "seed") {
      plan = materializeSeed(target, node);
    } else {
      const { config } = node;
      const incremental = config.materialized === "incremental" && runsIncrementally(existing, config, opts);
      const compileOptions = { engine: opts.engine, vars: opts.vars, isIncremental: incremental };
      const sql = compileNode(project, id, compileOptions);
      if (config.materialized === "view") plan = materializeView(target, sql);
      else if (config.materialized === "table") plan = materializeTable(target, sql);
      else {
        plan = materializeIncremental(target, sql, {
          incremental,
          uniqueKey: config.uniqueKey,
          deleteWhere: config.deleteWhere && compileFragment(project, id, config.deleteWhere, compileOptions),
        });
        how = incremental ? "incremental" : existing ? "incremental (rebuilt)" : "incremental (created)";
      }
    }
    let rows: number | null = null;
    // Replacing the relation (a table rebuilt, a view becoming a table or the reverse) means
    // dropping it, which PostgreSQL refuses while the project's views read it.
    const relation = qualifiedName(node.schema, node.name);
    const rebuilds = plan.statements.some(
      (s) =>
        s.startsWith(`DROP TABLE IF EXISTS ${relation}`) || s.startsWith(`DROP VIEW IF EXISTS ${relation}`),
    );
    const views = rebuilds ? await dropDependentViews(writer, project, id) : [];
    try {
      for (const [i, statement] of plan.statements.entries()) {
        const changed = await writer.exec(statement);
        if (plan.rows === i) rows = changed;
      }
    } finally {
      await recreateViews(writer, project, views, opts);
    }
    if (base.materialized !== "view") await writer.refreshStatistics(node.schema, node.name);
    if (plan.rows === "count") {
      const counted = await writer.query(`SELECT count(*) AS n FROM ${relation}`);
      rows = Number(counted.rows[0]?.n ?? 0);
    }
    const message =
      rows === null
        ? `${how} built`
        : `${how}: ${rows} row${rows === 1 ? "" : "s"}${how === "incremental" ? " inserted" : ""}`;
    return { ...base, status: "success", durationMs: performance.now() - t0, rows, message };
  } catch (err) {
    await cleanUp(writer, node.schema, node.name);
    return {
      ...base,
      status: "error",
      durationMs: performance.now() - t0,
      rows: null,
      message: errorMessage(err),
    };
  }
}

/**
 * The project's views that read `id` (directly or through other views), dropped before `id` is
 * replaced: PostgreSQL refuses to drop a table a view reads (DuckDB binds views late and does
 * not mind). Returns the dropped ones, parents first, for recreateViews.
 */
async function dropDependentViews(writer: StateWriter, project: ModelProject, id: string): Promise<string[]> {
  const found = new Set<string>();
  const visit = (from: string) => {
    for (const child of project.graph.children.get(from) ?? []) {
      const node = project.nodes.get(child);
      if (node?.kind === "model" && node.config.materialized === "view" && !found.has(child)) {
        found.add(child);
        visit(child);
      }
    }
  };
  visit(id);
  const ordered = project.graph.order.filter((n) => found.has(n));
  const dropped: string[] = [];
  for (const view of [...ordered].reverse()) {
    const node = project.nodes.get(view)!;
    const exists = (await writer.listTables(node.schema)).some(
      (t) => t.name === node.name && t.type === "view",
    );
    if (!exists) continue;
    await writer.exec(`DROP VIEW IF EXISTS ${qualifiedName(node.schema, node.name)}`);
    dropped.unshift(view);
  }
  return dropped;
}

/** Recreates views dropped by dropDependentViews over the rebuilt (or, on failure, the old) table. */
async function recreateViews(
  writer: StateWriter,
  project: ModelProject,
  views: readonly string[],
  opts: RunOptions & { engine: string },
): Promise<void> {
  for (const view of views) {
    const node = project.nodes.get(view)!;
    const sql = compileNode(project, view, { engine: opts.engine, vars: opts.vars });
    for (const statement of materializeView({ schema: node.schema, name: node.name }, sql).statements)
      await writer.exec(statement);
  }
}

/** Best effort: temporary tables of a failed build are dropped (the target is untouched). */
async function cleanUp(writer: StateWriter, schema: string, name: string): Promise<void> {
  for (const suffix of [TMP_SUFFIX, INCR_SUFFIX]) {
    try {
      await writer.exec(`DROP TABLE IF EXISTS ${qualifiedName(schema, `${name}${suffix}`)}`);
    } catch {
      // The failure already recorded matters more.
    }
  }
}

async function runTest(
  writer: StateWriter,
  project: ModelProject,
  test: TestNode,
  opts: { engine: string; vars?: Vars },
  now: () => Date,
): Promise<TestResult> {
  const startedAt = now().toISOString();
  const t0 = performance.now();
  const base = {
    test: test.id,
    node: test.attachedTo ?? test.dependsOn[0] ?? null,
    severity: test.severity,
    startedAt,
  };
  try {
    const sql = compileTest(project, test, opts);
    const counted = await writer.query(`SELECT count(*) AS n FROM (\n${sql}\n) AS failures`);
    const failures = Number(counted.rows[0]?.n ?? 0);
    const samples =
      failures > 0
        ? (await writer.query(`SELECT * FROM (\n${sql}\n) AS failures LIMIT ${SAMPLE_ROWS}`)).rows
        : [];
    const status = failures === 0 ? "pass" : test.severity === "warn" ? "warn" : "fail";
    const message = failures === 0 ? "pass" : `${failures} failing row${failures === 1 ? "" : "s"}`;
    return { ...base, status, failures, samples, durationMs: performance.now() - t0, message };
  } catch (err) {
    return {
      ...base,
      status: "error",
      failures: 0,
      samples: [],
      durationMs: performance.now() - t0,
      message: errorMessage(err),
    };
  }
}
