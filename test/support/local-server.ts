/**
 * What the throw-away database servers of the tests (MariaDB, PostgreSQL) share: a free
 * loopback port, a short sleep between readiness probes, and the end of a server log for
 * the error when a server does not come up.
 */
import { readFileSync } from "node:fs";
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
