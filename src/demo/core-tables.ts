/**
 * The seven tables analytics reads (source.md), as MySQL 8 `SHOW CREATE TABLE` prints them,
 * and their rows as the PMS holds them at a dump's moment. Rows are rendered once and reused
 * until the entity changes, which keeps long date ranges fast.
 */
import { sqlDate, sqlDateTime, sqlInt, sqlString } from "./sql-literal.js";
import type { DemoWorld } from "./world.js";
import {
  MINUTES_PER_DAY as DAY,
  isCopy,
  movingUpdatedAt,
  tenantStateAt,
  type Moving,
} from "./world-model.js";

const TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

function createTable(name: string, lines: string[], autoIncrement: number): string {
  const options = TABLE_OPTIONS.replace("ENGINE=InnoDB", `ENGINE=InnoDB AUTO_INCREMENT=${autoIncrement}`);
  return `CREATE TABLE \`${name}\` (\n  ${lines.join(",\n  ")}\n) ${options}`;
}

const TIMESTAMPS = ["`created_at` datetime NOT NULL", "`updated_at` datetime NOT NULL"];

export const CORE_TABLE_COLUMNS = {
  apartments: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`asset_id_hj` varchar(32) NOT NULL",
    "`apartment_name` varchar(255) NOT NULL",
    "`apartment_name_en` varchar(255) DEFAULT NULL",
    "`zip_code` varchar(8) NOT NULL",
    "`prefecture` varchar(16) NOT NULL",
    "`address` varchar(255) NOT NULL",
    "`latitude` decimal(10,7) DEFAULT NULL",
    "`longitude` decimal(10,7) DEFAULT NULL",
    "`opened_on` date NOT NULL",
    "`closed_on` date DEFAULT NULL",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
    "UNIQUE KEY `uq_apartments_asset_id_hj` (`asset_id_hj`)",
  ],
  rooms: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`apartment_id` int unsigned NOT NULL",
    "`room_number` varchar(16) NOT NULL",
    "`room_type_code` tinyint NOT NULL",
    "`rent` int NOT NULL",
    "`management_fee` int NOT NULL",
    "`is_active` tinyint(1) NOT NULL DEFAULT '1'",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
    "KEY `idx_rooms_apartment_id` (`apartment_id`)",
  ],
  tenants: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`tenant_code` varchar(20) NOT NULL",
    "`last_name` varchar(64) NOT NULL",
    "`first_name` varchar(64) NOT NULL",
    "`email` varchar(255) DEFAULT NULL",
    "`phone` varchar(32) DEFAULT NULL",
    "`birth_date` date DEFAULT NULL",
    "`gender_code` tinyint DEFAULT NULL",
    "`nationality` varchar(64) DEFAULT NULL",
    "`personal_identity_code` tinyint DEFAULT NULL",
    "`affiliation_type_code` tinyint DEFAULT NULL",
    "`affiliation_name` varchar(255) DEFAULT NULL",
    "`status` tinyint NOT NULL",
    "`apartment_id` int unsigned DEFAULT NULL",
    "`room_id` int unsigned DEFAULT NULL",
    "`moving_id` int unsigned DEFAULT NULL",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
    "UNIQUE KEY `uq_tenants_tenant_code` (`tenant_code`)",
    "KEY `idx_tenants_room` (`apartment_id`,`room_id`)",
  ],
  movings: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`tenant_id` int unsigned NOT NULL",
    "`apartment_id` int unsigned NOT NULL",
    "`room_id` int unsigned NOT NULL",
    "`moving_agreement_type` tinyint NOT NULL",
    "`contract_type` tinyint NOT NULL",
    "`application_date` date NOT NULL",
    "`contract_date` date DEFAULT NULL",
    "`move_in_date` date NOT NULL",
    "`moveout_notice_date` date DEFAULT NULL",
    "`moveout_date` date DEFAULT NULL",
    "`moveout_plans_date` date DEFAULT NULL",
    "`moveout_reason_code` tinyint DEFAULT NULL",
    "`rent` int NOT NULL",
    "`is_cancelled` tinyint(1) NOT NULL DEFAULT '0'",
    "`cancelled_at` datetime DEFAULT NULL",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
    "KEY `idx_movings_tenant_id` (`tenant_id`)",
    "KEY `idx_movings_room` (`apartment_id`,`room_id`)",
  ],
  inquiries: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`inquiry_at` datetime NOT NULL",
    "`channel` varchar(32) NOT NULL",
    "`apartment_id` int unsigned DEFAULT NULL",
    "`nationality` varchar(64) DEFAULT NULL",
    "`tenant_type` varchar(16) DEFAULT NULL",
    "`status` tinyint NOT NULL",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
  ],
  rent_payments: [
    "`id` int unsigned NOT NULL AUTO_INCREMENT",
    "`moving_id` int unsigned NOT NULL",
    "`tenant_id` int unsigned NOT NULL",
    "`billing_month` date NOT NULL",
    "`amount_due` int NOT NULL",
    "`amount_paid` int NOT NULL DEFAULT '0'",
    "`paid_on` date DEFAULT NULL",
    "`method` varchar(16) NOT NULL",
    ...TIMESTAMPS,
    "PRIMARY KEY (`id`)",
    "KEY `idx_rent_payments_moving_id` (`moving_id`)",
  ],
} as const;

