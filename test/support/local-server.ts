/**
 * What the throw-away database servers of the tests (MariaDB, PostgreSQL) share: a free
 * loopback port, a short sleep between readiness probes, the end of a server log for the
 * error when a server does not come up, and the ownership of the server process and folder.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";

/** A loopback port free right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last lines of a server log, for an error message. */
export function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface StartOptions {
  /** Startup deadline in ms. */
  timeoutMs?: number;
}

/** A server process a test owns, with the folder holding its data. */
export interface OwnedServer {
  /** Takes charge of a newly spawned server process (one per start attempt). */
  adopt(child: ChildProcess): void;
  /** Whether the adopted process has ended. */
  exited(): boolean;
  /** Stops the process (`stopSignal`, SIGKILL after 10 s) and removes the folder; idempotent. */
  stop(): Promise<void>;
}

/**
 * Owns a server process and its folder. If the test process ends without `stop()`, the server
 * is killed and the folder removed anyway, so nothing is left behind.
 */
export function ownServer(dir: string, stopSignal: NodeJS.Signals): OwnedServer {
  let child: ChildProcess | undefined;
  let exited = false;
  let stopped = false;

  const onExit = () => {
    if (child && !exited) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  return {
    adopt(process) {
      child = process;
      exited = false;
      process.once("exit", () => {
        exited = true;
      });
    },
    exited: () => exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", onExit);
      if (child && !exited) {
        const running = child;
        const done = new Promise<void>((r) => running.once("exit", () => r()));
        running.kill(stopSignal);
        const ended = await Promise.race([done.then(() => true), sleep(10_000).then(() => false)]);
        if (!ended) {
          running.kill("SIGKILL");
          await Promise.race([done, sleep(2_000)]);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
