/**
 * Run records: one record per daily run, kept OUTSIDE the warehouse states so they survive a
 * run whose state is abandoned (failure, timeout) or a run that is killed.
 *
 * The interface is engine-neutral (`RunRecords`); the embedded engine keeps one JSON file per
 * run in `<warehouse>/runs/<run-id>.json`, replaced atomically (write temp, fsync, rename) at
 * the start, at every step end and at the end. A RUNNING record whose process is gone is
 * reported as FAILED (crashed) by `effectiveState`. PostgreSQL keeps them in a table of their own
 * (run-records-postgres.ts).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { WarehouseError } from "../errors.js";
import { ensureWarehouseFolder, layoutOf } from "../warehouse/duckdb/duckdb-states.js";
import { engineOfLocation } from "../warehouse/open-warehouse.js";
import { PostgresRunRecords } from "./run-records-postgres.js";

export type RunState = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMEOUT";

export interface RunStepRecord {
  step: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  status: "running" | "ok" | "failed";
  error?: string;
}

export interface RunRecord {
  format: 1;
  runId: string;
  kind: "daily";
  targetDate: string;
  snapshotDate?: string;
  state: RunState;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  pid: number;
  host: string;
  command: string;
  codeVersion: string;
  modelVersions: { kpiDefinitionVersion: string; project?: string };
  dump?: { key: string; sha256?: string; bytes?: number };
  steps: RunStepRecord[];
  rowsPerTable: Record<string, number>;
  tests?: {
    counts: Record<string, number>;
    failing: { test: string; severity: string; status: string; failures: number }[];
  };
  warnings: string[];
  error?: string;
  failingStep?: string;
  /** The state this run published (set once published). */
  publishedState?: string;
  /** True when the data was published before the run failed (strict archive). */
  dataPublished?: boolean;
}

/** What a reader should believe about a record: a RUNNING record of a dead process crashed. */
export interface EffectiveRun {
  state: RunState;
  crashed: boolean;
}

export interface RunRecords {
  readonly location: string;
  write(record: RunRecord): Promise<void>;
  read(runId: string): Promise<RunRecord | undefined>;
  /** Most recently started first. */
  list(limit?: number): Promise<RunRecord[]>;
}

export function newRunId(kind = "daily", now = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}`;
  return `${kind}-${stamp}-${randomBytes(2).toString("hex")}`;
}

const RUN_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Opens the run records of a warehouse location: a folder keeps JSON files under `runs/`, a
 * postgres:// URL a table outside the states.
 */
export function openRunRecords(warehouseLocation: string): RunRecords {
  if (engineOfLocation(warehouseLocation) === "postgres") return new PostgresRunRecords(warehouseLocation);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(warehouseLocation))
    throw new WarehouseError(`run records for ${warehouseLocation.split("//")[0]}//... are not supported`);
  return new FolderRunRecords(path.resolve(warehouseLocation));
}

class FolderRunRecords implements RunRecords {
  readonly location: string;
  #ready = false;
  constructor(private readonly warehouseRoot: string) {
    this.location = path.join(warehouseRoot, "runs");
  }

  async write(record: RunRecord): Promise<void> {
    if (!RUN_ID.test(record.runId)) throw new WarehouseError(`invalid run id ${record.runId}`);
    if (!this.#ready) {
      // The warehouse folder (and its marker) first: a foreign folder is refused, and a new
      // warehouse is not mistaken for a foreign folder because of its runs/.
      await ensureWarehouseFolder(layoutOf(this.warehouseRoot), new Date());
      mkdirSync(this.location, { recursive: true });
      this.#ready = true;
    }
    const file = path.join(this.location, `${record.runId}.json`);
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, `${JSON.stringify(record, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    if (!RUN_ID.test(runId)) return undefined;
    try {
      return JSON.parse(readFileSync(path.join(this.location, `${runId}.json`), "utf8")) as RunRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new WarehouseError(`run record ${runId} is unreadable: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  async list(limit = Number.POSITIVE_INFINITY): Promise<RunRecord[]> {
    let entries: string[];
    try {
      entries = readdirSync(this.location).filter((e) => e.endsWith(".json"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const records: RunRecord[] = [];
    for (const e of entries) {
      try {
        records.push(JSON.parse(readFileSync(path.join(this.location, e), "utf8")) as RunRecord);
      } catch {
        // A torn or foreign file is not a record.
      }
    }
    records.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    return records.slice(0, limit);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A RUNNING record whose process is dead on this host is a crashed run: FAILED. */
export function effectiveState(record: RunRecord): EffectiveRun {
  if (record.state !== "RUNNING") return { state: record.state, crashed: false };
  if (record.host === hostname() && record.pid !== process.pid && !pidAlive(record.pid))
    return { state: "FAILED", crashed: true };
  return { state: "RUNNING", crashed: false };
}

/** The step a crashed run was in: the last one started and not ended. */
export function crashedStep(record: RunRecord): string | undefined {
  return [...record.steps].reverse().find((s) => s.status === "running")?.step;
}
