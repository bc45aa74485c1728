/**
 * The service's clock: named jobs on cron schedules (croner), in one time zone.
 *
 * Data flow: `tokyobeta serve` (cli) → service (this folder) → pipeline (the daily run) and
 * monitor (freshness, alerts). The scheduler knows nothing of either; it only guarantees:
 * - a job never overlaps itself: a firing while the previous one still runs is skipped and
 *   logged (a job may also refuse to start through its `skipReason`, e.g. a warehouse lock
 *   held by another process);
 * - a job's failure is logged and never stops the schedule;
 * - `stop()` stops every schedule first (no new job starts), then waits for the jobs already
 *   running to end, so a shutdown never cuts a run in half.
 */
import { Cron } from "croner";

export interface ScheduledJob {
  name: string;
  /** Cron expression (5 fields, or 6 with seconds); `off` disables the job. */
  cron: string;
  run: () => Promise<unknown>;
  /** Checked before each start: a reason not to start now (the firing is skipped and logged). */
  skipReason?: () => Promise<string | undefined>;
}

export interface SchedulerOptions {
  jobs: ScheduledJob[];
  /** IANA time zone the cron expressions are read in. */
  timezone: string;
  log: (line: string) => void;
}

export interface Scheduler {
  /** The next firing of each enabled job. */
  nextRuns(): { job: string; at: Date | null }[];
  /** Names of the jobs running now. */
  running(): string[];
  /** Runs a job now, through the same overlap guard as a scheduled firing. */
  trigger(name: string): Promise<void>;
  /** Stops every schedule, then resolves once the running jobs have ended. */
  stop(): Promise<void>;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const inFlight = new Map<string, Promise<void>>();
  let stopping = false;

  const fire = async (job: ScheduledJob): Promise<void> => {
    if (stopping) return;
    if (inFlight.has(job.name)) {
      options.log(`${job.name}: skipped, the previous ${job.name} is still running`);
      return;
    }
    const run = (async () => {
      const reason = await job.skipReason?.().catch((err: unknown) => `cannot check: ${String(err)}`);
      if (reason) {
        options.log(`${job.name}: skipped, ${reason}`);
        return;
      }
      const started = Date.now();
      options.log(`${job.name}: started`);
      try {
        await job.run();
        options.log(`${job.name}: ended after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (err) {
        options.log(`${job.name}: failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    inFlight.set(job.name, run);
    try {
      await run;
    } finally {
      inFlight.delete(job.name);
    }
  };

  const enabled = options.jobs.filter((j) => j.cron.trim() !== "off");
  const crons = enabled.map(
    (job) =>
      new Cron(job.cron, { timezone: options.timezone, name: `tokyobeta-${job.name}` }, () => fire(job)),
  );
  for (const job of enabled) {
    const next = crons[enabled.indexOf(job)]!.nextRun();
    options.log(
      `${job.name}: scheduled '${job.cron}' (${options.timezone}), next ${next?.toISOString() ?? "never"}`,
    );
  }

  return {
    nextRuns: () => enabled.map((job, i) => ({ job: job.name, at: crons[i]!.nextRun() })),
    running: () => [...inFlight.keys()],
    trigger: async (name) => {
      const job = options.jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no scheduled job named ${name}`);
      await fire(job);
    },
    stop: async () => {
      stopping = true;
      for (const c of crons) c.stop();
      const waiting = [...inFlight.keys()];
      if (waiting.length > 0) options.log(`waiting for ${waiting.join(", ")} to end before stopping`);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
