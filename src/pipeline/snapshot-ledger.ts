/**
 * The snapshot ledger: one row per business date the pipeline has decided on, `loaded` or a
 * `gap` with its rejection reason. Backfill and ingest write it; the data-quality calendar and
 * backfill's resume read it.
 */
import { qualifiedName } from "../warehouse/quote-identifier.js";
import type { StateWriter, WarehouseSession } from "../warehouse/warehouse.js";

export const SNAPSHOT_LEDGER = qualifiedName("tokyobeta_meta", "snapshot_ledger");

export type LedgerStatus = "loaded" | "gap";

export async function ensureSnapshotLedger(writer: StateWriter): Promise<void> {
  await writer.createSchema("tokyobeta_meta");
  await writer.exec(`CREATE TABLE IF NOT EXISTS ${SNAPSHOT_LEDGER} (
    snapshot_date DATE NOT NULL, status VARCHAR NOT NULL, reason VARCHAR, detail VARCHAR, recorded_at TIMESTAMP NOT NULL)`);
}

/** Records (or replaces) the ledger row of `date`. */
export async function recordInLedger(
  writer: StateWriter,
  date: string,
  status: LedgerStatus,
  reason: string | null = null,
  detail: string | null = null,
): Promise<void> {
  await ensureSnapshotLedger(writer);
  await writer.exec(`DELETE FROM ${SNAPSHOT_LEDGER} WHERE snapshot_date = CAST(? AS DATE)`, [date]);
  await writer.exec(
    `INSERT INTO ${SNAPSHOT_LEDGER} VALUES (CAST(? AS DATE), ?, ?, ?, CAST(? AS TIMESTAMP))`,
    [date, status, reason, detail, new Date().toISOString().replace("T", " ").replace("Z", "")],
  );
}

/** Dates a state has recorded (loaded or gap); empty when it has no ledger yet. */
export async function ledgerDates(session: WarehouseSession): Promise<Set<string>> {
  const tables = await session.listTables("tokyobeta_meta");
  if (!tables.some((t) => t.name === "snapshot_ledger")) return new Set();
  const rows = await session.query(`SELECT snapshot_date FROM ${SNAPSHOT_LEDGER}`);
  return new Set(rows.rows.map((r) => String(r.snapshot_date)));
}
