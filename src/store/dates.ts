/**
 * Business dates as plain 'YYYY-MM-DD' strings, and the compact 'YYYYMMDD' form used in dump
 * file names. Deliberately tiny and local to the store; arithmetic is done in UTC so that a
 * date never shifts with the machine's time zone.
 */
import { UsageError } from "../errors.js";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written 'YYYY-MM-DD' (so '2026-02-30' is false). */
export function isBusinessDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Returns the date unchanged, or throws a UsageError naming what was expected. */
export function requireBusinessDate(text: string, what = "date"): string {
  if (!isBusinessDate(text)) throw new UsageError(`${what} '${text}' is not a date YYYY-MM-DD`);
  return text;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** '2026-01-10' -> '20260110'. */
export function compactDate(date: string): string {
  return date.replace(/-/g, "");
}

/** '20260110' -> '2026-01-10', or undefined when it is not a real date. */
export function fromCompactDate(text: string): string | undefined {
  if (!/^\d{8}$/.test(text)) return undefined;
  const date = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  return isBusinessDate(date) ? date : undefined;
}

/** Every date from `from` to `to`, both included (empty when `to` is before `from`). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Today's business date in Asia/Tokyo (UTC+9, no daylight saving). */
export function todayInTokyo(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}
