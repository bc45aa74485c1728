/**
 * export parquet --out DIR|s3://bucket/prefix [--models SELECTOR] [--state ID] [--json]:
 * the selected model tables of the published (or a kept) state as Parquet with a manifest
 * (src/export/export-parquet.ts). The function takes its options and an output sink so tests
 * run it in process.
 */
import type { Command } from "commander";
import { exportParquet } from "../../export/export-parquet.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, processIO, render, type CommandIO } from "../output.js";

export interface ExportParquetOptions extends CommonOptions {
  out: string;
  models?: string;
  state?: string;
  json?: boolean;
  /** Another models project (tests). */
  projectDir?: string;
}

export async function exportParquetCommand(
  opts: ExportParquetOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const settings = settingsFrom(opts).values;
  const started = Date.now();
  const manifest = await exportParquet(settings, {
    out: opts.out,
    models: opts.models,
    state: opts.state,
    projectDir: opts.projectDir,
  });
  if (opts.json) {
    io.out(JSON.stringify(manifest));
    return 0;
  }
  io.out(
    render(
      manifest.tables.map((t) => ({
        table: t.table,
        rows: t.rows,
        files: t.files.length,
        partition: t.partition ? `${t.partition.key} (from ${t.partition.column})` : "",
        mb: (t.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(2),
      })),
      "table",
    ),
  );
  io.err(
    `exported ${manifest.tables.length} tables of state ${manifest.state_id} to ${opts.out} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s (manifest.json)`,
  );
  return 0;
}

export function registerExportCommand(program: Command): void {
  const exp = program.command("export").description("export warehouse tables for other engines");
  withCommonOptions(
    exp
      .command("parquet")
      .description(
        "selected model tables as Parquet, one folder per table, partitioned by month, with manifest.json",
      )
      .requiredOption("--out <dest>", "an empty folder or s3://bucket/prefix")
      .option(
        "--models <selector>",
        "tables to export, `models run` selector syntax (gold, silver, tag:x, names)",
        "gold",
      )
      .option("--state <id>", "a kept state instead of the published one")
      .option("--json", "print the manifest"),
  ).action(action((opts: ExportParquetOptions) => exportParquetCommand(opts)));
}
