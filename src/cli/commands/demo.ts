import type { Command } from "commander";
import { parseBusinessDate } from "../../calendar/business-date.js";
import { generateDemoWorld } from "../../demo/generate.js";
import { UsageError } from "../../errors.js";
import { action } from "../output.js";

interface GenerateFlags {
  out: string;
  from: string;
  to: string;
  scale: string;
  seed: string;
  gzip?: boolean;
  incidents: boolean;
  auxMb: string;
  quiet?: boolean;
}

function number(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${flag}: expected a number, got '${text}'`);
  return n;
}

export function registerDemoCommand(program: Command): void {
  const demo = program
    .command("demo")
    .description("the demo world: a simulated operator that writes daily PMS dumps");
  demo
    .command("generate")
    .description("simulate the operator and write one dump + manifest per day")
    .requiredOption("--out <dir>", "folder to write the world into (dumps/, dumps-manifest/)")
    .requiredOption("--from <date>", "first business date to dump (YYYY-MM-DD)")
    .requiredOption("--to <date>", "last business date to dump (YYYY-MM-DD)")
    .option("--scale <s>", "portfolio size relative to the real operator (0.1 = about 1,600 rooms)", "0.1")
    .option("--seed <n>", "random seed: same options and seed give byte-identical files", "1")
    .option("--gzip", "write .sql.gz dumps")
    .option("--no-incidents", "no missing, invalid, drifted or corrupted dumps")
    .option("--aux-mb <n>", "size of the 74 auxiliary tables per dump, in MB", "3")
    .option("--quiet", "no per-day lines")
    .action(
      action(async (flags: GenerateFlags) => {
        const started = Date.now();
        const result = await generateDemoWorld({
          out: flags.out,
          from: parseBusinessDate(flags.from, "--from"),
          to: parseBusinessDate(flags.to, "--to"),
          scale: number(flags.scale, "--scale"),
          seed: number(flags.seed, "--seed"),
          gzip: Boolean(flags.gzip),
          incidents: flags.incidents,
          auxMb: number(flags.auxMb, "--aux-mb"),
          onDay: (d) => {
            if (flags.quiet) return;
            const what = d.incident ? ` (incident: ${d.incident})` : "";
            console.log(`${d.date}  ${d.dumpFile ? `${(d.bytes / 1e6).toFixed(1)} MB` : "no dump"}${what}`);
          },
        });
        const bytes = result.days.reduce((s, d) => s + d.bytes, 0);
        console.log(
          `wrote ${result.days.length} days, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
            `to ${flags.out} (${result.world.rooms.length} rooms, ${result.world.buildings.length} buildings)`,
        );
      }),
    );
}
