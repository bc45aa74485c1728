/**
 * `tokyobeta query "SQL" [--format table|csv|json] [--state ID]`: a read-only query of the
 * published state (or a kept older one). JSON prints one object per line: integers beyond
 * 2^53 and DECIMALs as strings, dates and times ISO-8601, binary as lowercase hex. Anything
 * but a query (INSERT, CREATE, COPY, ATTACH, ...) is refused with a non-zero exit.
 *
 * `runQuery` takes its options and an output sink so tests run it in process.
 */
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, processIO, render, type CommandIO, type OutputFormat } from "../output.js";

export interface QueryOptions extends CommonOptions {
  format?: string;
  state?: string;
}

const FORMATS: readonly OutputFormat[] = ["table", "csv", "json"];

export async function runQuery(sql: string, opts: QueryOptions, io: CommandIO = processIO): Promise<number> {
  const format = (opts.format ?? "table") as OutputFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got ${opts.format}`);
  const settings = settingsFrom(opts).values;
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  const reader = opts.state ? await warehouse.openState(opts.state) : await warehouse.openPublished();
  try {
    const result = await reader.query(sql);
    const columns = result.columns.map((c) => c.name);
    if (format !== "json" || result.rows.length > 0) io.out(render(result.rows, format, columns));
    if (format === "table")
      io.err(`(${result.rows.length} row${result.rows.length === 1 ? "" : "s"}, state ${reader.stateId})`);
  } finally {
    await reader.close();
  }
  return 0;
}

export function registerQueryCommand(program: Command): void {
  withCommonOptions(
    program
      .command("query <sql>")
      .description("read-only SQL on the published warehouse state (or a kept one with --state)"),
  )
    .option("--format <format>", "table, csv or json (one object per line)", "table")
    .option("--state <id>", "query a kept older state (see `tokyobeta states`)")
    .action(action((sql: string, opts: QueryOptions) => runQuery(sql, opts)));
}
