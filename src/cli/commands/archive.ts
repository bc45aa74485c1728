/**
 * archive snapshots --before DATE --out DIR|s3://bucket/prefix [--json]: moves snapshot
 * history rows older than DATE to Parquet files, verified before anything is removed, in one
 * new published state (src/pipeline/archive-snapshots.ts). The models still read them.
 */
import type { Command } from "commander";
import { archiveSnapshots } from "../../pipeline/archive-snapshots.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, processIO, render, type CommandIO } from "../output.js";

export interface ArchiveSnapshotsOptions extends CommonOptions {
  before: string;
  out: string;
  json?: boolean;
}

export async function archiveSnapshotsCommand(
  opts: ArchiveSnapshotsOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const settings = settingsFrom(opts).values;
  const report = await archiveSnapshots(settings, { before: opts.before, out: opts.out });
  if (opts.json) {
    io.out(JSON.stringify(report));
    return 0;
  }
  if (report.files.length === 0) {
    io.err(`nothing to archive: no snapshot history before ${report.before}`);
    return 0;
  }
  io.out(
    render(
      report.files.map((f) => ({
        table: f.table,
        month: f.month,
        dates: `${f.firstDate}..${f.lastDate}`,
        rows: f.rows,
        file: f.destination,
      })),
      "table",
    ),
  );
  io.err(
    `archived ${Object.entries(report.rowsPerTable)
      .map(([t, n]) => `${n} rows of staging.${t}`)
      .join(", ")} (archive ${report.archiveId}); published state ${report.state}`,
  );
  return 0;
}

export function registerArchiveCommand(program: Command): void {
  const archive = program
    .command("archive")
    .description("move old data out of the warehouse, still readable");
  withCommonOptions(
    archive
      .command("snapshots")
      .description(
        "move snapshot-history rows older than DATE to Parquet (one file per table and month), verified before removal; models still read them",
      )
      .requiredOption("--before <date>", "archive rows with snapshot_date before this date (YYYY-MM-DD)")
      .requiredOption(
        "--out <dest>",
        "a folder, or s3://bucket/prefix (a local copy is kept under <warehouse>/archive/)",
      )
      .option("--json", "the report as JSON"),
  ).action(action((opts: ArchiveSnapshotsOptions) => archiveSnapshotsCommand(opts)));
}
