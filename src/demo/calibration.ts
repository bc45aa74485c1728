/**
 * The numbers that make the demo world reproduce the operator's published January 2026
 * figures (source.md): portfolio size, the seasonal occupancy target the leasing
 * controller tracks, monthly move-out rates, the rent level and payment behaviour.
 * Counts scale with --scale; rates and yen figures do not.
 */
import { dayParts, parseBusinessDate } from "../calendar/business-date.js";

/** Active rooms in open buildings on the calibration date, at scale 1. */
export const TARGET_INVENTORY_AT_SCALE_1 = 16_020;
export const CALIBRATION_DAY = parseBusinessDate("2026-01-31");
/** The simulation starts here (or earlier when asked for older dumps). */
export const DEFAULT_EPOCH = parseBusinessDate("2023-01-01");
/** Legacy contract codes 3, 6 and 9 are no longer used for contracts applied from this day. */
export const LEGACY_CONTRACT_MERGE_DAY = parseBusinessDate("2024-04-01");

/** End-of-day occupancy the leasing controller aims for, anchored at each month's last day. */
const MONTH_END_OCCUPANCY = [
  0.7055, // Jan
  0.6962, // Feb
  0.6885, // Mar
  0.7095, // Apr
  0.7155, // May
  0.7185, // Jun
  0.7165, // Jul
  0.7125, // Aug
  0.7135, // Sep
  0.7145, // Oct
  0.7115, // Nov
  0.7085, // Dec
];

/** Share of occupied rooms whose tenant moves out in the month (Feb and March peak). */
const MONTHLY_MOVEOUT_RATE = [
  0.031, 0.047, 0.066, 0.034, 0.028, 0.027, 0.03, 0.034, 0.035, 0.029, 0.027, 0.03,
];

export function occupancyTarget(day: number): number {
  const { year, month, dayOfMonth } = dayParts(day);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const prev = MONTH_END_OCCUPANCY[(month + 10) % 12]!;
  const cur = MONTH_END_OCCUPANCY[month - 1]!;
  return prev + ((cur - prev) * dayOfMonth) / daysInMonth;
}

export function moveoutRate(monthStartDay: number): number {
  return MONTHLY_MOVEOUT_RATE[dayParts(monthStartDay).month - 1]!;
}

/** Share of a month's move-outs that fall on its last day (the Japanese moving season). */
export function monthEndMoveoutShare(month: number): number {
  return month === 2 || month === 3 ? 0.42 : 0.22;
}

/** Leasing controller: share of the remaining gap to target planned each day (more on the 1st). */
export const CONTROLLER_GAIN = 0.45;
export const CONTROLLER_GAIN_FIRST_OF_MONTH = 0.9;
/** Month-end move-outs are mostly re-let the same day or the next (same-day turnovers). */
export const CONTROLLER_GAIN_MONTH_END = 0.8;
/** Move-ins are planned this many days ahead; applications fall inside that horizon. */
export const LEASING_HORIZON_DAYS = 30;

/** Room types: code, share of rooms, base list rent (yen), management fee. */
export const ROOM_TYPES = [
  { code: 1, share: 0.62, rent: 56_000, fee: 10_000 },
  { code: 2, share: 0.12, rent: 38_000, fee: 8_000 },
  { code: 3, share: 0.18, rent: 72_000, fee: 12_000 },
  { code: 4, share: 0.08, rent: 78_000, fee: 13_000 },
] as const;

/** Average contracted rent over occupied rooms (RENT, January 2026). */
export const TARGET_AVERAGE_CONTRACT_RENT = 56_195;
/** Average discount of a contract against the room's list rent. */
export const AVERAGE_DISCOUNT = 0.035;

/** Payment behaviour per method: share paid before the billed month ends, late, never. */
export const PAYMENT_METHODS = [
  { method: "bank", share: 0.66 },
  { method: "card", share: 0.24 },
  { method: "cash", share: 0.1 },
] as const;
export const LATE_PAYMENT_SHARE = 0.042;
export const UNPAID_SHARE = 0.012;

/** Applications that are cancelled before move-in, per planned move-in. */
export const CANCELLATION_SHARE = 0.09;
/** Move-outs that are room transfers (the tenant starts another contract the same day). */
export const TRANSFER_SHARE = 0.025;
/** Movings that the PMS stored twice (same tenant, room and move-in date). */
export const DUPLICATE_MOVING_SHARE = 0.012;
/** Inquiries per planned move-in. */
export const INQUIRIES_PER_MOVEIN = 3.1;
