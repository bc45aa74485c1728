/**
 * The model runner on the command line:
 *
 *   models list  [--select ...] [--exclude ...] [--json]
 *   models run | test | build  [--select ...] [--exclude ...] [--full-refresh] [--full-refresh-protected]
 *                              [--var name=value ...] [--dry-run] [--json]
 *   models docs  [--out DIR]
 *
 * run/test/build work in a new warehouse state and publish it only when no model errored and
 * no error-severity test failed; otherwise the state is abandoned (the previous one stays
 * current) and the exit code is 1. Functions take their options and an output sink so tests
 * run them in process.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { compileNode, compileTest } from "../../models-runner/compile-node.js";
import { loadProject } from "../../models-runner/load-project.js";
import { renderDocs, renderDocsHtml } from "../../models-runner/render-docs.js";
import {
  buildModels,
  runModels,
  runTests,
  isPublishable,
  type RunOptions,
} from "../../models-runner/run-models.js";
import { selectNodes } from "../../models-runner/select-nodes.js";
import { parseVarAssignments } from "../../models-runner/template.js";
import type { ModelEvent, ModelProject, RunResult, TestResult } from "../../models-runner/types.js";
import { engineOfLocation, openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface ModelsOptions extends CommonOptions {
  project?: string;
  select?: string[];
  exclude?: string[];
  json?: boolean;
}

export interface ModelsRunOptions extends ModelsOptions {
  fullRefresh?: boolean;
  fullRefreshProtected?: boolean;
  var?: string[];
  dryRun?: boolean;
  runId?: string;
}

export type ModelsMode = "run" | "test" | "build";

/**
 * `--project DIR`, else `./models` when it exists, else the `models/` folder shipped beside
 * the package (this file is `src|dist/cli/commands/models.*`, three levels below the root).
 */
export function resolveProjectDir(
  option: string | undefined,
  cwd = process.cwd(),
  shipped = fileURLToPath(new URL("../../../models", import.meta.url)),
): string {
  if (option) return path.resolve(cwd, option);
  const local = path.resolve(cwd, "models");
  return existsSync(local) ? local : shipped;
}

export async function modelsList(opts: ModelsOptions, io: CommandIO = processIO): Promise<number> {
  const project = await loadProject(resolveProjectDir(opts.project));
  const selection = selectNodes(project, opts);
  const rows = [
    ...selection.nodes.map((id) => {
      const node = project.nodes.get(id)!;
      return {
        node: id,
        kind: node.kind,
        materialized: node.kind === "seed" ? "seed" : node.config.materialized,
        tags: (node.kind === "seed" ? node.tags : node.config.tags).join(","),
        depends_on: (project.graph.parents.get(id) ?? []).join(","),
        file: node.file,
      };
    }),
    ...selection.tests.map((id) => {
      const test = project.tests.find((t) => t.id === id)!;
      return {
        node: id,
        kind: "test",
        materialized: `${test.type}, ${test.severity}`,
        tags: "",
        depends_on: test.dependsOn.join(","),
        file: test.file,
      };
    }),
  ];
  if (opts.json) {
    for (const r of rows) io.out(JSON.stringify(r));
    return 0;
  }
  io.out(render(rows, "table"));
  io.err(`${selection.nodes.length} models and seeds, ${selection.tests.length} tests in ${project.dir}`);
  return 0;
}

function dryRun(
  project: ModelProject,
  mode: ModelsMode,
  opts: ModelsRunOptions,
  engine: string,
  io: CommandIO,
): number {
  const vars = parseVarAssignments(opts.var ?? []);
  const selection = selectNodes(project, opts);
  if (mode !== "test") {
    for (const id of selection.nodes) {
      const node = project.nodes.get(id)!;
      if (node.kind === "seed") {
        io.out(`-- ${id}: seed from ${node.file} (${node.rows.length} rows)\n`);
        continue;
      }
      const sql = compileNode(project, id, { engine, vars, isIncremental: false });
      io.out(`-- ${id}: ${node.config.materialized} (${node.file})\n${sql};\n`);
    }
  }
  if (mode !== "run") {
    for (const id of selection.tests) {
      const test = project.tests.find((t) => t.id === id)!;
      io.out(
        `-- test ${id} (${test.severity}, ${test.file})\n${compileTest(project, test, { engine, vars })};\n`,
      );
    }
  }
  io.err(`dry run (${engine}): nothing was executed`);
  return 0;
}

function progressLine(e: ModelEvent): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
  if (e.type === "ModelBuilt") {
    const r = e.result;
    return `${r.status.padEnd(7)} ${r.node}  ${r.message.split("\n")[0]}  ${seconds(r.durationMs)}`;
  }
  const r = e.result;
  return `${r.status.padEnd(7)} test ${r.test}  ${r.message.split("\n")[0]}  ${seconds(r.durationMs)}`;
}

