/**
 * The demo world's entities. Each one carries its whole timeline (planned ahead by the
 * simulation); what a dump shows is that timeline read at the dump's moment. Times are
 * minutes since 1970-01-01 on the business (Tokyo) clock; dates are day numbers.
 */
import type { DemoMunicipality } from "./places.js";

export const MINUTES_PER_DAY = 1440;
/** A day number later than any simulated day: "not planned". */
export const NEVER = 1e9;

export interface Building {
  id: number;
  assetId: string;
  name: string;
  nameEn: string | null;
  zip: string;
  prefecture: string;
  address: string;
  lat: string | null;
  lng: string | null;
  openedOn: number;
  closedOn: number | null;
  /** When the closure was entered in the PMS (closed_on is visible from then). */
  closureDecidedAt: number | null;
  createdAt: number;
  municipality: DemoMunicipality;
  rooms: Room[];
}

export interface Room {
  id: number;
  building: Building;
  number: string;
  type: number;
  rent: number;
  fee: number;
  /** Day from which the room is withdrawn (is_active = 0), if ever. */
  inactiveFrom: number | null;
  inactiveDecidedAt: number | null;
  createdAt: number;
  /** Planning only: first day a new tenant may move in (NEVER while booked). */
  freeFrom: number;
}

export interface Tenant {
  id: number;
  code: string;
  lastName: string;
  firstName: string;
  email: string;
  phone: string;
  /** Day number, null (unknown) or "zero" (the PMS stored '0000-00-00'). */
  birthDate: number | null | "zero";
  gender: number | null;
  nationality: string | null;
  identity: number | null;
  affiliationType: number | null;
  affiliationName: string | null;
  createdAt: number;
  paymentMethod: string;
  movings: Moving[];
}

export interface Moving {
  id: number;
  tenant: Tenant;
  room: Room;
  agreementType: number;
  contractType: number;
  applicationAt: number;
  contractDay: number | null;
  contractAt: number;
  /** The PMS stored a zero date in contract_date (a known defect). */
  zeroContractDate: boolean;
  moveIn: number;
  /** When the status turned to "in residence" (often the evening before move-in). */
  moveInAt: number;
  cancelledAt: number | null;
  noticeAt: number | null;
  /** Scheduled move-out date (moveout_date). */
  moveoutDate: number | null;
  /** The day the tenant actually leaves (moveout_plans_date once processed). */
  leaveDay: number | null;
  processedAt: number | null;
  reason: number | null;
  rent: number;
  transferFrom: Moving | null;
  transferTo: Moving | null;
  /** Unpaid-rent intervals [from, to) during which the tenant is in arrears. */
  arrears: [number, number][];
}

/** A stale second copy of a moving row (the PMS duplicate defect): frozen at creation. */
export interface MovingCopy {
  id: number;
  copyOf: Moving;
}

export type MovingRow = Moving | MovingCopy;

export interface Bill {
  id: number;
  moving: Moving;
  billingMonth: number;
  amountDue: number;
  createdAt: number;
  paidAt: number | null;
  method: string;
}

export interface Inquiry {
  id: number;
  at: number;
  channel: string;
  apartmentId: number | null;
  nationality: string | null;
  tenantType: string | null;
  /** Status changes after creation (status starts at 1, open). */
  changes: [number, number][];
}

export function isCopy(row: MovingRow): row is MovingCopy {
  return (row as MovingCopy).copyOf !== undefined;
}

export interface TenantState {
  status: number;
  moving: Moving;
  apartmentId: number | null;
  roomId: number | null;
  changedAt: number;
}

const DAY = MINUTES_PER_DAY;

/** The tenant's status, room and current contract as the PMS shows them at minute `at`. */
export function tenantStateAt(tenant: Tenant, at: number): TenantState | null {
  let current: Moving | null = null;
  for (const mv of tenant.movings) {
    if (mv.applicationAt >= at) break;
    if (mv.transferFrom && at < mv.moveInAt) continue;
    current = mv;
  }
  if (!current) return null;
  const [status, changedAt, keepsRoom] = movingStatusAt(current, at);
  return {
    status,
    moving: current,
    apartmentId: keepsRoom ? current.room.building.id : null,
    roomId: keepsRoom ? current.room.id : null,
    changedAt: Math.max(changedAt, tenant.createdAt),
  };
}

/** [status code, when it was set, whether the tenant still holds the room]. */
function movingStatusAt(mv: Moving, at: number): [number, number, boolean] {
  if (mv.cancelledAt !== null && mv.cancelledAt < at) return [8, mv.cancelledAt, false];
  if (at < mv.contractAt) return [4, mv.applicationAt, true];
  const processingAt = Math.max((mv.moveIn - 3) * DAY + 600, mv.contractAt);
  if (at < processingAt) return [5, mv.contractAt, true];
  if (at < mv.moveInAt) return [6, processingAt, true];
  if (mv.leaveDay !== null && mv.processedAt !== null) {
    if (mv.processedAt + 30 * DAY <= at) return [17, mv.processedAt + 30 * DAY, false];
    if (mv.processedAt <= at) return [16, mv.processedAt, true];
    const leaveAt = mv.leaveDay * DAY + 600;
    if (leaveAt <= at) return [15, leaveAt, true];
  }
  if (mv.noticeAt !== null && mv.noticeAt <= at) {
    if (mv.transferTo) return [12, mv.noticeAt, true];
    const scheduledAt = mv.noticeAt + 3 * DAY;
    return scheduledAt <= at ? [11, scheduledAt, true] : [10, mv.noticeAt, true];
  }
  for (const [from, to] of mv.arrears) if (from <= at && at < to) return [14, from, true];
  // Renewal statuses switch at 10:00; count only days whose 10:00 has passed.
  const today = Math.floor((at - 600) / DAY);
  const years = Math.floor((today - mv.moveIn) / 365);
  const nextAnniversary = mv.moveIn + (years + 1) * 365;
  if (today >= nextAnniversary - 14) return [13, (nextAnniversary - 14) * DAY + 600, true];
  if (years >= 1) return [9, (mv.moveIn + years * 365) * DAY + 600, true];
  return [7, mv.moveInAt, true];
}

/** The latest change to a moving row visible at `at` (its updated_at). */
export function movingUpdatedAt(mv: Moving, at: number): number {
  let last = mv.applicationAt;
  for (const t of [mv.contractAt, mv.noticeAt, mv.processedAt, mv.cancelledAt]) {
    if (t !== null && t < at && t > last) last = t;
  }
  return last;
}
