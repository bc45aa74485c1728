/**
 * The upstream incidents a demo world plants so that every rejection path is exercised:
 * a 7-day outage window (3 dumps missing, 4 flagged invalid and quarantined), one dump from
 * a decommissioned server (source drift) and one whose bytes do not match its checksum.
 * They never touch the first or last 3 days, so a world's newest dump is always valid.
 */
import { Random } from "./random.js";

export type IncidentKind = "missing" | "invalid" | "source_drift" | "checksum_mismatch";

export interface IncidentPlan {
  byDay: Map<number, IncidentKind>;
}

const WINDOW: IncidentKind[] = ["invalid", "invalid", "missing", "missing", "missing", "invalid", "invalid"];

export function planIncidents(from: number, to: number, seed: number, enabled: boolean): IncidentPlan {
  const byDay = new Map<number, IncidentKind>();
  if (!enabled) return { byDay };
  const first = from + 3;
  const interior = to - 3 - first + 1;
  const wanted: IncidentKind[][] = [WINDOW, ["source_drift"], ["checksum_mismatch"]];
  const fitting: IncidentKind[][] = [];
  let used = 0;
  for (const block of wanted) {
    if (used + block.length > interior) continue;
    fitting.push(block);
    used += block.length;
  }
  const rng = new Random(seed).fork("incidents");
  let slack = interior - used;
  let day = first;
  for (const block of fitting) {
    const gap = rng.int(0, slack);
    slack -= gap;
    day += gap;
    for (const kind of block) byDay.set(day++, kind);
  }
  return { byDay };
}
