/** `tokyobeta query`, `states` and `rollback`, run in process against a real DuckDB warehouse. */
import { captureIO as capture } from "../../test/support/capture-io.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runQuery, registerQueryCommand } from "../cli/commands/query.js";
import { listStates, registerStatesCommand, rollbackState } from "../cli/commands/states.js";
import { WarehouseError } from "../errors.js";
import { openWarehouse } from "./open-warehouse.js";
import { ALL_KINDS, ALL_KINDS_CASES } from "./testing/all-kinds.js";
import { loadPeople } from "./testing/warehouse-suite.js";

let root: string;
let warehouse: string;
let first: string;
let second: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "tokyobeta-wh-cli-"));
  warehouse = path.join(root, "warehouse");
  const wh = await openWarehouse(warehouse);
  const w1 = await wh.beginState({ label: "first load" });
  await loadPeople(w1, ["old"]);
  first = (await w1.publish()).id;
  const w2 = await wh.beginState({ label: "second load", run: "run-2" });
  await loadPeople(w2, ["new"]);
  await w2.createTable("staging", ALL_KINDS);
  const appender = await w2.openAppender("staging", ALL_KINDS);
  await appender.append(ALL_KINDS_CASES.slice(0, 2).map((c) => c.input));
  await appender.close();
  second = (await w2.publish()).id;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("tokyobeta query", () => {
  it("prints JSON lines with big integers and DECIMALs as strings, ISO dates and times, hex binary", async () => {
    const io = capture();
    const sql =
      "SELECT id, i64, u64, u32, dec_small, dec_wide, d, dt, tm, bin, txt FROM staging.all_kinds ORDER BY id";
    expect(await runQuery(sql, { warehouse, format: "json" }, io)).toBe(0);
    const lines = io.stdout().split("\n");
    expect(lines).toHaveLength(2);
    const row = JSON.parse(lines[1]!);
    expect(row).toEqual({
      id: 2,
      i64: "9223372036854775807",
      u64: "18446744073709551615",
      u32: 4294967295,
      dec_small: "99999999.99",
      dec_wide: "12345678901234567890123456789012345.123456789012345678901234567890",
      d: "9999-12-31",
      dt: "9999-12-31T23:59:59.999999",
      tm: "838:59:59.999999",
      bin: Buffer.from(Uint8Array.from({ length: 256 }, (_, i) => i)).toString("hex"),
      txt: "a\u0000b 😀 東京 \\ ' \" \n\t",
    });
    expect(lines[1]).toContain('"u64":"18446744073709551615"');
    expect(lines[1]).toMatch(/"bin":"000102/);
  });

  it("prints a table and CSV", async () => {
    const table = capture();
    await runQuery("SELECT id, name FROM staging.people", { warehouse }, table);
    expect(
      table
        .stdout()
        .split("\n")
        .map((l) => l.trimEnd()),
    ).toEqual(["id  name", "--  ----", "1   new"]);
    expect(table.stderr()).toContain(`state ${second}`);
    const csv = capture();
    await runQuery("SELECT 'a,b' AS x, '\"q\"' AS y, NULL AS z", { warehouse, format: "csv" }, csv);
    expect(csv.stdout()).toBe(["x,y,z", '"a,b","""q""",'].join("\n"));
  });

  it("reads a kept older state with --state", async () => {
    const io = capture();
    await runQuery("SELECT name FROM staging.people", { warehouse, format: "json", state: first }, io);
    expect(io.stdout()).toBe('{"name":"old"}');
  });

  it("refuses writes with a clear error and a non-zero exit", async () => {
    await expect(runQuery("DROP TABLE staging.people", { warehouse }, capture())).rejects.toThrow(
      /read-only: DROP statements are refused/,
    );
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const previous = process.exitCode;
    try {
      const program = new Command("tokyobeta").exitOverride();
      registerQueryCommand(program);
      await program.parseAsync(
        ["query", "INSERT INTO staging.people VALUES (2, 'x')", "--warehouse", warehouse],
        {
          from: "user",
        },
      );
      expect(process.exitCode).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(
        /error: .*read-only: INSERT statements are refused/,
      );
    } finally {
      process.exitCode = previous;
      stderr.mockRestore();
    }
    const check = capture();
    await runQuery("SELECT count(*) AS n FROM staging.people", { warehouse, format: "json" }, check);
    expect(check.stdout()).toBe('{"n":1}');
  });

  it("rejects an unknown format and names a missing warehouse", async () => {
    await expect(runQuery("SELECT 1", { warehouse, format: "xml" }, capture())).rejects.toThrow(/--format/);
    await expect(runQuery("SELECT 1", { warehouse: path.join(root, "none") }, capture())).rejects.toThrow(
      /no warehouse at/,
    );
  });
});

describe("tokyobeta states and rollback", () => {
  it("lists kept states with the current one marked", async () => {
    const io = capture();
    await listStates({ warehouse }, io);
    const lines = io.stdout().split("\n");
    expect(lines[0]).toMatch(/id\s+published\s+current since\s+label\s+run\s+size/);
    expect(lines[2]).toMatch(new RegExp(`^\\*\\s+${second}\\s.*second load\\s+run-2\\s+\\d+\\.\\d MB`));
    expect(lines[3]).toMatch(new RegExp(`^\\s+${first}\\s.*first load`));
    const json = capture();
    await listStates({ warehouse, json: true }, json);
    const states = json
      .stdout()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(states.map((s) => [s.id, s.current])).toEqual([
      [second, true],
      [first, false],
    ]);
  });

  it("rolls back in one step, recorded with who and why, through the command line", async () => {
    const program = new Command("tokyobeta").exitOverride();
    registerStatesCommand(program);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const previous = process.exitCode;
    try {
      await program.parseAsync(
        ["rollback", first, "--reason", "bad load", "--by", "ops", "--warehouse", warehouse],
        {
          from: "user",
        },
      );
      expect(process.exitCode).toBe(0);
      expect(stdout.mock.calls.map((c) => String(c[0])).join("")).toContain(`current state is now ${first}`);
    } finally {
      process.exitCode = previous;
      stdout.mockRestore();
    }
    const io = capture();
    await runQuery("SELECT name FROM staging.people", { warehouse, format: "json" }, io);
    expect(io.stdout()).toBe('{"name":"old"}');
    const history = capture();
    await listStates({ warehouse, history: true, json: true }, history);
    expect(JSON.parse(history.stdout().split("\n").at(-1)!)).toMatchObject({
      event: "rollback",
      from: second,
      to: first,
      by: "ops",
      reason: "bad load",
    });
    await expect(rollbackState("nope", { warehouse, reason: "x" }, capture())).rejects.toThrow(
      WarehouseError,
    );
    const back = capture();
    await rollbackState(second, { warehouse, reason: "fixed", json: true }, back);
    expect(JSON.parse(back.stdout())).toMatchObject({ current: second, previous: first, reason: "fixed" });
  });
});
