/**
 * Loads a demo dump through the whole ingestion path and compares every core table, row by
 * row, with what the simulator knows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestWorld } from "../../test/support/demo-world.js";
import { parseBusinessDate } from "../calendar/business-date.js";
import type { GenerateResult } from "../demo/generate.js";
import { MINUTES_PER_DAY, isCopy, tenantStateAt } from "../demo/world-model.js";
import { openWarehouse } from "../warehouse/open-warehouse.js";
import type { StateReader, Warehouse } from "../warehouse/warehouse.js";
import { ingestDate } from "./ingest.js";

const root = mkdtempSync(path.join(tmpdir(), "tb-truth-"));
const day = parseBusinessDate("2026-01-31");
const at = day * MINUTES_PER_DAY + 330;
const iso = (d: number | null) => (d === null ? null : new Date(d * 86_400_000).toISOString().slice(0, 10));
let world: GenerateResult;
let warehouse: Warehouse;
let reader: StateReader;

beforeAll(async () => {
  const generated = await generateTestWorld(path.join(root, "world"), {
    from: "2026-01-31",
    to: "2026-01-31",
    scale: 0.02,
    seed: 5,
    auxMb: 0.1,
  });
  world = generated.generated;
  const settings = generated.settingsFor(path.join(root, "wh"));
  await ingestDate(settings, "2026-01-31");
  warehouse = await openWarehouse(settings.warehouse);
  reader = await warehouse.openPublished();
});
afterAll(async () => {
  await reader?.close();
  await warehouse?.close();
  rmSync(root, { recursive: true, force: true });
});

async function rowsById(sql: string): Promise<Map<number, Record<string, unknown>>> {
  const result = await reader.query(sql);
  return new Map(result.rows.map((r) => [Number(r.id), r]));
}

describe("a demo dump in the warehouse equals the simulator's state", () => {
  it("apartments", async () => {
    const rows = await rowsById(
      "SELECT id, asset_id_hj, apartment_name, address, latitude, opened_on, closed_on FROM staging.apartments",
    );
    const visible = world.world.buildings.filter((b) => b.createdAt < at);
    expect(rows.size).toBe(visible.length);
    for (const b of visible) {
      const closed = b.closureDecidedAt !== null && b.closureDecidedAt < at ? iso(b.closedOn) : null;
      expect(rows.get(b.id)).toEqual({
        id: b.id,
        asset_id_hj: b.assetId,
        apartment_name: b.name,
        address: b.address,
        latitude: b.lat,
        opened_on: iso(b.openedOn),
        closed_on: closed,
      });
    }
  });

  it("rooms", async () => {
    const rows = await rowsById(
      "SELECT id, apartment_id, room_type_code, rent, is_active FROM staging.rooms",
    );
    const visible = world.world.rooms.filter((r) => r.createdAt < at);
    expect(rows.size).toBe(visible.length);
    for (const r of visible) {
      const inactive =
        r.inactiveFrom !== null && Math.max(r.inactiveFrom * MINUTES_PER_DAY, r.createdAt) < at;
      expect(rows.get(r.id)).toEqual({
        id: r.id,
        apartment_id: r.building.id,
        room_type_code: r.type,
        rent: r.rent,
        is_active: inactive ? 0 : 1,
      });
    }
  });

  it("tenants (zero birth dates arrive as NULL)", async () => {
    const rows = await rowsById(
      "SELECT id, status, apartment_id, room_id, moving_id, nationality, birth_date FROM staging.tenants",
    );
    const visible = world.world.tenants.filter((t) => t.createdAt < at);
    expect(rows.size).toBe(visible.length);
    for (const t of visible) {
      const s = tenantStateAt(t, at)!;
      expect(rows.get(t.id)).toEqual({
        id: t.id,
        status: s.status,
        apartment_id: s.apartmentId,
        room_id: s.roomId,
        moving_id: s.moving.id,
        nationality: t.nationality,
        birth_date: typeof t.birthDate === "number" ? iso(t.birthDate) : null,
      });
    }
  });

  it("movings, duplicates included", async () => {
    const rows = await rowsById(
      "SELECT id, tenant_id, room_id, move_in_date, moveout_plans_date, rent, is_cancelled FROM staging.movings",
    );
    const visible = world.world.movingRows.filter((r) => (isCopy(r) ? r.copyOf : r).applicationAt < at);
    expect(rows.size).toBe(visible.length);
    for (const row of visible) {
      const mv = isCopy(row) ? row.copyOf : row;
      const asOf = isCopy(row) ? mv.applicationAt + 1 : at;
      expect(rows.get(row.id)).toEqual({
        id: row.id,
        tenant_id: mv.tenant.id,
        room_id: mv.room.id,
        move_in_date: iso(mv.moveIn),
        moveout_plans_date: mv.processedAt !== null && mv.processedAt < asOf ? iso(mv.leaveDay) : null,
        rent: mv.rent,
        is_cancelled: mv.cancelledAt !== null && mv.cancelledAt < asOf ? 1 : 0,
      });
    }
  });

  it("inquiries and rent_payments", async () => {
    const inquiries = await rowsById("SELECT id, channel, status FROM staging.inquiries");
    const visibleInquiries = world.world.inquiries.filter((q) => q.at < at);
    expect(inquiries.size).toBe(visibleInquiries.length);
    for (const q of visibleInquiries) {
      const status = q.changes.filter(([when]) => when < at).at(-1)?.[1] ?? 1;
      expect(inquiries.get(q.id)).toEqual({ id: q.id, channel: q.channel, status });
    }
    const payments = await rowsById(
      "SELECT id, moving_id, billing_month, amount_paid FROM staging.rent_payments",
    );
    const bills = world.world.bills.filter((b) => b.createdAt < at);
    expect(payments.size).toBe(bills.length);
    for (const b of bills) {
      const paid = b.paidAt !== null && b.paidAt < at ? b.amountDue : 0;
      expect(payments.get(b.id)).toEqual({
        id: b.id,
        moving_id: b.moving.id,
        billing_month: iso(b.billingMonth),
        amount_paid: paid,
      });
    }
  });
});
