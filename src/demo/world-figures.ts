/**
 * The reference figures of source.md computed from what the simulator knows (not from a
 * dump): the truth the calibration tests and the gold layer's guardrails are checked against.
 * Definitions follow kpis.md: snapshot D is the PMS at 05:30 of D.
 */
import { monthEnd, monthStart } from "../calendar/business-date.js";
import type { DemoWorld } from "./world.js";
import { MINUTES_PER_DAY as DAY, isCopy, tenantStateAt, type Moving } from "./world-model.js";

const OCCUPYING = new Set([7, 9, 10, 11, 12, 13, 14, 15]);
const SNAPSHOT_MINUTE = 330;

export interface MonthFigures {
  totalRooms: number;
  occupiedRooms: number;
  occupancyRate: number;
  rent: number;
  revpar: number;
  recparCash: number;
}

interface OccupiedRoom {
  moving: Moving;
}

/** Occupied physical rooms of snapshot `day`, one current contract per room (kpis.md rule). */
export function occupiedRooms(
  world: DemoWorld,
  day: number,
  excludeMoveInsOfDay = false,
): Map<number, OccupiedRoom> {
  const at = day * DAY + SNAPSHOT_MINUTE;
  const rooms = new Map<number, OccupiedRoom>();
  for (const t of world.tenants) {
    if (t.createdAt >= at) break;
    const s = tenantStateAt(t, at);
    if (!s || s.roomId === null || !OCCUPYING.has(s.status)) continue;
    if (excludeMoveInsOfDay && s.moving.moveIn === day) continue;
    const prev = rooms.get(s.roomId);
    const later =
      !prev ||
      s.moving.moveIn > prev.moving.moveIn ||
      (s.moving.moveIn === prev.moving.moveIn && s.moving.id > prev.moving.id);
    if (later) rooms.set(s.roomId, { moving: s.moving });
  }
  return rooms;
}

/** Room inventory of snapshot `day` for `day`. */
export function totalRooms(world: DemoWorld, day: number): number {
  const at = day * DAY + SNAPSHOT_MINUTE;
  let n = 0;
  for (const b of world.buildings) {
    if (b.createdAt >= at || b.openedOn > day || (b.closedOn !== null && b.closedOn <= day)) continue;
    for (const r of b.rooms) if (r.inactiveFrom === null || r.inactiveFrom > day) n++;
  }
  return n;
}

/** Month-end figures for the month of `asOf` (the month's last fact day). */
export function monthEndFigures(world: DemoWorld, asOf: number): MonthFigures {
  const occupied = occupiedRooms(world, asOf);
  const total = totalRooms(world, asOf);
  let rentSum = 0;
  for (const { moving } of occupied.values()) rentSum += moving.rent;
  const month = monthStart(asOf);
  const seenAt = asOf * DAY + SNAPSHOT_MINUTE;
  let paid = 0;
  for (const b of world.bills) {
    if (b.createdAt >= seenAt) break;
    if (b.billingMonth !== month || b.paidAt === null || b.paidAt >= seenAt) continue;
    if (Math.floor(b.paidAt / DAY) <= monthEnd(month)) paid += b.amountDue;
  }
  return {
    totalRooms: total,
    occupiedRooms: occupied.size,
    occupancyRate: occupied.size / total,
    rent: Math.round(rentSum / occupied.size),
    revpar: rentSum / total,
    recparCash: paid / total,
  };
}

/** Move-ins (not cancelled, move_in_date in the month) and confirmed move-outs of a month. */
export function monthMoves(world: DemoWorld, month: number): { moveins: number; moveouts: number } {
  let moveins = 0;
  let moveouts = 0;
  const last = monthEnd(month);
  for (const row of world.movingRows) {
    if (isCopy(row)) continue;
    if (row.cancelledAt === null && row.moveIn >= month && row.moveIn <= last) moveins++;
    if (row.leaveDay !== null && row.leaveDay >= month && row.leaveDay <= last) moveouts++;
  }
  return { moveins, moveouts };
}
