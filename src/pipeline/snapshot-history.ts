/**
 * The two appended histories of kpis.md, one slice per loaded dump date. They are the only
 * staging tables a new load does not replace: they cannot be re-derived once old dumps are
 * gone. Loading the same date again replaces that date's slice (idempotent), and the cost of
 * appending a slice depends on the day's rows, not on the length of history.
 */
import type { StateWriter } from "../warehouse/warehouse.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";
import { ensureArchivedHistoryViews } from "./archived-history.js";

export const TENANT_SNAPSHOTS = "tenant_daily_snapshots";
export const ROOM_SNAPSHOTS = "room_daily_snapshots";
export const SNAPSHOT_HISTORY_TABLES = [TENANT_SNAPSHOTS, ROOM_SNAPSHOTS] as const;

const tenantTable = qualifiedName("staging", TENANT_SNAPSHOTS);
const roomTable = qualifiedName("staging", ROOM_SNAPSHOTS);

/** Ids, status, dates and rent only: no personal data enters the history. */
const CREATE_TENANT_SNAPSHOTS = `CREATE TABLE IF NOT EXISTS ${tenantTable} (
  snapshot_date DATE NOT NULL,
  tenant_id BIGINT NOT NULL,
  apartment_id BIGINT NOT NULL,
  room_id BIGINT NOT NULL,
  status SMALLINT,
  moving_id BIGINT,
  move_in_date DATE,
  moveout_date DATE,
  moveout_plans_date DATE,
  rent INTEGER
)`;

const CREATE_ROOM_SNAPSHOTS = `CREATE TABLE IF NOT EXISTS ${roomTable} (
  snapshot_date DATE NOT NULL,
  room_id BIGINT NOT NULL,
  apartment_id BIGINT NOT NULL,
  room_type_code SMALLINT,
  is_active SMALLINT,
  rent INTEGER,
  opened_on DATE,
  closed_on DATE
)`;

export interface SnapshotSliceReport {
  snapshotDate: string;
  tenantRows: number;
  roomRows: number;
}

/** Replaces the `snapshotDate` slice of both histories with the tenant-room pairs and rooms of staging. */
export async function appendSnapshotSlices(
  writer: StateWriter,
  snapshotDate: string,
): Promise<SnapshotSliceReport> {
  await writer.createSchema("staging");
  await writer.exec(CREATE_TENANT_SNAPSHOTS);
  await writer.exec(CREATE_ROOM_SNAPSHOTS);
  // The models read history = table UNION ALL archived rows (empty until archived).
  await ensureArchivedHistoryViews(writer, SNAPSHOT_HISTORY_TABLES);
  await writer.exec(`DELETE FROM ${tenantTable} WHERE snapshot_date = CAST(? AS DATE)`, [snapshotDate]);
  await writer.exec(`DELETE FROM ${roomTable} WHERE snapshot_date = CAST(? AS DATE)`, [snapshotDate]);
  const tenantRows = await writer.exec(
    `INSERT INTO ${tenantTable}
     SELECT CAST(? AS DATE), t.id, t.apartment_id, t.room_id, t.status, t.moving_id,
            m.move_in_date, m.moveout_date, m.moveout_plans_date, m.rent
     FROM staging.tenants t
     LEFT JOIN staging.movings m ON m.id = t.moving_id
     WHERE t.apartment_id IS NOT NULL AND t.room_id IS NOT NULL`,
    [snapshotDate],
  );
  const roomRows = await writer.exec(
    `INSERT INTO ${roomTable}
     SELECT CAST(? AS DATE), r.id, r.apartment_id, r.room_type_code, r.is_active, r.rent, a.opened_on, a.closed_on
     FROM staging.rooms r
     JOIN staging.apartments a ON a.id = r.apartment_id`,
    [snapshotDate],
  );
  // The new date must be in the planner's picture of the history (a sample: the cost does not
  // grow with the history).
  for (const table of SNAPSHOT_HISTORY_TABLES) await writer.refreshStatistics("staging", table);
  return { snapshotDate, tenantRows, roomRows };
}
