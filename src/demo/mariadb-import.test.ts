/**
 * The proof that demo dumps are real mysqldump output: a real MariaDB server imports one,
 * and what it holds matches what the simulator knows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mariadbAvailable,
  requireServer,
  startMariaDb,
  type MariaDbServer,
} from "../../test/support/mariadb.js";
import { parseBusinessDate } from "../calendar/business-date.js";
import { generateDemoWorld, type GenerateResult } from "./generate.js";
import { MINUTES_PER_DAY, isCopy, tenantStateAt } from "./world-model.js";

const available = requireServer("MariaDB", mariadbAvailable());

describe.skipIf(!available)("a demo dump imported into a real MariaDB server", () => {
  let db: MariaDbServer;
  let out: string;
  let result: GenerateResult;
  const day = parseBusinessDate("2026-01-31");
  const at = day * MINUTES_PER_DAY + 330;

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), "tb-demo-maria-"));
    [db, result] = await Promise.all([
      startMariaDb(),
      generateDemoWorld({
        out,
        from: day,
        to: day,
        scale: 0.02,
        seed: 3,
        gzip: false,
        incidents: false,
        auxMb: 0.5,
      }),
    ]);
    await db.sql("CREATE DATABASE gghouse");
    await db.importFile(result.days[0]!.dumpFile!, "gghouse");
  });
  afterAll(async () => {
    await db?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  const scalar = async (sql: string) =>
    (await db.sql(sql, { database: "gghouse", raw: true })).replace(/\n$/, "");

  it("holds all 81 tables", async () => {
    expect(
      Number(await scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'gghouse'")),
    ).toBe(81);
  });

  it("has the simulator's row counts in every core table", async () => {
    const w = result.world;
    const expected = {
      apartments: w.buildings.filter((b) => b.createdAt < at).length,
      rooms: w.rooms.filter((r) => r.createdAt < at).length,
      tenants: w.tenants.filter((t) => t.createdAt < at).length,
      movings: w.movingRows.filter((r) => (isCopy(r) ? r.copyOf : r).applicationAt < at).length,
      inquiries: w.inquiries.filter((q) => q.at < at).length,
      rent_payments: w.bills.filter((b) => b.createdAt < at).length,
    };
    for (const [table, count] of Object.entries(expected)) {
      expect(Number(await scalar(`SELECT COUNT(*) FROM \`${table}\``)), table).toBe(count);
    }
  });

  it("has the simulator's values: statuses, rooms, rents, names with Japanese text", async () => {
    const w = result.world;
    const sample = w.tenants.filter((t) => t.createdAt < at).slice(-25);
    for (const t of sample) {
      const state = tenantStateAt(t, at)!;
      const row = await scalar(
        `SELECT CONCAT_WS('|', status, IFNULL(room_id,'-'), moving_id, last_name, IFNULL(nationality,'-')) FROM tenants WHERE id = ${t.id}`,
      );
      expect(row).toBe(
        [state.status, state.roomId ?? "-", state.moving.id, t.lastName, t.nationality ?? "-"].join("|"),
      );
    }
    const rentSum = w.movingRows
      .map((r) => (isCopy(r) ? r.copyOf : r))
      .filter((mv) => mv.applicationAt < at)
      .reduce((sum, mv) => sum + mv.rent, 0);
    expect(Number(await scalar("SELECT SUM(rent) FROM movings"))).toBe(rentSum);
    const building = w.buildings[0]!;
    expect(await scalar(`SELECT address FROM apartments WHERE id = ${building.id}`)).toBe(building.address);
  });

  it("keeps zero dates, NUL and Ctrl-Z bytes, emoji and binary blobs intact", async () => {
    expect(
      Number(await scalar("SELECT COUNT(*) FROM tenants WHERE birth_date = '0000-00-00'")),
    ).toBeGreaterThan(0);
    expect(
      Number(await scalar("SELECT COUNT(*) FROM access_logs WHERE INSTR(message, CHAR(0)) > 0")),
    ).toBeGreaterThan(0);
    expect(
      Number(await scalar("SELECT COUNT(*) FROM access_logs WHERE INSTR(message, CHAR(26)) > 0")),
    ).toBeGreaterThan(0);
    expect(
      Number(await scalar("SELECT COUNT(*) FROM access_logs WHERE message LIKE '%🔑%'")),
    ).toBeGreaterThan(0);
    expect(Number(await scalar("SELECT MIN(LENGTH(content) % 1024) FROM documents"))).toBe(0);
    expect(
      Number(await scalar("SELECT COUNT(*) FROM documents WHERE INSTR(content, UNHEX('FF')) > 0")),
    ).toBeGreaterThan(0);
  });
});
