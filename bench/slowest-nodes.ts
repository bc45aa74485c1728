/** The slowest models and tests of a daily run: what to look at when a step grows. */
import type { DailyRunResult } from "../src/pipeline/daily-run.js";

export function slowestNodes(result: Pick<DailyRunResult, "models" | "tests">, count = 15) {
  return [
    ...result.models.map((m) => ({ node: m.node, durationMs: m.durationMs })),
    ...result.tests.map((t) => ({ node: `test ${t.test}`, durationMs: t.durationMs })),
  ]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, count)
    .map((n) => ({ node: n.node, seconds: (n.durationMs / 1000).toFixed(2) }));
}
