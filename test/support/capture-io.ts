/** A CommandIO that keeps what a command printed, for in-process CLI tests. */
import type { CommandIO } from "../../src/cli/output.js";

export function captureIO(): CommandIO & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
  };
}
