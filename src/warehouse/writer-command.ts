import { hostname } from "node:os";
import path from "node:path";

/**
 * The command line of this process, to name the holder of a writer lock (`tokyobeta run
 * daily`) when the caller gives no command of its own.
 */
export function currentCommand(): string {
  const [, script, ...args] = process.argv;
  return (
    [script ? path.basename(script) : "node", ...args].join(" ") || `pid ${process.pid} on ${hostname()}`
  );
}
