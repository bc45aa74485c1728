/**
 * The demo operator, simulated day by day. Every plan is made ahead of time (move-ins 30
 * days, move-outs one to two months, closures five months), so each entity's timeline is
 * known before a dump can show any of it; a dump is the timelines read at 05:30 of its date.
 *
 * Occupancy follows a seasonal target through a leasing controller: each day it plans the
 * move-ins of the day 30 days ahead to close part of the gap between the target and the
 * projected occupancy, given the move-outs already planned. That is what keeps the world's
 * rates on the reference figures at any scale while counts stay random.
 */
import { dayParts, monthEnd, monthStart, parseBusinessDate } from "../calendar/business-date.js";
import * as cal from "./calibration.js";
import {
  COMPANIES,
  SCHOOLS,
  fakeEmail,
  fakePhone,
  isJapaneseNationality,
  pickName,
  pickNationality,
} from "./people.js";
import { BUILDING_NAME_STEMS, BUILDING_NAME_STEMS_EN, DEMO_MUNICIPALITIES } from "./places.js";
import { Random } from "./random.js";
import {
  MINUTES_PER_DAY as DAY,
  NEVER,
  type Bill,
  type Building,
  type Inquiry,
  type Moving,
  type MovingRow,
  type Room,
  type Tenant,
} from "./world-model.js";

export interface WorldOptions {
  seed: number;
  scale: number;
  /** First simulated day (a month start); defaults to calibration.DEFAULT_EPOCH. */
  epoch?: number;
}

type Creation =
  | { at: number; kind: "tenant"; tenant: Tenant }
  | { at: number; kind: "moving"; moving: Moving; duplicate: boolean }
  | { at: number; kind: "bill"; bill: Bill }
  | { at: number; kind: "inquiry"; inquiry: Inquiry };

const OLDEST_BUILDING = parseBusinessDate("2012-04-01");

export class DemoWorld {
  readonly buildings: Building[] = [];
  readonly rooms: Room[] = [];
  readonly tenants: Tenant[] = [];
  readonly movingRows: MovingRow[] = [];
  readonly bills: Bill[] = [];
  readonly inquiries: Inquiry[] = [];
  readonly epoch: number;
  readonly scale: number;

  /** Next day to plan: everything created before this day is materialized. */
  private planned: number;
  private readonly rng: Random;
  private readonly occupancyDelta = new Map<number, number>();
  private occupiedAtEndOf: number;
  private occupied = 0;
  private readonly residents = new Set<Moving>();
  private readonly pending = new Map<number, Creation[]>();
  private nextTenantId = 1;
  private nextMovingId = 1;
  private nextBillId = 1;
  private nextInquiryId = 1;
  private rentFactor = 1;

  constructor(options: WorldOptions) {
    this.scale = options.scale;
    this.epoch = monthStart(options.epoch ?? cal.DEFAULT_EPOCH);
    this.rng = new Random(options.seed);
    this.occupiedAtEndOf = this.epoch - 1;
    this.createPortfolio(this.rng.fork("portfolio"));
    this.populate(this.rng.fork("population"));
    this.planned = this.epoch;
  }

  /** Plans every day before `day`, so a dump of `day` can be rendered. */
  advanceTo(day: number): void {
    while (this.planned < day) {
      this.planDay(this.planned);
      this.planned++;
    }
  }

