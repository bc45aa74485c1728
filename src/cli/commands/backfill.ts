import type { Command } from "commander";
import { engineOfLocation } from "../../warehouse/open-warehouse.js";
import { backfill } from "../../pipeline/backfill.js";
import { snapshotModelsStep } from "../../pipeline/daily-run.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, render } from "../output.js";

export function registerBackfillCommand(program: Command): void {
  withCommonOptions(
    program
      .command("backfill")
      .description(
        "build the snapshot history from a range of dumps, oldest first; gaps recorded; resumable",
      ),
  )
    .requiredOption("--from <date>", "first business date (YYYY-MM-DD)")
    .requiredOption("--to <date>", "last business date (YYYY-MM-DD)")
    .option("--checkpoint-every <n>", "publish a checkpoint after this many dates", "10")
    .option("--json", "one JSON object per date, then a summary")
    .action(
      action(
        async (
          opts: CommonOptions & { from: string; to: string; checkpointEvery: string; json?: boolean },
        ) => {
          const settings = settingsFrom(opts).values;
          const result = await backfill(settings, {
            from: opts.from,
            to: opts.to,
            checkpointEvery: Number(opts.checkpointEvery),
            afterDate: snapshotModelsStep(settings, engineOfLocation(settings.warehouse)),
            onDate: (r) => {
              if (opts.json) console.log(JSON.stringify(r, jsonReplacer));
              else
                console.log(
                  `${r.date}  ${r.status}${r.reason ? ` (${r.reason})` : ""}  ${r.seconds.toFixed(1)} s`,
                );
            },
          });
          const loaded = result.dates.filter((d) => d.status === "loaded").length;
          const gaps = result.dates.filter((d) => d.status === "gap");
          const summary = {
            loaded,
            gaps: gaps.length,
            already_done: result.alreadyDone,
            checkpoints: result.checkpoints,
            seconds: Number(result.dates.reduce((s, d) => s + d.seconds, 0).toFixed(1)),
          };
          if (opts.json) console.log(JSON.stringify({ summary }));
          else console.log("\n" + render([summary], "table"));
        },
      ),
    );
}
