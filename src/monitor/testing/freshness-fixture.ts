/**
 * Test support: a small published warehouse holding the monitored tables with chosen latest
 * dates (no pipeline needed), and a dump store with a manifest for upstream staleness.
 */
import { addDays } from "../../store/dates.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";

export interface WarehouseFixture {
  /** Latest date of every monitored table unless overridden. */
  latest: string;
  /** Per-table latest date (`gold.kpi_month_end_metrics` -> date). */
  overrides?: Record<string, string>;
  /** Tables left out (`silver.tenant_room_snapshot_daily`). */
  omit?: string[];
}

const TABLES: Record<string, string> = {
  "staging.tenant_daily_snapshots": "snapshot_date DATE, tenant_id INTEGER",
  "tokyobeta_meta.snapshot_ledger": "snapshot_date DATE, status VARCHAR",
  "silver.tenant_room_snapshot_daily": "snapshot_date DATE, room_id INTEGER",
  "gold.occupancy_daily_metrics": "snapshot_date DATE, is_projection BOOLEAN, as_of_date DATE",
  "gold.kpi_month_end_metrics": "as_of_date DATE, month_end DATE",
};

export async function buildFreshnessWarehouse(dir: string, fixture: WarehouseFixture): Promise<void> {
  const warehouse = await openWarehouse(dir);
  const writer = await warehouse.beginState({ label: "freshness fixture" });
  await writer.exec(
    "CREATE SCHEMA staging; CREATE SCHEMA silver; CREATE SCHEMA gold; CREATE SCHEMA tokyobeta_meta;",
  );
  for (const [name, columns] of Object.entries(TABLES)) {
    if (fixture.omit?.includes(name)) continue;
    await writer.exec(`CREATE TABLE ${name} (${columns})`);
    const latest = fixture.overrides?.[name] ?? fixture.latest;
    const days = [addDays(latest, -2), addDays(latest, -1), latest];
    for (const d of days) {
      const sql: Record<string, string> = {
        "staging.tenant_daily_snapshots": `INSERT INTO ${name} VALUES ('${d}', 1)`,
        "tokyobeta_meta.snapshot_ledger": `INSERT INTO ${name} VALUES ('${d}', 'loaded')`,
        "silver.tenant_room_snapshot_daily": `INSERT INTO ${name} VALUES ('${d}', 1)`,
        "gold.occupancy_daily_metrics": `INSERT INTO ${name} VALUES ('${d}', false, '${latest}')`,
        "gold.kpi_month_end_metrics": `INSERT INTO ${name} VALUES ('${d}', '${d}')`,
      };
      await writer.exec(sql[name]!);
    }
    if (name === "gold.occupancy_daily_metrics") {
      // Projections run ahead of the facts and must not count as fresh data.
      await writer.exec(
        `INSERT INTO ${name} SELECT CAST(? AS DATE) + CAST(i AS INTEGER), true, CAST(? AS DATE) FROM range(1, 91) t(i)`,
        [latest, latest],
      );
    }
    if (name === "tokyobeta_meta.snapshot_ledger") {
      await writer.exec(`INSERT INTO ${name} VALUES ('${addDays(latest, 5)}', 'gap')`);
    }
  }
  await writer.publish();
  await warehouse.close();
}

/** A manifest's max_updated_at_by_table where every upstream table was updated at `stamp`. */
export function upstreamStamps(stamp: string, overrides: Record<string, string | null> = {}) {
  return {
    movings: stamp,
    tenants: stamp,
    rooms: stamp,
    apartments: stamp,
    inquiries: "2020-01-01T00:00:00+09:00",
    ...overrides,
  };
}
