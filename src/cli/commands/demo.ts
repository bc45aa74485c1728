import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { formatBusinessDate, parseBusinessDate, todayInTokyo } from "../../calendar/business-date.js";
import { resolveSettings } from "../../config/settings.js";
import { generateDemoWorld } from "../../demo/generate.js";
import { UsageError } from "../../errors.js";
import { backfill } from "../../pipeline/backfill.js";
import { snapshotModelsStep } from "../../pipeline/daily-run.js";
import { engineOfLocation } from "../../warehouse/open-warehouse.js";
import { runDailyCommand } from "./run.js";
import { serveUntilSignalled } from "./serve.js";
import { usersFileFrom } from "./users.js";
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
    .description(
      "the main job on the demo world: generate it if missing, backfill its dumps, run the daily job, serve the dashboard",
    )
    .option("--dir <dir>", "demo world folder", "./demo-world")
    .option("--days <n>", "days of dumps to generate, ending today (Asia/Tokyo)", "30")
    .option("--port <port>", "dashboard port (TOKYOBETA_DASHBOARD_PORT, default 8080)")
    .option("--no-serve", "stop after the daily run (tests, CI)")
    .action(action(async (flags: DemoFlags) => runDemo(flags)));
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

interface DemoFlags {
  dir: string;
  days: string;
  port?: string;
  /** false with --no-serve. */
  serve: boolean;
}

/** The demo's dashboard user: `demo`, with a fresh random password printed once per demo start. */
export const DEMO_USER = "demo";

async function runDemo(flags: DemoFlags): Promise<number> {
  const dir = path.resolve(flags.dir);
  const config = path.join(dir, "tokyobeta.yaml");
  if (!existsSync(path.join(dir, "demo-world.json"))) {
    const today = parseBusinessDate(todayInTokyo());
    const days = Math.max(1, Math.floor(number(flags.days, "--days")));
    console.log(`generating a demo world in ${dir}: ${days} days to ${formatBusinessDate(today)}, scale 0.1`);
    await generateDemoWorld({
      out: dir,
      from: today - days + 1,
      to: today,
      scale: 0.1,
      seed: 1,
      gzip: true,
      incidents: true,
      auxMb: 3,
    });
  }
  const settings = resolveSettings({ configFile: config }).values;
  const options = JSON.parse(readFileSync(path.join(dir, "demo-world.json"), "utf8")).options;
  console.log(`backfilling ${options.from} .. ${options.to} into ${settings.warehouse}`);
  const filled = await backfill(settings, {
    from: options.from,
    to: options.to,
    checkpointEvery: 15,
    afterDate: snapshotModelsStep(settings, engineOfLocation(settings.warehouse)),
    onDate: (r) => r.status === "gap" && console.log(`  ${r.date} gap: ${r.reason}`),
  });
  console.log(
    `  ${filled.dates.filter((d) => d.status === "loaded").length} dates loaded, ${filled.alreadyDone} already done`,
  );
  console.log(`daily run for ${options.to}`);
  const code = await runDailyCommand({ ...settings, targetDate: options.to });
  console.log(
    [
      "",
      "next:",
      `  node dist/cli/main.js dumps list --config ${config}`,
      `  node dist/cli/main.js query --config ${config} "SELECT * FROM gold.kpi_month_end_metrics ORDER BY month_start"`,
      `  node dist/cli/main.js serve --config ${config}`,
    ].join("\n"),
  );
  if (!flags.serve || code !== 0) return code;
  return serveDemo(config, flags.port);
}

/** Gives the `demo` user a new random password, prints the login, serves until Ctrl-C. */
async function serveDemo(config: string, port: string | undefined): Promise<number> {
  const password = randomBytes(9).toString("base64url");
  const users = usersFileFrom({ config });
  await users.add(DEMO_USER, password);
  console.log(
    [
      "",
      `dashboard login: user ${DEMO_USER}, password ${password}`,
      `  (a new password at every demo start; users live in ${users.file})`,
      "Ctrl-C stops the dashboard.",
    ].join("\n"),
  );
  return serveUntilSignalled({ config, host: "127.0.0.1", port });
}
