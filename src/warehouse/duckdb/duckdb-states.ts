/**
 * The DuckDB warehouse on disk: a folder of generation files, a pointer naming the current one
 * and the kept ones, and an append-only history.
 *
 * ```
 * <warehouse>/
 *   warehouse.json            marker: {"format":1,"engine":"duckdb","createdAt":...}
 *   CURRENT                   pointer: current state id + the kept states (JSON, replaced atomically)
 *   history.jsonl             one JSON event per line: begun, published, abandoned, removed, rollback, lock-takeover
 *   writer.lock               present while a writer holds the warehouse (see duckdb-lock.ts)
 *   generations/<id>.duckdb   one DuckDB file per state
 * ```
 *
 * CURRENT is the single source of truth for what is published and kept: publish and rollback
 * are one write-temp, fsync, rename, fsync-folder of that file. Generation files not named by
 * CURRENT are leftovers of abandoned or crashed writers (or pruned states whose removal was
 * interrupted) and are removed by the next writer.
 */
import { randomBytes } from "node:crypto";
import { constants, existsSync } from "node:fs";
import { copyFile, mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { WarehouseError } from "../../errors.js";
import type { StateEvent, StateInfo } from "../warehouse.js";

export const FORMAT = 1;

export interface Layout {
  root: string;
  marker: string;
  pointer: string;
  history: string;
  lock: string;
  generations: string;
}

export function layoutOf(root: string): Layout {
  const abs = path.resolve(root);
  return {
    root: abs,
    marker: path.join(abs, "warehouse.json"),
    pointer: path.join(abs, "CURRENT"),
    history: path.join(abs, "history.jsonl"),
    lock: path.join(abs, "writer.lock"),
    generations: path.join(abs, "generations"),
  };
}

export function generationFile(layout: Layout, id: string): string {
  return path.join(layout.generations, `${id}.duckdb`);
}

/** A kept state as stored in CURRENT. */
export type KeptState = Omit<StateInfo, "current">;

export interface Pointer {
  format: number;
  current: string;
  changedAt: string;
  /** Kept states, most recently current first; always includes `current`. */
  states: KeptState[];
}

const ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

/**
 * `YYYYMMDD-HHMMSS-mmmxxx`: UTC creation time to the millisecond, then 3 random hex digits.
 * Sorts by creation time (to the millisecond), short enough to type.
 */
export function newStateId(now: Date): string {
  const iso = now.toISOString(); // 2026-01-31T05:30:00.123Z
  const day = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  const time = `${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${day}-${time}-${iso.slice(20, 23)}${randomBytes(2).toString("hex").slice(0, 3)}`;
}

export function isStateId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Makes sure `root` is a warehouse folder, creating it (and its marker) when new or empty. */
export async function ensureWarehouseFolder(layout: Layout, now: Date): Promise<void> {
  await mkdir(layout.root, { recursive: true });
  if (!existsSync(layout.marker)) {
    const entries = (await readdir(layout.root)).filter((e) => !e.startsWith("."));
    if (entries.length > 0) {
      throw new WarehouseError(
        `${layout.root} is not empty and is not a tokyobeta warehouse (no warehouse.json); refusing to use it`,
      );
    }
    await writeFileAtomic(
      layout.marker,
      JSON.stringify({ format: FORMAT, engine: "duckdb", createdAt: now.toISOString() }) + "\n",
    );
  }
  await checkMarker(layout);
  await mkdir(layout.generations, { recursive: true });
}

/** For readers: the folder must already be a warehouse. */
export async function assertWarehouseFolder(layout: Layout): Promise<void> {
  if (!existsSync(layout.marker)) {
    throw new WarehouseError(`no warehouse at ${layout.root} (no warehouse.json); run a load first`);
  }
  await checkMarker(layout);
}

async function checkMarker(layout: Layout): Promise<void> {
  let marker: { format?: unknown; engine?: unknown };
  try {
    marker = JSON.parse(await readFile(layout.marker, "utf8")) as typeof marker;
  } catch (err) {
    throw new WarehouseError(`${layout.marker} is unreadable: ${(err as Error).message}`, { cause: err });
  }
  if (marker.engine !== "duckdb" || marker.format !== FORMAT) {
    throw new WarehouseError(
      `${layout.marker}: unsupported warehouse (engine ${String(marker.engine)}, format ${String(marker.format)})`,
    );
  }
}

export async function readPointer(layout: Layout): Promise<Pointer | null> {
  let text: string;
  try {
    text = await readFile(layout.pointer, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new WarehouseError(`cannot read ${layout.pointer}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const pointer = JSON.parse(text) as Pointer;
    if (pointer.format !== FORMAT || typeof pointer.current !== "string" || !Array.isArray(pointer.states)) {
      throw new Error("unexpected content");
    }
    return pointer;
  } catch (err) {
    throw new WarehouseError(`${layout.pointer} is corrupt: ${(err as Error).message}`, { cause: err });
  }
}

export async function writePointer(layout: Layout, pointer: Pointer): Promise<void> {
  await writeFileAtomic(layout.pointer, JSON.stringify(pointer, null, 2) + "\n");
}

/** Write to a temporary file, fsync it, rename it over `file`, fsync the folder. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(3).toString("hex")}`;
  const handle = await open(tmp, "w", 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncPath(path.dirname(file));
}

export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function appendHistory(layout: Layout, event: StateEvent): Promise<void> {
  const handle = await open(layout.history, "a", 0o644);
  try {
    await handle.appendFile(JSON.stringify(event) + "\n");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The history, oldest first; a torn last line (crash mid-append) is skipped. */
export async function readHistory(layout: Layout): Promise<StateEvent[]> {
  let text: string;
  try {
    text = await readFile(layout.history, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const events: StateEvent[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line) as StateEvent);
    } catch {
      // torn write
    }
  }
  return events;
}

/**
 * Removes everything under generations/ that does not belong to a kept state (files of
 * abandoned or crashed writers with their .wal and .tmp, unfinished copies, files of pruned
 * states whose removal was interrupted) and temporary pointer files. Only safe while holding
 * the writer lock. Returns the state ids removed.
 */
export async function removeLeftovers(layout: Layout, kept: ReadonlySet<string>): Promise<string[]> {
  // Temporary pointer files of a writer killed while publishing.
  for (const entry of await readdir(layout.root)) {
    if (entry.startsWith("CURRENT.tmp-")) await rm(path.join(layout.root, entry), { force: true });
  }
  let entries: string[];
  try {
    entries = await readdir(layout.generations);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const removed = new Set<string>();
  for (const entry of entries) {
    const id = entry.split(".")[0]!;
    if (kept.has(id)) continue;
    await rm(path.join(layout.generations, entry), { recursive: true, force: true });
    if (isStateId(id)) removed.add(id);
  }
  return [...removed];
}

/** Removes one generation's files (database, WAL, spill folder). */
export async function removeGeneration(layout: Layout, id: string): Promise<void> {
  const file = generationFile(layout, id);
  for (const f of [file, `${file}.wal`, `${file}.tmp`]) await rm(f, { recursive: true, force: true });
}

/** Copies a generation file, as a reflink (copy-on-write clone) where the file system can. */
export async function copyGeneration(from: string, to: string): Promise<void> {
  const partial = `${to}.copying`;
  await copyFile(from, partial, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  await fsyncPath(partial);
  await rename(partial, to);
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