export type CoreTableName = keyof typeof CORE_TABLE_COLUMNS | "rent_payments";
export const CORE_TABLE_NAMES = Object.keys(CORE_TABLE_COLUMNS) as CoreTableName[];

/** Seconds are not simulated; a stable pseudo-second keeps timestamps from looking synthetic. */
const sec = (id: number) => (id * 37) % 60;

/**
 * The PMS's nightly jobs touch some rows every day (rooms every 200 days, buildings every 30,
 * each on its own phase), so `updated_at` of those tables, and the manifest's
 * max_updated_at_by_table, stay current as they do upstream. Returns the minute of the latest
 * touch before `at` (18:00 of the touch day).
 */
function lastTouch(id: number, period: number, at: number): number {
  const phase = (id * 7919) % period;
  const yesterday = Math.floor(at / DAY) - 1;
  const day = Math.floor((yesterday - phase) / period) * period + phase;
  return day * DAY + 1080;
}

/** Caches one rendered row per id, re-rendering only when the row's version key changes. */
class RowCache {
  private readonly keys: number[] = [];
  private readonly texts: string[] = [];
  get(id: number, key: number, render: () => string): string {
    if (this.keys[id] === key) return this.texts[id]!;
    const text = render();
    this.keys[id] = key;
    this.texts[id] = text;
    return text;
  }
}

/** What a dump holds of one core table: its CREATE TABLE, the rows, the max updated_at. */
export interface CoreTableDump {
  name: CoreTableName;
  createSql: string;
  rows: () => Iterable<string>;
  /** Minutes of the latest updated_at among the rows (the manifest's max_updated_at_by_table). */
  maxUpdatedAt: () => number;
}

/** Renders the core tables of `world` as the PMS holds them at minute `at`. */
export class CoreTableRenderer {
  private readonly caches = new Map<string, RowCache>();

  constructor(private readonly world: DemoWorld) {}

  tablesAt(at: number): CoreTableDump[] {
    const w = this.world;
    const tracker = () => {
      let max = 0;
      return { see: (t: number) => (max = t > max ? t : max), max: () => max };
    };
    const make = (
      name: CoreTableName,
      nextId: number,
      body: (see: (t: number) => number) => Iterable<string>,
    ) => {
      const track = tracker();
      return {
        name,
        createSql: createTable(name, [...CORE_TABLE_COLUMNS[name]], nextId),
        rows: () => body(track.see),
        maxUpdatedAt: track.max,
      };
    };
    return [
      make("apartments", w.buildings.length + 1, (see) => this.apartments(at, see)),
      make("rooms", w.rooms.length + 1, (see) => this.rooms(at, see)),
      make("tenants", visibleCount(w.tenants, at, (t) => t.createdAt) + 1, (see) => this.tenants(at, see)),
      make("movings", visibleMovingRows(w, at) + 1, (see) => this.movings(at, see)),
      make("inquiries", visibleCount(w.inquiries, at, (q) => q.at) + 1, (see) => this.inquiries(at, see)),
      make("rent_payments", visibleCount(w.bills, at, (b) => b.createdAt) + 1, (see) =>
        this.payments(at, see),
      ),
    ];
  }

  private cache(table: string): RowCache {
    let c = this.caches.get(table);
    if (!c) this.caches.set(table, (c = new RowCache()));
    return c;
  }

  private *apartments(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("apartments");
    for (const b of this.world.buildings) {
      if (b.createdAt >= at) continue;
      const closureVisible = b.closureDecidedAt !== null && b.closureDecidedAt < at;
      const updated = see(
        Math.max(closureVisible ? b.closureDecidedAt! : b.createdAt, lastTouch(b.id, 30, at)),
      );
      yield cache.get(b.id, updated, () =>
        [
          `(${b.id}`,
          sqlString(b.assetId),
          sqlString(b.name),
          sqlString(b.nameEn),
          sqlString(b.zip),
          sqlString(b.prefecture),
          sqlString(b.address),
          b.lat ?? "NULL",
          b.lng ?? "NULL",
          sqlDate(b.openedOn),
          sqlDate(closureVisible ? b.closedOn : null),
          sqlDateTime(b.createdAt, sec(b.id)),
          `${sqlDateTime(updated, sec(b.id))})`,
        ].join(","),
      );
    }
  }

  private *rooms(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("rooms");
    for (const r of this.world.rooms) {
      if (r.createdAt >= at) continue;
      const inactiveAt = r.inactiveFrom === null ? null : Math.max(r.inactiveFrom * DAY, r.createdAt);
      const inactive = inactiveAt !== null && inactiveAt < at;
      const updated = see(Math.max(inactive ? inactiveAt! : r.createdAt, lastTouch(r.id, 200, at)));
      yield cache.get(
        r.id,
        updated,
        () =>
          `(${r.id},${r.building.id},${sqlString(r.number)},${r.type},${r.rent},${r.fee},${inactive ? 0 : 1},` +
          `${sqlDateTime(r.createdAt, sec(r.id))},${sqlDateTime(updated, sec(r.id))})`,
      );
    }
  }

