/**
 * The daily run (operations.md): select the candidate for the target date, load it verifying
 * its sha256, append the snapshot slices, enrich, build seeds, silver and gold with their
 * tests, and publish only when no error-severity test failed. Everything happens in one new
 * warehouse state, so readers see either the previous state or the complete new one.
 *
 * Each step is timed; the result lists the steps, the load report, model and test results.
 */
import { fileURLToPath } from "node:url";
import type { Settings } from "../config/settings.js";
import { DumpRejectedError } from "../errors.js";
import { runEnrichment, type EnrichmentReport } from "../enrich/run-enrichment.js";
import { enrichmentOptionsFrom } from "../enrich/enrichment-options.js";
import { buildModels, isPublishable, loadProject } from "../models-runner/index.js";
import type { RunResult, TestResult, Vars } from "../models-runner/index.js";
import { openStore, requireDumpCandidate } from "../store/index.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateInfo, StateWriter } from "../warehouse/warehouse.js";
import { loadCandidate, recordLoad, type IngestSettings, type ProgressHandler } from "./ingest.js";
import type { LoadReport } from "./load-staging.js";
import { appendSnapshotSlices, type SnapshotSliceReport } from "./snapshot-history.js";
import { recordInLedger } from "./snapshot-ledger.js";

export const DEFAULT_PROJECT_DIR = fileURLToPath(new URL("../../models", import.meta.url));

export type DailySettings = IngestSettings &
  Pick<
    Settings,
    | "forceRebuildSnapshotDate"
    | "occupancyRebuildStartDate"
    | "lookbackDays"
    | "forwardDays"
    | "referenceScale"
    | "enrichOverrides"
    | "enrichLlmUrl"
    | "enrichLlmModel"
    | "enrichLlmApiKey"
    | "enrichLlmTimeoutMs"
  >;

export interface StepTiming {
  step: string;
  startedAt: string;
  durationMs: number;
}

export interface DailyRunResult {
  targetDate: string;
  snapshotDate: string;
  state: StateInfo | null;
  published: boolean;
  steps: StepTiming[];
  load: LoadReport;
  slices: SnapshotSliceReport;
  enrichment: EnrichmentReport;
  models: RunResult[];
  tests: TestResult[];
}

export interface DailyRunOptions {
  projectDir?: string;
  runId?: string;
  onProgress?: ProgressHandler;
  /** Called (and awaited) as each step starts. */
  onStep?: (step: string) => void | Promise<void>;
  /** Called (and awaited) as each step ends, with the error that ended it, if any. */
  onStepEnd?: (timing: StepTiming, error?: unknown) => void | Promise<void>;
  /** The dump chosen for the run, as soon as it is known. */
  onCandidate?: (candidate: { date: string; dumpKey: string; sha256?: string; bytes?: number }) => void;
  /** Checked at every step boundary: when aborted, the state is abandoned and its reason thrown. */
  signal?: AbortSignal;
  /** Runs in the publish step just before the state is published (e.g. to record the run in it). */
  beforePublish?: (writer: StateWriter, built: Omit<DailyRunResult, "state" | "published">) => Promise<void>;
}

/** Throws the abort reason of `signal` (an Error when one was given) when it is aborted. */
function checkSignal(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? "run aborted"));
}

/** Model variables of a run, from the settings and the snapshot date being loaded. */
export function modelVars(settings: DailySettings, snapshotDate: string): Vars {
  const vars: Vars = {
    snapshot_date: snapshotDate,
    lookback_days: settings.lookbackDays,
    forward_days: settings.forwardDays,
    reference_scale: settings.referenceScale,
  };
  if (settings.occupancyRebuildStartDate)
    vars.occupancy_rebuild_start_date = settings.occupancyRebuildStartDate;
  // Models that keep state across runs (tenant_status_history) must know an older snapshot
  // date was rebuilt.
  if (settings.forceRebuildSnapshotDate) vars.forced_snapshot_date = settings.forceRebuildSnapshotDate;
  return vars;
}

