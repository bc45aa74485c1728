/**
 * serve [--host H] [--port P]: the dashboard over HTTP (defaults from settings dashboard.host
 * and dashboard.port, 127.0.0.1:8080). Reads the published warehouse read-only.
 */
import type { Command } from "commander";
import { serve } from "@hono/node-server";
import { createDashboardApp } from "../../dashboard/create-dashboard-app.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { processIO, reportError, type CommandIO } from "../output.js";
import { usersFileFrom } from "./users.js";

export interface ServeOptions extends CommonOptions {
  host?: string;
  port?: string;
}

/** Starts the server; resolves once it listens, with its URL and a stop function. */
export async function startDashboard(
  opts: ServeOptions,
  io: CommandIO = processIO,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const settings = settingsFrom(opts, { dashboardHost: opts.host, dashboardPort: opts.port }).values;
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
            await new Promise<void>((done) => server.close(() => done()));
            await dashboard.close();
            await warehouse.close();
          },
        });
      },
    );
    server.once("error", reject);
  });
}

export function registerServeCommand(program: Command): void {
  withCommonOptions(
    program
      .command("serve")
      .description("the dashboard over HTTP (login required); reads the published warehouse read-only")
      .option("--host <host>", "address to listen on (TOKYOBETA_DASHBOARD_HOST, default 127.0.0.1)")
      .option("--port <port>", "port to listen on (TOKYOBETA_DASHBOARD_PORT, default 8080)"),
  ).action(async (opts: ServeOptions) => {
    try {
      await startDashboard(opts);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  });
}
