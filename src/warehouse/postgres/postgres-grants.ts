/**
 * `tokyobeta warehouse grant-readonly ROLE`: lets ROLE read the published state's `gold` and
 * `tokyobeta_meta` (run and test records), nothing else. The role is recorded in
 * `tokyobeta_engine.readonly_roles`; every publish and rollback grants it again on the schemas
 * that become published (schemas are renamed at a swap, and grants move with them, so the new
 * state's schemas need their own). Also grants what a reader needs from the bookkeeping: the
 * pointer and the kept states list (readers run in READ ONLY transactions anyway).
 */
import { WarehouseError } from "../../errors.js";
import { connectPostgres, postgresError } from "./postgres-session.js";
import {
  ENGINE_SCHEMA,
  LOCK_CLASS,
  SWAP_LOCK,
  engineSchemaExists,
  grantReadonlyRoles,
} from "./postgres-states.js";

/** Records `role` as read-only and grants it now; the role must exist. Returns the schemas granted. */
export async function grantReadonlyRole(url: string, role: string): Promise<void> {
  if (role.trim() === "") throw new WarehouseError("grant-readonly needs a role name");
  const client = await connectPostgres(url, "tokyobeta grant-readonly");
  try {
    const exists = await client.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [role]);
    if ((exists.rowCount ?? 0) === 0) {
      throw new WarehouseError(`role ${JSON.stringify(role)} does not exist (CREATE ROLE ... LOGIN first)`);
    }
    if (!(await engineSchemaExists(client))) {
      throw new WarehouseError("no tokyobeta warehouse in this database yet: load and publish a state first");
    }
    await client.query(`BEGIN; SELECT pg_catalog.pg_advisory_xact_lock(${LOCK_CLASS}, ${SWAP_LOCK})`);
    try {
      await client.query(`INSERT INTO ${ENGINE_SCHEMA}.readonly_roles VALUES ($1) ON CONFLICT DO NOTHING`, [
        role,
      ]);
      await grantReadonlyRoles(client);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  } catch (err) {
    throw postgresError(`grant-readonly ${role} failed`, err);
  } finally {
    await client.end().catch(() => undefined);
  }
}