export async function runDaily(
  settings: DailySettings,
  targetDate: string,
  options: DailyRunOptions = {},
): Promise<DailyRunResult> {
  const steps: StepTiming[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    checkSignal(options.signal);
    await options.onStep?.(step);
    const started = new Date();
    let failure: unknown;
    try {
      return await work();
    } catch (err) {
      failure = err ?? new Error("step failed");
      throw err;
    } finally {
      const timing = { step, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() };
      steps.push(timing);
      await options.onStepEnd?.(timing, failure);
      // Once published, the run's data is out: a late abort no longer undoes it.
      if (failure === undefined && step !== "publish") checkSignal(options.signal);
    }
  };

  const project = await loadProject(options.projectDir ?? DEFAULT_PROJECT_DIR);
  const store = openStore(settings);
  const candidate = await timed("select", () =>
    requireDumpCandidate(store, targetDate, settings, { checksum: "skip" }),
  );
  options.onCandidate?.({
    date: candidate.date,
    dumpKey: candidate.dumpKey,
    sha256: candidate.manifest.dump_sha256,
    bytes: candidate.dumpBytes,
  });
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  try {
    const writer = await warehouse.beginState({ label: `daily ${candidate.date}`, run: options.runId });
    try {
      const load = await timed("load", () =>
        loadCandidate(writer, store, settings, candidate, options.onProgress),
      );
      const slices = await timed("snapshot", async () => {
        const report = await appendSnapshotSlices(writer, candidate.date);
        await recordLoad(writer, load, candidate.date);
        await recordInLedger(writer, candidate.date, "loaded");
        return report;
      });
      const enrichment = await timed("enrich", () => runEnrichment(writer, enrichmentOptionsFrom(settings)));
      const built = await timed("models", () =>
        buildWithForcedRebuild(writer, project, settings, candidate.date, warehouse.engine, options.runId),
      );
      const publishable = isPublishable(built.models, built.tests);
      if (!publishable) {
        await writer.abandon("error-severity test or model failure");
        return {
          targetDate,
          snapshotDate: candidate.date,
          state: null,
          published: false,
          steps,
          load,
          slices,
          enrichment,
          ...built,
        };
      }
      const state = await timed("publish", async () => {
        await options.beforePublish?.(writer, {
          targetDate,
          snapshotDate: candidate.date,
          steps,
          load,
          slices,
          enrichment,
          ...built,
        });
        return writer.publish();
      });
      return {
        targetDate,
        snapshotDate: candidate.date,
        state,
        published: true,
        steps,
        load,
        slices,
        enrichment,
        ...built,
      };
    } catch (err) {
      await writer.abandon(err instanceof Error ? err.message.slice(0, 500) : String(err));
      throw err;
    }
  } finally {
    await warehouse.close();
  }
}

/**
 * The per-date step of a backfill: the snapshot models (tag `snapshot`) take that date's
 * slice incrementally, so history loaded date by date reaches silver.
 */
export function snapshotModelsStep(
  settings: DailySettings,
  engine: string,
  projectDir = DEFAULT_PROJECT_DIR,
): (writer: StateWriter, date: string) => Promise<void> {
  let project: Awaited<ReturnType<typeof loadProject>> | undefined;
  return async (writer, date) => {
    project ??= await loadProject(projectDir);
    const built = await buildModels(writer, project, {
      select: ["tag:snapshot"],
      vars: modelVars(settings, date),
      engine,
    });
    if (!isPublishable(built.models, built.tests)) {
      const failed = [...built.models, ...built.tests].filter(
        (r) => r.status === "error" || r.status === "fail",
      );
      throw new DumpRejectedError(
        `snapshot models failed for ${date}: ${failed.map((r) => ("node" in r ? r.node : "")).join(", ")}`,
      );
    }
  };
}

/**
 * Builds every model; when a snapshot date is forced, its slice of the snapshot models is
 * first deleted and re-inserted from the staging history.
 */
async function buildWithForcedRebuild(
  writer: StateWriter,
  project: Awaited<ReturnType<typeof loadProject>>,
  settings: DailySettings,
  snapshotDate: string,
  engine: string,
  runId: string | undefined,
): Promise<{ models: RunResult[]; tests: TestResult[] }> {
  const forced = settings.forceRebuildSnapshotDate;
  if (forced) {
    const rebuilt = await buildModels(writer, project, {
      select: ["tag:snapshot"],
      vars: modelVars(settings, forced),
      runId,
      engine,
    });
    if (!isPublishable(rebuilt.models, rebuilt.tests)) {
      throw new DumpRejectedError(
        `forced rebuild of snapshot date ${forced} failed its tests; nothing was published`,
      );
    }
  }
  const built = await buildModels(writer, project, {
    vars: modelVars(settings, snapshotDate),
    runId,
    engine,
  });
  return { models: built.models, tests: built.tests };
}