function summary(models: RunResult[], tests: TestResult[]): string {
  const count = (items: { status: string }[]) => {
    const by = new Map<string, number>();
    for (const i of items) by.set(i.status, (by.get(i.status) ?? 0) + 1);
    return [...by].map(([s, n]) => `${n} ${s}`).join(", ") || "none";
  };
  const lines: string[] = [];
  if (models.length) lines.push(`models: ${count(models)}`);
  if (tests.length) lines.push(`tests: ${count(tests)}`);
  for (const m of models.filter((r) => r.status === "error")) lines.push(`ERROR ${m.node}: ${m.message}`);
  for (const t of tests.filter((r) => r.status !== "pass" && r.status !== "skipped")) {
    lines.push(`${t.status.toUpperCase()} ${t.test} (${t.severity}) on ${t.node ?? "-"}: ${t.message}`);
    for (const s of t.samples) lines.push(`    ${JSON.stringify(s, jsonReplacer)}`);
  }
  return lines.join("\n");
}

export async function modelsRun(
  mode: ModelsMode,
  opts: ModelsRunOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const project = await loadProject(resolveProjectDir(opts.project));
  const settings = settingsFrom(opts).values;
  if (opts.dryRun) return dryRun(project, mode, opts, engineOfLocation(settings.warehouse), io);
  const vars = parseVarAssignments(opts.var ?? []);
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  try {
    const runId = opts.runId ?? `models-${mode}-${new Date().toISOString()}`;
    const writer = await warehouse.beginState({ label: `models ${mode}`, run: runId });
    let models: RunResult[] = [];
    let tests: TestResult[] = [];
    try {
      const runOptions: RunOptions = {
        select: opts.select,
        exclude: opts.exclude,
        vars,
        fullRefresh: opts.fullRefresh,
        fullRefreshProtected: opts.fullRefreshProtected,
        runId,
        engine: warehouse.engine,
        onEvent: opts.json ? undefined : (e) => io.err(progressLine(e)),
      };
      if (mode === "run") models = await runModels(writer, project, runOptions);
      else if (mode === "test") tests = await runTests(writer, project, runOptions);
      else ({ models, tests } = await buildModels(writer, project, runOptions));
    } catch (err) {
      await writer.abandon(`models ${mode} failed: ${(err as Error).message}`).catch(() => undefined);
      throw err;
    }
    if (opts.json) {
      for (const m of models) io.out(JSON.stringify({ type: "model", ...m }, jsonReplacer));
      for (const t of tests) io.out(JSON.stringify({ type: "test", ...t }, jsonReplacer));
    } else {
      io.out(summary(models, tests));
    }
    if (isPublishable(models, tests)) {
      const state = await writer.publish();
      io.err(`published state ${state.id} (run ${runId})`);
      return 0;
    }
    const failed =
      models.filter((m) => m.status === "error").length +
      tests.filter((t) => t.severity === "error" && (t.status === "fail" || t.status === "error")).length;
    await writer.abandon(`models ${mode}: ${failed} error${failed === 1 ? "" : "s"}`);
    io.err(`not published: ${failed} error${failed === 1 ? "" : "s"}; the previous state stays current`);
    return 1;
  } finally {
    await warehouse.close();
  }
}

export async function modelsDocs(
  opts: ModelsOptions & { out?: string },
  io: CommandIO = processIO,
): Promise<number> {
  const project = await loadProject(resolveProjectDir(opts.project));
  if (!opts.out) {
    io.out(renderDocs(project));
    return 0;
  }
  await mkdir(opts.out, { recursive: true });
  await writeFile(path.join(opts.out, "index.md"), renderDocs(project));
  await writeFile(path.join(opts.out, "index.html"), renderDocsHtml(project));
  io.err(`wrote ${path.join(opts.out, "index.html")} and index.md`);
  return 0;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function selectionOptions(cmd: Command): Command {
  return cmd
    .option("--project <dir>", "model project folder (default ./models, else the one shipped with tokyobeta)")
    .option("--select <selectors...>", "name, name+, +name, tag:x, schema:x (comma or space separated)")
    .option("--exclude <selectors...>", "same syntax as --select");
}

export function registerModelsCommand(program: Command): void {
  const models = program
    .command("models")
    .description("SQL models, seeds and data tests (see src/models-runner/README.md)");
  selectionOptions(
    withCommonOptions(models.command("list").description("models, seeds and tests in graph order")),
  )
    .option("--json", "one JSON object per line")
    .action(action((opts: ModelsOptions) => modelsList(opts)));

  const descriptions: Record<ModelsMode, string> = {
    run: "build the selected models and seeds in a new state; publish when none fails",
    test: "run the data tests of the selected models; publish the results when no error-severity test fails",
    build: "run + test in graph order (a model's tests right after it); publish on pass",
  };
  for (const mode of ["run", "test", "build"] as const) {
    selectionOptions(withCommonOptions(models.command(mode).description(descriptions[mode])))
      .option("--full-refresh", "rebuild incremental models (not those with full_refresh: false)")
      .option("--full-refresh-protected", "rebuild every incremental model, protected history included")
      .option("--var <name=value>", "a variable for var() (repeatable)", collect)
      .option("--dry-run", "print the compiled SQL; touch no warehouse")
      .option("--json", "results as JSON lines")
      .action(action((opts: ModelsRunOptions) => modelsRun(mode, opts)));
  }

  withCommonOptions(
    models
      .command("docs")
      .description("every model with columns, tests and lineage (Markdown, or a static page)"),
  )
    .option("--project <dir>", "model project folder")
    .option("--out <dir>", "write index.html and index.md there instead of printing Markdown")
    .action(action((opts: ModelsOptions & { out?: string }) => modelsDocs(opts)));
}
