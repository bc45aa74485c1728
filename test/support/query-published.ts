/** Rows of one query on a warehouse's published state, opened and closed around it. */
import { openWarehouse } from "../../src/warehouse/open-warehouse.js";

export async function queryPublished(warehouse: string, sql: string) {
  const wh = await openWarehouse(warehouse);
  const reader = await wh.openPublished();
  try {
    return (await reader.query(sql)).rows;
  } finally {
    await reader.close();
    await wh.close();
  }
}