  private *tenants(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("tenants");
    for (const t of this.world.tenants) {
      if (t.createdAt >= at) break;
      const state = tenantStateAt(t, at);
      if (!state) continue;
      const updated = see(state.changedAt);
      yield cache.get(t.id, updated * 32 + state.status, () => {
        const birth = t.birthDate === "zero" ? "'0000-00-00'" : sqlDate(t.birthDate);
        return [
          `(${t.id}`,
          sqlString(t.code),
          sqlString(t.lastName),
          sqlString(t.firstName),
          sqlString(t.email),
          sqlString(t.phone),
          birth,
          sqlInt(t.gender),
          sqlString(t.nationality),
          sqlInt(t.identity),
          sqlInt(t.affiliationType),
          sqlString(t.affiliationName),
          state.status,
          sqlInt(state.apartmentId),
          sqlInt(state.roomId),
          state.moving.id,
          sqlDateTime(t.createdAt, sec(t.id)),
          `${sqlDateTime(updated, sec(t.id))})`,
        ].join(",");
      });
    }
  }

  private *movings(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("movings");
    for (const row of this.world.movingRows) {
      const mv = isCopy(row) ? row.copyOf : row;
      if (mv.applicationAt >= at) break;
      // A stale duplicate row was written once at application and never updated again.
      const asOf = isCopy(row) ? mv.applicationAt + 1 : at;
      const updated = see(movingUpdatedAt(mv, asOf));
      yield cache.get(row.id, updated, () => renderMoving(row.id, mv, asOf, updated));
    }
  }

  private *inquiries(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("inquiries");
    for (const q of this.world.inquiries) {
      if (q.at >= at) break;
      let status = 1;
      let updated = q.at;
      for (const [when, s] of q.changes) {
        if (when >= at) break;
        status = s;
        updated = when;
      }
      see(updated);
      yield cache.get(
        q.id,
        updated,
        () =>
          `(${q.id},${sqlDateTime(q.at, sec(q.id))},${sqlString(q.channel)},${sqlInt(q.apartmentId)},` +
          `${sqlString(q.nationality)},${sqlString(q.tenantType)},${status},` +
          `${sqlDateTime(q.at, sec(q.id))},${sqlDateTime(updated, sec(q.id))})`,
      );
    }
  }

  private *payments(at: number, see: (t: number) => number): Iterable<string> {
    const cache = this.cache("rent_payments");
    for (const b of this.world.bills) {
      if (b.createdAt >= at) break;
      const paid = b.paidAt !== null && b.paidAt < at;
      const updated = see(paid ? b.paidAt! : b.createdAt);
      yield cache.get(
        b.id,
        updated,
        () =>
          `(${b.id},${b.moving.id},${b.moving.tenant.id},${sqlDate(b.billingMonth)},${b.amountDue},` +
          `${paid ? b.amountDue : 0},${sqlDate(paid ? Math.floor(b.paidAt! / DAY) : null)},${sqlString(b.method)},` +
          `${sqlDateTime(b.createdAt, sec(b.id))},${sqlDateTime(updated, sec(b.id))})`,
      );
    }
  }
}

function renderMoving(id: number, mv: Moving, at: number, updated: number): string {
  const contracted = mv.contractAt < at;
  const noticed = mv.noticeAt !== null && mv.noticeAt < at;
  const processed = mv.processedAt !== null && mv.processedAt < at;
  const cancelled = mv.cancelledAt !== null && mv.cancelledAt < at;
  const contractDate = !contracted ? "NULL" : mv.zeroContractDate ? "'0000-00-00'" : sqlDate(mv.contractDay);
  return [
    `(${id}`,
    mv.tenant.id,
    mv.room.building.id,
    mv.room.id,
    mv.agreementType,
    mv.contractType,
    sqlDate(Math.floor(mv.applicationAt / DAY)),
    contractDate,
    sqlDate(mv.moveIn),
    sqlDate(noticed ? Math.floor(mv.noticeAt! / DAY) : null),
    sqlDate(noticed ? mv.moveoutDate : null),
    sqlDate(processed ? mv.leaveDay : null),
    sqlInt(noticed ? mv.reason : null),
    mv.rent,
    cancelled ? 1 : 0,
    sqlDateTime(cancelled ? mv.cancelledAt : null),
    // Both copies of a duplicated moving share their timestamps to the second, so the PMS's
    // tie-break (latest updated_at, then highest id) keeps the live row, as in the real defect.
    sqlDateTime(mv.applicationAt, sec(mv.id)),
    `${sqlDateTime(updated, sec(mv.id))})`,
  ].join(",");
}

function visibleCount<T>(items: T[], at: number, createdAt: (item: T) => number): number {
  let n = 0;
  for (const item of items) if (createdAt(item) < at) n++;
  return n;
}

function visibleMovingRows(world: DemoWorld, at: number): number {
  let n = 0;
  for (const row of world.movingRows) if ((isCopy(row) ? row.copyOf : row).applicationAt < at) n++;
  return n;
}
