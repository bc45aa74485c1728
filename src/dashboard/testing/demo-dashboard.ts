/**
 * A small published demo world for dashboard tests: generated dumps (scale 0.01), backfilled
 * with the snapshot models after each date, then the recorded daily run of the last date (so
 * the run/test records of the Data quality page exist), exactly as `tokyobeta demo` does.
 * Plus a signed-in dashboard app over it (a session created in the store: tests of the login
 * itself live in create-dashboard-app.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseBusinessDate } from "../../calendar/business-date.js";
import { resolveSettings } from "../../config/settings.js";
import { generateDemoWorld } from "../../demo/generate.js";
import { backfill } from "../../pipeline/backfill.js";
import { snapshotModelsStep } from "../../pipeline/daily-run.js";
import { runDailyRecorded } from "../../pipeline/daily-run-recorded.js";
import { engineOfLocation, openWarehouse } from "../../warehouse/open-warehouse.js";
import type { StateReader, Warehouse } from "../../warehouse/warehouse.js";
import { createDashboardApp, type DashboardApp } from "../create-dashboard-app.js";
import { createSessionStore } from "../middleware/session/index.js";

export interface DemoDashboard {
  root: string;
  warehouse: Warehouse;
  /** A reader of the published state, for computing expected numbers independently. */
  reader: StateReader;
  dash: DashboardApp;
  /** GET with a signed-in session cookie. */
  get(url: string): Promise<Response>;
  close(): Promise<void>;
}

export async function buildDemoDashboard(options: {
  from: string;
  to: string;
  scale?: number;
  now: () => Date;
  /**
   * The warehouse to build into: a `postgres://` URL of an empty database, or default a
   * DuckDB folder in the temporary root. The world and the build are the same on both.
   */
  warehouse?: string;
}): Promise<DemoDashboard> {
  const root = mkdtempSync(path.join(tmpdir(), "tb-dashboard-pages-"));
  const out = path.join(root, "world");
  await generateDemoWorld({
    out,
    from: parseBusinessDate(options.from),
    to: parseBusinessDate(options.to),
    scale: options.scale ?? 0.01,
    seed: 23,
    gzip: false,
    incidents: false,
    auxMb: 0.02,
  });
  const settings = resolveSettings({
    env: {},
    configFile: path.join(out, "tokyobeta.yaml"),
    flags: { warehouse: options.warehouse ?? path.join(root, "wh") },
  }).values;
  await backfill(settings, {
    from: options.from,
    to: options.to,
    checkpointEvery: 100,
    cacheDir: path.join(root, "cache"),
    afterDate: snapshotModelsStep(settings, engineOfLocation(settings.warehouse)),
  });
  const run = await runDailyRecorded(settings, options.to);
  if (run.exitCode !== 0)
    throw new Error(
      `daily run of the demo world failed: ${run.record.error ?? run.record.state} ${JSON.stringify(run.result ?? null).slice(0, 3000)}`,
    );
  const warehouse = await openWarehouse(settings.warehouse);
  const reader = await warehouse.openPublished();
  const { dash, get } = signedInDashboard(warehouse, options.now);
  return {
    root,
    warehouse,
    reader,
    dash,
    get,
    async close() {
      await dash.close();
      await reader.close();
      await warehouse.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A dashboard app over `warehouse` and a GET that is signed in (a session made in its store). */
export function signedInDashboard(
  warehouse: Warehouse,
  now: () => Date,
): { dash: DashboardApp; get(url: string): Promise<Response> } {
  const sessions = createSessionStore({ now });
  const dash = createDashboardApp({
    warehouse,
    users: { verify: async () => false },
    now,
    secret: "pages-test-secret",
    sessions,
    // Small pages, so the small world's large-table downloads span several of them.
    csvPageRows: 7,
  });
  return {
    dash,
    // A fresh session per request: tests move the clock past the 8-hour session age.
    get: (url) =>
      Promise.resolve(
        dash.app.request(url, { headers: { cookie: `evidence_session=${sessions.create("tester")}` } }),
      ),
  };
}
