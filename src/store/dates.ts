/**
 * The store's view of business dates: plain 'YYYY-MM-DD' strings, and 'YYYYMMDD' in file
 * names. Thin string-level glue over src/calendar/business-date.ts, which owns parsing,
 * formatting and "today in Asia/Tokyo".
 */
import {
  compactBusinessDate,
  formatBusinessDate,
  parseBusinessDate,
  todayInTokyo,
} from "../calendar/business-date.js";

export { todayInTokyo };

/** True for a real calendar date written 'YYYY-MM-DD' (so '2026-02-30' is false). */
export function isBusinessDate(text: string): boolean {
  try {
    parseBusinessDate(text);
    return true;
  } catch {
    return false;
  }
}

/** Returns the date unchanged, or throws a UsageError naming `what`. */
export function requireBusinessDate(text: string, what = "date"): string {
  parseBusinessDate(text, what);
  return text;
}

export function addDays(date: string, days: number): string {
  return formatBusinessDate(parseBusinessDate(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return parseBusinessDate(to) - parseBusinessDate(from);
}

/** '2026-01-10' -> '20260110'. */
export function compactDate(date: string): string {
  return compactBusinessDate(parseBusinessDate(date));
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
  for (let d = parseBusinessDate(from), end = parseBusinessDate(to); d <= end; d++)
    out.push(formatBusinessDate(d));
  return out;
}