  /** Rooms counted in the inventory on `day` (active rooms of open buildings). */
  inventory(day: number): number {
    let n = 0;
    for (const b of this.buildings) {
      if (b.openedOn > day || (b.closedOn !== null && b.closedOn <= day)) continue;
      for (const r of b.rooms) if (r.inactiveFrom === null || r.inactiveFrom > day) n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- portfolio

  private createPortfolio(rng: Random): void {
    const target = cal.TARGET_INVENTORY_AT_SCALE_1 * this.scale;
    while (this.inventory(cal.CALIBRATION_DAY) < target) this.createBuilding(rng);
    this.calibrateRents();
  }

  private createBuilding(rng: Random): void {
    const id = this.buildings.length + 1;
    const muni = rng.weighted(
      DEMO_MUNICIPALITIES,
      DEMO_MUNICIPALITIES.map((m) => m.weight),
    );
    const openedOn = rng.chance(0.88)
      ? rng.int(OLDEST_BUILDING, this.epoch - 30)
      : rng.int(this.epoch, this.epoch + 1400);
    let closedOn: number | null = null;
    if (rng.chance(0.04)) closedOn = Math.max(openedOn + 400, rng.int(this.epoch + 200, this.epoch + 1500));
    else if (rng.chance(0.02) && openedOn + 400 < this.epoch)
      closedOn = rng.int(openedOn + 400, this.epoch - 1);
    const stem = rng.int(0, BUILDING_NAME_STEMS.length - 1);
    const town = rng.pick(muni.towns);
    const createdAt = (openedOn - 60) * DAY + rng.int(540, 1080);
    const building: Building = {
      id,
      assetId: `HJ${String(100000 + id * 7).padStart(6, "0")}`,
      name: `${BUILDING_NAME_STEMS[stem]}${town}${id}`,
      nameEn: rng.chance(0.35) ? `${BUILDING_NAME_STEMS_EN[stem]} ${id}` : null,
      zip: zipCode(rng, muni.zip3),
      prefecture: muni.prefecture,
      address: address(rng, muni.prefecture, muni.name, town),
      lat: rng.chance(0.9) ? (muni.lat + rng.normal(0, 0.008)).toFixed(7) : null,
      lng: null,
      openedOn,
      closedOn,
      closureDecidedAt: closedOn === null ? null : (closedOn - 150) * DAY + rng.int(540, 1080),
      createdAt,
      municipality: muni,
      rooms: [],
    };
    if (building.lat !== null) building.lng = (muni.lng + rng.normal(0, 0.01)).toFixed(7);
    this.buildings.push(building);
    const roomCount = rng.int(8, 38);
    for (let i = 0; i < roomCount; i++) {
      const type = rng.weighted(
        cal.ROOM_TYPES,
        cal.ROOM_TYPES.map((t) => t.share),
      );
      const room: Room = {
        id: this.rooms.length + 1,
        building,
        number: `${1 + Math.floor(i / 8)}0${1 + (i % 8)}`,
        type: type.code,
        rent: type.rent * muni.rentFactor * (0.9 + 0.2 * rng.next()),
        fee: type.fee,
        inactiveFrom: rng.chance(0.012) ? openedOn : null,
        inactiveDecidedAt: null,
        createdAt,
        freeFrom: openedOn,
      };
      if (room.inactiveFrom !== null) {
        room.inactiveDecidedAt = createdAt;
        room.freeFrom = NEVER;
      }
      building.rooms.push(room);
      this.rooms.push(room);
    }
  }

  /** Scales list rents so that the average contract lands on the reference RENT. */
  private calibrateRents(): void {
    let sum = 0;
    for (const r of this.rooms) sum += r.rent;
    const mean = sum / this.rooms.length;
    this.rentFactor = cal.TARGET_AVERAGE_CONTRACT_RENT / (mean * (1 - cal.AVERAGE_DISCOUNT));
    for (const r of this.rooms) r.rent = Math.round((r.rent * this.rentFactor) / 500) * 500;
  }

  // ---------------------------------------------------------------- population

  private populate(rng: Random): void {
    const e = this.epoch;
    const rate = cal.occupancyTarget(e - 1);
    for (const room of this.rooms) {
      if (!this.rentable(room, e)) continue;
      if (!rng.chance(rate)) continue;
      const longest = e - 1 - room.building.openedOn;
      const tenure = Math.min(longest, Math.floor(-Math.log(1 - rng.next()) * 650));
      this.createMovein(rng, room, e - 1 - tenure, { lead: rng.int(5, 29) });
    }
    // Everyone created so far moved in before the epoch: that is the starting occupancy.
    for (const [day, delta] of this.occupancyDelta) if (day < e) this.occupied += delta;
    this.occupiedAtEndOf = e - 1;
    this.selectMoveouts(rng, e, e - 62);
    this.selectMoveouts(rng, monthStart(e, 1), e - 31);
    for (let h = e; h < e + cal.LEASING_HORIZON_DAYS; h++) this.planMoveins(rng, h);
    this.createMonthlyBills(rng, e, e - 7);
    const before = [...this.pending.keys()].filter((d) => d < e).sort((a, b) => a - b);
    for (const d of before) this.materialize(d);
  }

  // ---------------------------------------------------------------- daily planning

  private planDay(t: number): void {
    const rng = this.rng.fork(t);
    this.occupied += this.occupancyDelta.get(t) ?? 0;
    this.occupiedAtEndOf = t;
    const { dayOfMonth } = dayParts(t);
    if (dayOfMonth === 1) {
      this.selectMoveouts(rng, monthStart(t, 2), t);
      this.withdrawRooms(rng, t);
    }
    for (const b of this.buildings) {
      if (b.closureDecidedAt !== null && Math.floor(b.closureDecidedAt / DAY) === t)
        this.closeBuilding(rng, b, t);
    }
    this.planMoveins(rng, t + cal.LEASING_HORIZON_DAYS);
    this.createInquiries(rng, t);
    if (dayOfMonth === 25) this.createMonthlyBills(rng, monthStart(t, 1), t);
    this.materialize(t);
  }

  /** End-of-day occupancy of `day` as planned so far. */
  private projectedOccupancy(day: number): number {
    let occ = this.occupied;
    if (day >= this.occupiedAtEndOf) {
      for (let d = this.occupiedAtEndOf + 1; d <= day; d++) occ += this.occupancyDelta.get(d) ?? 0;
    } else {
      for (let d = day + 1; d <= this.occupiedAtEndOf; d++) occ -= this.occupancyDelta.get(d) ?? 0;
    }
    return occ;
  }

  private addDelta(day: number, delta: number): void {
    this.occupancyDelta.set(day, (this.occupancyDelta.get(day) ?? 0) + delta);
  }

  private rentable(room: Room, day: number): boolean {
    const b = room.building;
    if (b.openedOn > day) return false;
    if (b.closedOn !== null && b.closedOn <= day + 120) return false;
    return room.inactiveFrom === null || room.inactiveFrom > day;
  }

  private bookableRooms(day: number): Room[] {
    return this.rooms.filter((r) => r.freeFrom <= day && this.rentable(r, day));
  }

  private planMoveins(rng: Random, h: number): void {
    const gap = cal.occupancyTarget(h) * this.inventory(h) - this.projectedOccupancy(h);
    const gain =
      dayParts(h).dayOfMonth === 1
        ? cal.CONTROLLER_GAIN_FIRST_OF_MONTH
        : h === monthEnd(h)
          ? cal.CONTROLLER_GAIN_MONTH_END
          : cal.CONTROLLER_GAIN;
    let wanted = Math.max(0, rng.roundStochastic(gap * gain));
    const rooms = wanted > 0 ? this.bookableRooms(h) : [];
    wanted = Math.min(wanted, rooms.length);
    for (let i = 0; i < wanted; i++) {
      const j = rng.int(i, rooms.length - 1);
      [rooms[i], rooms[j]] = [rooms[j]!, rooms[i]!];
      this.createMovein(rng, rooms[i]!, h, { lead: applicationLead(rng) });
    }
    const cancelled = rng.roundStochastic((wanted * cal.CANCELLATION_SHARE) / (1 - cal.CANCELLATION_SHARE));
    for (let i = 0; i < cancelled && rooms.length > 0; i++) {
      this.createCancelledApplication(rng, rng.pick(rooms), h);
    }
  }

  private createMovein(
    rng: Random,
    room: Room,
    moveIn: number,
    options: { lead: number; tenant?: Tenant; transferFrom?: Moving; applicationAt?: number },
  ): Moving {
    const applicationAt = options.applicationAt ?? (moveIn - options.lead) * DAY + rng.int(540, 1140);
    const applicationDay = Math.floor(applicationAt / DAY);
    const tenant = options.tenant ?? this.createTenant(rng, applicationAt);
    const contractDay = Math.min(moveIn, applicationDay + rng.int(1, 6));
    const agreementType = rng.weighted([1, 2, 3, 4, 5], [55, 12, 18, 7, 8]);
    const moving: Moving = {
      id: 0,
      tenant,
      room,
      agreementType,
      contractType: legacyContractType(rng, agreementType, room.type, applicationDay),
      applicationAt,
      contractDay,
      contractAt: Math.max(applicationAt + 30, contractDay * DAY + rng.int(600, 1080)),
      zeroContractDate: rng.chance(0.005),
      moveIn,
      moveInAt: options.transferFrom
        ? moveIn * DAY + 600
        : rng.chance(0.7)
          ? (moveIn - 1) * DAY + 1080
          : moveIn * DAY + 660,
      cancelledAt: null,
      noticeAt: null,
      moveoutDate: null,
      leaveDay: null,
      processedAt: null,
      reason: null,
      rent: Math.round((room.rent * (1 - rng.pick([0, 0, 0, 0.02, 0.05, 0.08, 0.1, 0.04]))) / 100) * 100,
      transferFrom: options.transferFrom ?? null,
      transferTo: null,
      arrears: [],
    };
    tenant.movings.push(moving);
    this.schedule(applicationAt, {
      at: applicationAt,
      kind: "moving",
      moving,
      duplicate: rng.chance(cal.DUPLICATE_MOVING_SHARE),
    });
    room.freeFrom = NEVER;
    this.residents.add(moving);
    this.addDelta(moveIn, 1);
    if (dayParts(moveIn).dayOfMonth !== 1 && moveIn >= this.epoch) this.createProratedBill(rng, moving);
    return moving;
  }

  private createCancelledApplication(rng: Random, room: Room, moveIn: number): void {
    const lead = applicationLead(rng);
    const applicationAt = (moveIn - lead) * DAY + rng.int(540, 1140);
    const tenant = this.createTenant(rng, applicationAt);
    const cancelDay = Math.floor(applicationAt / DAY) + rng.int(1, Math.max(1, lead - 1));
    const agreementType = rng.weighted([1, 2, 3, 4, 5], [55, 12, 18, 7, 8]);
    const moving: Moving = {
      id: 0,
      tenant,
      room,
      agreementType,
      contractType: legacyContractType(rng, agreementType, room.type, Math.floor(applicationAt / DAY)),
      applicationAt,
      contractDay: null,
      contractAt: NEVER * DAY,
      zeroContractDate: false,
      moveIn,
      moveInAt: NEVER * DAY,
      cancelledAt: Math.max(applicationAt + 60, cancelDay * DAY + rng.int(540, 1140)),
      noticeAt: null,
      moveoutDate: null,
      leaveDay: null,
      processedAt: null,
      reason: null,
      rent: Math.round(room.rent / 100) * 100,
      transferFrom: null,
      transferTo: null,
      arrears: [],
    };
    tenant.movings.push(moving);
    this.schedule(applicationAt, { at: applicationAt, kind: "moving", moving, duplicate: false });
  }

  private createTenant(rng: Random, createdAt: number): Tenant {
    const nationality = pickNationality(rng);
    const japanese = isJapaneseNationality(nationality);
    const name = pickName(rng, japanese || rng.chance(0.1));
    const createdDay = Math.floor(createdAt / DAY);
    const age = Math.min(64, 18 + Math.floor(-Math.log(1 - rng.next()) * 9) + rng.int(0, 6));
    const identity = rng.weighted([1, 2, 3, 4, 5, 6, 7, 8, null], [40, 12, 18, 5, 8, 4, 2, 6, 5]);
    const student = identity === 2 || identity === 3;
    const tenant: Tenant = {
      id: 0,
      code: "",
      lastName: name.last,
      firstName: name.first,
      email: "",
      phone: fakePhone(rng),
      birthDate: rng.chance(0.015)
        ? "zero"
        : rng.chance(0.02)
          ? null
          : createdDay - age * 365 - rng.int(0, 364),
      gender: rng.weighted([1, 2, 0, null], [51, 46, 1.5, 1.5]),
      nationality,
      identity,
      affiliationType: student
        ? rng.pick([14, 15, 16])
        : rng.chance(0.9)
          ? rng.int(1, 13)
          : rng.pick([17, 18, null]),
      affiliationName: rng.chance(0.85) ? rng.pick(student ? SCHOOLS : COMPANIES) : null,
      createdAt,
      paymentMethod: rng.weighted(
        cal.PAYMENT_METHODS.map((m) => m.method),
        cal.PAYMENT_METHODS.map((m) => m.share),
      ),
      movings: [],
    };
    this.schedule(createdAt, { at: createdAt, kind: "tenant", tenant });
    return tenant;
  }

  /** At `t` (the 1st of a month), choose who moves out in `month` and plan their notices. */
  private selectMoveouts(rng: Random, month: number, t: number): void {
    const planned = Math.max(
      0,
      rng.roundStochastic(this.projectedOccupancy(month - 1) * cal.moveoutRate(month)),
    );
    const candidates = [...this.residents].filter(
      (mv) => mv.moveIn <= month - 45 && mv.cancelledAt === null && mv.leaveDay === null,
    );
    const count = Math.min(planned, candidates.length);
    const last = monthEnd(month);
    const monthNo = dayParts(month).month;
    for (let i = 0; i < count; i++) {
      const j = rng.int(i, candidates.length - 1);
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
      const scheduled = rng.chance(cal.monthEndMoveoutShare(monthNo)) ? last : rng.int(month, last - 1);
      this.planMoveout(
        rng,
        candidates[i]!,
        scheduled,
        t,
        reasonFor(rng, monthNo),
        rng.chance(cal.TRANSFER_SHARE),
      );
    }
  }

  private planMoveout(
    rng: Random,
    mv: Moving,
    scheduled: number,
    t: number,
    reason: number,
    transfer: boolean,
  ): void {
    const noticeDay = Math.max(t + 1 + rng.int(0, 3), scheduled - rng.int(14, 75), mv.moveIn + 1);
    const leave = rng.chance(0.92) ? scheduled : Math.max(noticeDay + 1, scheduled - rng.int(1, 6));
    mv.noticeAt = noticeDay * DAY + rng.int(540, 1140);
    mv.moveoutDate = scheduled;
    mv.leaveDay = leave;
    mv.processedAt = (leave + (rng.chance(0.85) ? 0 : rng.int(1, 3))) * DAY + rng.int(900, 1140);
    mv.reason = transfer ? 8 : reason;
    mv.room.freeFrom = scheduled;
    this.residents.delete(mv);
    this.addDelta(leave, -1);
    for (const arrears of mv.arrears) arrears[1] = Math.min(arrears[1], leave * DAY + 600);
    if (!transfer) return;
    const rooms = this.bookableRooms(leave).filter((r) => r !== mv.room);
    if (rooms.length === 0) return;
    const next = this.createMovein(rng, rng.pick(rooms), leave, {
      lead: 0,
      tenant: mv.tenant,
      transferFrom: mv,
      applicationAt: mv.noticeAt + 60,
    });
    mv.transferTo = next;
  }

  private closeBuilding(rng: Random, building: Building, t: number): void {
    const closedOn = building.closedOn!;
    for (const room of building.rooms) room.freeFrom = NEVER;
    for (const mv of [...this.residents]) {
      if (mv.room.building !== building || mv.cancelledAt !== null || mv.leaveDay !== null) continue;
      const earliest = Math.max(t + 31, mv.moveIn + 14, closedOn - 75);
      const scheduled = rng.int(Math.min(earliest, closedOn - 1), closedOn - 1);
      this.planMoveout(rng, mv, scheduled, t, 3, rng.chance(0.3));
    }
  }

  /** A few vacant rooms are withdrawn from inventory each month (renovation, storage). */
  private withdrawRooms(rng: Random, t: number): void {
    const count = rng.roundStochastic(this.rooms.length * 0.0005);
    for (let i = 0; i < count; i++) {
      const room = rng.pick(this.rooms);
      if (room.freeFrom > t + 31 || !this.rentable(room, t + 31)) continue;
      room.inactiveFrom = Math.max(room.freeFrom, t + 31);
      room.inactiveDecidedAt = t * DAY + rng.int(540, 1080);
      room.freeFrom = NEVER;
    }
  }

  // ---------------------------------------------------------------- leads and money

  private createInquiries(rng: Random, t: number): void {
    const expected =
      cal.INQUIRIES_PER_MOVEIN * (this.inventory(t) * 0.0012) * seasonalDemand(dayParts(t).month);
    const count = rng.roundStochastic(expected);
    for (let i = 0; i < count; i++) {
      const at = t * DAY + rng.int(420, 1380);
      const changes: [number, number][] = [];
      let when = at;
      if (rng.chance(0.55)) {
        when += rng.int(1, 4) * DAY;
        changes.push([when, 2]);
        when += rng.int(2, 10) * DAY;
        changes.push([when, rng.chance(0.45) ? 3 : 4]);
      } else if (rng.chance(0.8)) {
        changes.push([when + rng.int(3, 20) * DAY, 4]);
      }
      const inquiry: Inquiry = {
        id: 0,
        at,
        channel: rng.weighted(["web", "phone", "walk_in", "agent", "line"], [50, 15, 5, 20, 10]),
        apartmentId: rng.chance(0.7) ? rng.int(1, this.buildings.length) : null,
        nationality: pickNationality(rng),
        tenantType: rng.weighted(["individual", "corporate", null], [78, 17, 5]),
        changes,
      };
      this.schedule(at, { at, kind: "inquiry", inquiry });
    }
  }

  /** On the 25th, bills for next month go to everyone still in residence on its 1st. */
  private createMonthlyBills(rng: Random, month: number, t: number): void {
    const createdAt = t * DAY + 540;
    for (const mv of this.liveContractsOn(month)) {
      this.schedule(createdAt, {
        at: createdAt,
        kind: "bill",
        bill: this.bill(rng, mv, month, mv.rent, createdAt),
      });
    }
  }

  private *liveContractsOn(day: number): Iterable<Moving> {
    for (const t of this.tenants) yield* liveMovings(t, day);
    for (const creations of this.pending.values()) {
      for (const c of creations) if (c.kind === "tenant") yield* liveMovings(c.tenant, day);
    }
  }

  private createProratedBill(rng: Random, mv: Moving): void {
    const month = monthStart(mv.moveIn);
    const days = monthEnd(month) - month + 1;
    const amount = Math.round((mv.rent * (monthEnd(month) - mv.moveIn + 1)) / days);
    const createdAt = (mv.moveIn - 3) * DAY + 540;
    this.schedule(createdAt, {
      at: createdAt,
      kind: "bill",
      bill: this.bill(rng, mv, month, amount, createdAt),
    });
  }

  private bill(rng: Random, mv: Moving, month: number, amount: number, createdAt: number): Bill {
    const method = mv.tenant.paymentMethod;
    const created = Math.floor(createdAt / DAY);
    const last = monthEnd(month);
    let paidDay: number | null;
    const roll = rng.next();
    if (roll < cal.UNPAID_SHARE) paidDay = null;
    else if (roll < cal.UNPAID_SHARE + cal.LATE_PAYMENT_SHARE) paidDay = last + rng.int(1, 40);
    else if (method === "card") paidDay = Math.max(created + 1, month - 4);
    else if (method === "cash") paidDay = Math.min(last, Math.max(created + 1, month + rng.int(0, 9)));
    else
      paidDay = Math.min(
        last,
        rng.chance(0.8) ? rng.int(created + 1, Math.max(created + 1, month - 1)) : month + rng.int(0, 20),
      );
    const paidAt = paidDay === null ? null : paidDay * DAY + rng.int(540, 1260);
    const overdueFrom = (month + 10) * DAY;
    if (paidAt === null || paidAt > overdueFrom) {
      mv.arrears.push([overdueFrom, paidAt ?? NEVER * DAY]);
      if (mv.leaveDay !== null)
        mv.arrears[mv.arrears.length - 1]![1] = Math.min(paidAt ?? NEVER * DAY, mv.leaveDay * DAY + 600);
    }
    return { id: 0, moving: mv, billingMonth: month, amountDue: amount, createdAt, paidAt, method };
  }

  // ---------------------------------------------------------------- ids in creation order

  private schedule(at: number, creation: Creation): void {
    const day = Math.floor(at / DAY);
    const list = this.pending.get(day);
    if (list) list.push(creation);
    else this.pending.set(day, [creation]);
  }

  /** Gives the day's new records their ids in the order the PMS would have inserted them. */
  private materialize(day: number): void {
    const list = this.pending.get(day);
    if (!list) return;
    this.pending.delete(day);
    list.sort((a, b) => a.at - b.at || kindOrder(a) - kindOrder(b));
    for (const c of list) {
      if (c.kind === "tenant") {
        c.tenant.id = this.nextTenantId++;
        c.tenant.code = `T${String(c.tenant.id).padStart(7, "0")}`;
        c.tenant.email = fakeEmail(c.tenant.id);
        this.tenants.push(c.tenant);
      } else if (c.kind === "moving") {
        if (c.duplicate) this.movingRows.push({ id: this.nextMovingId++, copyOf: c.moving });
        c.moving.id = this.nextMovingId++;
        this.movingRows.push(c.moving);
      } else if (c.kind === "bill") {
        c.bill.id = this.nextBillId++;
        this.bills.push(c.bill);
      } else {
        c.inquiry.id = this.nextInquiryId++;
        this.inquiries.push(c.inquiry);
      }
    }
  }
}

function kindOrder(c: Creation): number {
  return c.kind === "tenant" ? 0 : c.kind === "moving" ? 1 : 2;
}

function* liveMovings(tenant: Tenant, day: number): Iterable<Moving> {
  for (const mv of tenant.movings) {
    if (mv.cancelledAt !== null || mv.moveIn > day) continue;
    if (mv.leaveDay !== null && mv.leaveDay <= day) continue;
    yield mv;
  }
}

function applicationLead(rng: Random): number {
  return rng.chance(0.1) ? rng.int(1, 2) : rng.int(3, cal.LEASING_HORIZON_DAYS - 1);
}

function legacyContractType(
  rng: Random,
  agreementType: number,
  roomType: number,
  applicationDay: number,
): number {
  const merged = applicationDay >= cal.LEGACY_CONTRACT_MERGE_DAY;
  if (!merged && roomType === 2 && rng.chance(0.5)) return 9;
  switch (agreementType) {
    case 2:
      return 2;
    case 3:
      return merged ? 1 : rng.chance(0.4) ? 6 : 3;
    case 4:
      return 7;
    case 5:
      return rng.chance(0.7) ? 4 : 8;
    default:
      return rng.chance(0.9) ? 1 : rng.pick([5, 10]);
  }
}

function reasonFor(rng: Random, month: number): number {
  const weights = [14, 16, 24, 6, 6, 10, 8, 16];
  if (month === 3) {
    weights[0] = 24;
    weights[4] = 22;
  }
  if (month === 9) weights[0] = 20;
  return rng.weighted([1, 2, 3, 4, 5, 6, 7, 8], weights);
}

function seasonalDemand(month: number): number {
  return [1.0, 1.25, 1.5, 1.2, 0.9, 0.85, 0.9, 0.95, 1.05, 0.95, 0.85, 0.8][month - 1]!;
}

function zipCode(rng: Random, zip3: string): string {
  const rest = String(rng.int(0, 9999)).padStart(4, "0");
  return rng.chance(0.75) ? `${zip3}-${rest}` : `${zip3}${rest}`;
}

const FULL_WIDTH_DIGITS = "０１２３４５６７８９";
const DASHES = ["-", "－", "ー", "‐", "−"];

/** Addresses as staff type them: digit width, dash characters and prefixes vary. */
function address(rng: Random, prefecture: string, municipality: string, town: string): string {
  const fullWidth = rng.chance(0.4);
  const digits = (n: number) =>
    fullWidth ? String(n).replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)]!) : String(n);
  const dash = fullWidth ? rng.pick(DASHES.slice(1)) : rng.chance(0.85) ? "-" : rng.pick(DASHES);
  const block = rng.chance(0.3)
    ? `${digits(rng.int(1, 5))}丁目${digits(rng.int(1, 30))}${dash}${digits(rng.int(1, 20))}`
    : `${digits(rng.int(1, 5))}${dash}${digits(rng.int(1, 30))}${dash}${digits(rng.int(1, 20))}`;
  const withPrefecture = rng.chance(0.9) ? prefecture : "";
  return `${withPrefecture}${municipality}${town}${block}`;
}
