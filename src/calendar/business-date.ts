/**
 * Business dates (Asia/Tokyo calendar days) as plain 'YYYY-MM-DD' strings at the edges and
 * as day numbers (days since 1970-01-01) inside hot loops. No time zones are involved: a
 * business date is a calendar day, so UTC arithmetic on it is exact.
 */
import { UsageError } from "../errors.js";

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' to a day number; throws a UsageError naming the field when invalid. */
export function parseBusinessDate(text: string, field = "date"): number {
  const m = ISO_DATE.exec(text);
  if (!m) throw new UsageError(`${field}: expected YYYY-MM-DD, got '${text}'`);
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
  if (formatBusinessDate(day) !== text) throw new UsageError(`${field}: '${text}' is not a calendar date`);
  return day;
}

export function formatBusinessDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 'YYYYMMDD', the form used in dump file names. */
export function compactBusinessDate(day: number): string {
  return formatBusinessDate(day).replace(/-/g, "");
}

export function dayParts(day: number): { year: number; month: number; dayOfMonth: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dayOfMonth: d.getUTCDate() };
}

/** Day number of the first day of the month `monthsLater` months after the month of `day`. */
export function monthStart(day: number, monthsLater = 0): number {
  const d = new Date(day * MS_PER_DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsLater, 1) / MS_PER_DAY;
}

export function monthEnd(day: number): number {
  return monthStart(day, 1) - 1;
}

/** Monday of the week of `day` (weeks start on Monday). */
export function weekStart(day: number): number {
  const dow = (new Date(day * MS_PER_DAY).getUTCDay() + 6) % 7;
  return day - dow;
}

/** Today's business date in Asia/Tokyo. */
export function todayInTokyo(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(now);
}
