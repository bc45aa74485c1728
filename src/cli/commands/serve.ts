/**
 * serve [--host H] [--port P] [--no-schedule]: the one service process — the dashboard over
 * HTTP (defaults from settings dashboard.host and dashboard.port, 127.0.0.1:8080; reads the
 * published warehouse read-only) plus the daily run and the freshness check on their cron
 * schedules (settings schedule.daily, schedule.freshness, schedule.timezone; src/service/).
 *
 * SIGTERM / SIGINT: no new scheduled job starts, the HTTP server stops, a running job ends
 * (its state is published or abandoned, never half-built), then the process exits 0.
 */
import type { Command } from "commander";
import { serve } from "@hono/node-server";
import type { Settings } from "../../config/settings.js";
import { createDashboardApp } from "../../dashboard/create-dashboard-app.js";
import { startScheduler, type Scheduler } from "../../service/scheduler.js";
import { dailyJob, freshnessJob, writerBusy, type DailyJobHooks } from "../../service/service-jobs.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { processIO, reportError, type CommandIO } from "../output.js";
import { usersFileFrom } from "./users.js";

export interface ServeOptions extends CommonOptions {
  host?: string;
  port?: string;
  /** false (`--no-schedule`): the dashboard only, no scheduled jobs. */
  schedule?: boolean;
}

function serveSettings(opts: ServeOptions): Settings {
  return settingsFrom(opts, { dashboardHost: opts.host, dashboardPort: opts.port }).values;
}

/** Starts the server; resolves once it listens, with its URL and a stop function. */
export async function startDashboard(
  opts: ServeOptions,
  io: CommandIO = processIO,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const settings = serveSettings(opts);
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  const users = usersFileFrom(opts);
  if ((await users.list()).length === 0) {
    io.err(`warning: no users in ${users.file}; add one with: tokyobeta users add NAME --password-stdin`);
  }
  const dashboard = createDashboardApp({
    warehouse,
    users,
    secret: settings.dashboardSessionSecret,
    trustProxy: settings.dashboardTrustProxy,
  });
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: dashboard.app.fetch, hostname: settings.dashboardHost, port: settings.dashboardPort },
      (info) => {
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        const url = `http://${host}:${info.port}/`;
        io.out(`dashboard listening on ${url}`);
        resolve({
          url,
          stop: async () => {
            await new Promise<void>((done) => {
              server.close(() => done());
              // Keep-alive connections would hold close() open until they time out.
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            });
            await dashboard.close();
            await warehouse.close();
          },
        });
      },
    );
    server.once("error", reject);
  });
}

export interface RunningService {
  url: string;
  /** Undefined with `--no-schedule`. */
  scheduler?: Scheduler;
  /** Graceful stop: schedules off, HTTP server closed, running jobs awaited. */
  stop: () => Promise<void>;
}

/** The dashboard plus the scheduled daily run and freshness check. */
export async function startService(
  opts: ServeOptions,
  io: CommandIO = processIO,
  hooks: DailyJobHooks = {},
): Promise<RunningService> {
  const settings = serveSettings(opts);
  const dashboard = await startDashboard(opts, io);
  const log = (line: string) => io.err(`${new Date().toISOString()} ${line}`);
  const scheduler =
    opts.schedule === false
      ? undefined
      : startScheduler({
          timezone: settings.scheduleTimezone,
          log,
          jobs: [
            {
              name: "daily",
              cron: settings.scheduleDaily,
              run: () => dailyJob(settings, log, hooks),
              skipReason: () => writerBusy(settings.warehouse),
            },
            { name: "freshness", cron: settings.scheduleFreshness, run: () => freshnessJob(settings, log) },
          ],
        });
  let stopped: Promise<void> | undefined;
  return {
    url: dashboard.url,
    scheduler,
    stop: () =>
      (stopped ??= (async () => {
        log("stopping: no new scheduled job starts");
        const jobs = scheduler?.stop() ?? Promise.resolve();
        await dashboard.stop();
        await jobs;
        log("stopped");
      })()),
  };
}

/** Runs the service until SIGTERM or SIGINT, then stops gracefully; resolves with exit code 0. */
export async function serveUntilSignalled(opts: ServeOptions, io: CommandIO = processIO): Promise<number> {
  const service = await startService(opts, io);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      io.err(`${signal} received`);
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve();
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  await service.stop();
  return 0;
}

export function registerServeCommand(program: Command): void {
  withCommonOptions(
    program
      .command("serve")
      .description(
        "the service: the dashboard (login required) plus the daily run and the freshness check on their cron schedules",
      )
      .option("--host <host>", "address to listen on (TOKYOBETA_DASHBOARD_HOST, default 127.0.0.1)")
      .option("--port <port>", "port to listen on (TOKYOBETA_DASHBOARD_PORT, default 8080)")
      .option("--no-schedule", "the dashboard only: no scheduled daily run or freshness check"),
  ).action(async (opts: ServeOptions) => {
    try {
      process.exitCode = await serveUntilSignalled(opts);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  });
}
