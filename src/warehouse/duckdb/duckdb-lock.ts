/**
 * One writer at a time per warehouse folder: `writer.lock`, created with O_EXCL, holding who
 * holds it (pid, host, start time, command, a random token).
 *
 * - A second writer fails with a WarehouseError naming the holder.
 * - A lock whose holder is a dead process on this host is taken over: the stale file is
 *   renamed away (atomic), and the takeover proceeds only if the renamed file is the very lock
 *   that was judged stale (same token); otherwise it is put back. Then O_EXCL creation again,
 *   so two processes racing for a stale lock cannot both win.
 * - Released on publish / abandon / close, and on process exit (synchronously) where Node
 *   still runs exit handlers. A SIGKILL leaves the file; the next writer takes it over.
 * - Release removes the file only if it still holds this lock's token.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { link, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { WarehouseError } from "../../errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  token: string;
}

const held = new Set<WriterLock>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const lock of held) lock.releaseSync();
  });
}

export class WriterLock {
  private released = false;
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
    /** The stale lock this one replaced, if any (for the history). */
    readonly replaced: LockHolder | undefined,
  ) {}

  /** True while the lock file still holds this lock's token. */
  async stillHeld(): Promise<boolean> {
    if (this.released) return false;
    const current = await readHolder(this.file);
    return current !== undefined && current !== "unreadable" && current.token === this.holder.token;
  }

  async release(): Promise<void> {
    this.releaseSync();
  }

  releaseSync(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    try {
      const current = JSON.parse(readFileSync(this.file, "utf8")) as LockHolder;
      if (current.token === this.holder.token) unlinkSync(this.file);
    } catch {
      // Already gone or replaced: nothing of ours to remove.
    }
  }
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host}, since ${h.startedAt} (${h.command})`;
}

/** Takes the writer lock or throws a WarehouseError naming the holder. */
export async function acquireWriterLock(
  file: string,
  command: string,
  now: () => Date = () => new Date(),
): Promise<WriterLock> {
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: now().toISOString(),
    command,
    token: randomBytes(8).toString("hex"),
  };
  let replaced: LockHolder | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, holder)) {
      const lock = new WriterLock(file, holder, replaced);
      held.add(lock);
      installExitHook();
      return lock;
    }
    const current = await readHolder(file);
    if (current === undefined) continue; // released meanwhile: try again
    if (current === "unreadable") {
      // A holder writes its file right after creating it; an unreadable file that stays so
      // for a while was left by a process killed in between.
      const age = (await unreadableAge(file)) ?? 0;
      if (age < UNREADABLE_GRACE_MS) {
        throw new WarehouseError(`warehouse lock ${file} is being taken by another process; try again`);
      }
      await takeOver(file, undefined);
      continue;
    }
    if (current.host !== holder.host) {
      throw new WarehouseError(
        `warehouse is locked by a writer on another host: ${describeHolder(current)}. ` +
          `If that process is gone, remove ${file}`,
      );
    }
    if (processAlive(current.pid)) {
      throw new WarehouseError(
        `warehouse is locked by another writer: ${describeHolder(current)}. ` +
          `Wait for it to finish (if that pid is no longer a tokyobeta writer, remove ${file})`,
      );
    }
    if (await takeOver(file, current)) replaced = current;
  }
  throw new WarehouseError(`could not take the warehouse lock ${file}: other writers keep racing for it`);
}

/** How long an unreadable lock file counts as a writer still writing it (then: left by a killed one). */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * The live holder of the lock file, described; null when there is no lock, or its holder is a
 * dead process on this host, or the file stayed unreadable past the grace period (both are taken
 * over by the next writer). A holder on another host cannot be checked and counts as live.
 */
export async function describeCurrentHolder(file: string): Promise<string | null> {
  const current = await readHolder(file);
  if (current === undefined) return null;
  if (current === "unreadable") {
    const age = await unreadableAge(file);
    return age !== undefined && age < UNREADABLE_GRACE_MS ? `a writer taking the lock ${file}` : null;
  }
  if (current.host === hostname() && !processAlive(current.pid)) return null;
  return describeHolder(current);
}

async function unreadableAge(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => Date.now() - s.mtimeMs,
    () => undefined,
  );
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new WarehouseError(`cannot create warehouse lock ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    writeSync(fd, JSON.stringify(holder) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

async function readHolder(file: string): Promise<LockHolder | "unreadable" | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as LockHolder;
    if (typeof parsed.pid === "number" && typeof parsed.token === "string") return parsed;
  } catch {
    // fall through
  }
  return "unreadable";
}

/** Moves a stale lock out of the way; true if it was the one judged stale. */
async function takeOver(file: string, stale: LockHolder | undefined): Promise<boolean> {
  const aside = `${file}.stale-${randomBytes(4).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false; // someone else took it over
    throw err;
  }
  const moved = await readHolder(aside);
  const same =
    stale === undefined
      ? moved === "unreadable"
      : moved !== undefined && moved !== "unreadable" && moved.token === stale.token;
  if (!same) {
    // A live lock was created between our look and the rename: put it back (never over another).
    await link(aside, file).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
  return same;
}

/** Whether a process with this pid exists (on this host). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
