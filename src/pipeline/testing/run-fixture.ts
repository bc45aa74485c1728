/**
 * A tiny consistent PMS for daily-run tests (one building, three rooms, two tenants living
 * there), day `i` differing only in rents; write it with test/support's writeFixtureDay.
 */
import type { CoreTableName } from "../../demo/core-tables.js";

type FixtureRow = Record<string, string | number | null>;
type FixtureTables = Partial<Record<CoreTableName, FixtureRow[]>>;

/** Building 1 (Takadanobaba, Shinjuku), open since 2020; `fields` override any column. */
export function fixtureApartment(fields: FixtureRow = {}): FixtureRow {
  return {
    id: 1,
    asset_id_hj: "HJ000001",
    apartment_name: "フィクスチャ高田馬場",
    apartment_name_en: null,
    zip_code: "169-0075",
    prefecture: "東京都",
    address: "東京都新宿区高田馬場１－２－３",
    latitude: "35.7120000",
    longitude: "139.7040000",
    opened_on: "2020-01-01",
    closed_on: null,
    ...fields,
  };
}

export function fixtureDay(i: number): FixtureTables {
  const rooms: FixtureRow[] = [1, 2, 3].map((id) => ({
    id,
    apartment_id: 1,
    room_number: `10${id}`,
    room_type_code: 1,
    rent: 60000,
    management_fee: 10000,
    is_active: 1,
  }));
  const tenant = (id: number): FixtureRow => ({
    id,
    tenant_code: `T${id}`,
    last_name: "Sur",
    first_name: "Given",
    email: "x@example.invalid",
    phone: "090-0000-0000",
    birth_date: "1994-05-06",
    gender_code: 1,
    nationality: "日本",
    personal_identity_code: 1,
    affiliation_type_code: 1,
    affiliation_name: "Example KK",
    status: 9,
    apartment_id: 1,
    room_id: id,
    moving_id: 10 + id,
  });
  const moving = (id: number): FixtureRow => ({
    id: 10 + id,
    tenant_id: id,
    apartment_id: 1,
    room_id: id,
    moving_agreement_type: 1,
    contract_type: 1,
    application_date: "2025-01-01",
    contract_date: null,
    move_in_date: "2025-01-10",
    moveout_notice_date: null,
    moveout_date: null,
    moveout_plans_date: null,
    moveout_reason_code: null,
    rent: 55000 + i,
    is_cancelled: 0,
    cancelled_at: null,
    updated_at: "2026-01-01 10:00:00",
  });
  return {
    apartments: [fixtureApartment({ apartment_name: "テスト" })],
    rooms,
    tenants: [tenant(1), tenant(2)],
    movings: [moving(1), moving(2)],
  };
}
