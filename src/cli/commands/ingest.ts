import type { Command } from "commander";
import { parseBusinessDate, todayInTokyo } from "../../calendar/business-date.js";
import { ingestDate, loadDumpFile, type IngestResult } from "../../pipeline/ingest.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { createLoadProgress, renderLoadReport } from "../load-progress.js";
import { action, jsonReplacer } from "../output.js";

const list = (text?: string) =>
  text === undefined
    ? undefined
    : text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);

function print(result: IngestResult, json: boolean | undefined): void {
  if (json)
    console.log(
      JSON.stringify({ state: result.state, load: result.load, slices: result.slices }, jsonReplacer),
    );
  else console.log(renderLoadReport(result));
}

export function registerIngestCommands(program: Command): void {
  withCommonOptions(
    program
      .command("ingest")
      .description(
        "load the valid dump for a business date into staging, append its snapshot slices, publish",
      ),
  )
    .option("--date <date>", "business date (default DAILY_TARGET_DATE or today in Asia/Tokyo)")
    .option(
      "--max-stale-days <n>",
      "how much older than the date the dump may be (DAILY_MAX_DUMP_STALE_DAYS)",
    )
    .option("--json", "print the load report as JSON")
    .action(
      action(async (opts: CommonOptions & { date?: string; maxStaleDays?: string; json?: boolean }) => {
        const settings = settingsFrom(opts, {
          targetDate: opts.date,
          maxDumpStaleDays: opts.maxStaleDays,
        }).values;
        const date = settings.targetDate ?? todayInTokyo();
        parseBusinessDate(date, "--date");
        const progress = createLoadProgress();
        try {
          print(await ingestDate(settings, date, progress.onProgress), opts.json);
        } finally {
          progress.stop();
        }
      }),
    );

  withCommonOptions(
    program
      .command("load-dump <file>")
      .description("load one dump file (no manifest) into staging and publish: ad-hoc and emergency reloads"),
  )
    .option("--tables <names>", "only these tables (comma-separated); other staging tables stay")
    .option("--exclude <names>", "never these tables (comma-separated)")
    .option("--json", "print the load report as JSON")
    .action(
      action(
        async (file: string, opts: CommonOptions & { tables?: string; exclude?: string; json?: boolean }) => {
          const settings = settingsFrom(opts).values;
          const progress = createLoadProgress();
          try {
            const result = await loadDumpFile(
              settings,
              file,
              { tables: list(opts.tables), exclude: list(opts.exclude) },
              progress.onProgress,
            );
            print(result, opts.json);
          } finally {
            progress.stop();
          }
        },
      ),
    );
}
