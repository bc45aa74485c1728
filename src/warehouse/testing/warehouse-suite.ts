/**
 * The Warehouse conformance suite: the behaviour every engine must show, run against real
 * engines (no mocks). `newWarehouse` gives a fixture for a new, empty warehouse; `open` may be
 * called several times for independent handles on the same warehouse (as separate processes
 * would have).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WarehouseError } from "../../errors.js";
import type { TableSchema, Value } from "../../reader/types.js";
import type {
  OpenWarehouseOptions,
  SqlValue,
  StateWriter,
  Warehouse,
  WarehouseSession,
} from "../warehouse.js";
import { ALL_KINDS, ALL_KINDS_CASES } from "./all-kinds.js";

export interface WarehouseFixture {
  /** Where the warehouse lives (what openWarehouse takes). */
  location: string;
  open(options?: OpenWarehouseOptions): Promise<Warehouse>;
  dispose(): Promise<void>;
}

const PEOPLE: TableSchema = {
  name: "people",
  columns: [
    { name: "id", mysqlType: "int", kind: "int32", nullable: false },
    { name: "name", mysqlType: "varchar(50)", kind: "text", nullable: true },
  ],
};

/** Creates staging.people with the given names (ids 1..n) in a writer. */
export async function loadPeople(writer: StateWriter, names: string[]): Promise<void> {
  await writer.createTable("staging", PEOPLE, { replace: true });
  const appender = await writer.openAppender("staging", PEOPLE);
  await appender.append(names.map((name, i) => [i + 1, name]));
  await appender.close();
}

async function people(session: WarehouseSession): Promise<SqlValue[]> {
  const result = await session.query("SELECT name FROM staging.people ORDER BY id");
  return result.rows.map((r) => r.name ?? null);
}

/** Publishes a state holding staging.people = names; returns its id. */
async function publishPeople(warehouse: Warehouse, names: string[], label?: string): Promise<string> {
  const writer = await warehouse.beginState(label === undefined ? {} : { label });
  await loadPeople(writer, names);
  return (await writer.publish()).id;
}

/** What differs between engines by design (documented in README.md). */
export interface EngineTraits {
  /**
   * NUL (U+0000) in text: `kept` (DuckDB) or `replaced` by U+FFFD (PostgreSQL text cannot
   * hold it), in loaded text and in bound parameters alike.
   */
  textNul: "kept" | "replaced";
}

export function runWarehouseSuite(
  name: string,
  newWarehouse: () => Promise<WarehouseFixture>,
  traits: EngineTraits = { textNul: "kept" },
): void {
  /** The text an engine gives back for `text` as loaded. */
  const stored = <T>(value: T): T =>
    typeof value === "string" && traits.textNul === "replaced"
      ? (value.replaceAll("\u0000", "\uFFFD") as T)
      : value;
  describe(`Warehouse conformance: ${name}`, () => {
    const fixtures: WarehouseFixture[] = [];
    const handles: Warehouse[] = [];
    afterAll(async () => {
      for (const h of handles) await h.close().catch(() => undefined);
      for (const f of fixtures) await f.dispose();
    });
    async function fresh(options?: OpenWarehouseOptions) {
      const fixture = await newWarehouse();
      fixtures.push(fixture);
      const open = async (o = options) => {
        const handle = await fixture.open(o);
        handles.push(handle);
        return handle;
      };
      return { fixture, warehouse: await open(), open };
    }

    describe("types", () => {
      it("round-trips every column kind with edge values", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        await writer.createTable("staging", ALL_KINDS);
        const appender = await writer.openAppender("staging", ALL_KINDS);
        await appender.append(ALL_KINDS_CASES.map((c) => c.input));
        expect(await appender.close()).toBe(ALL_KINDS_CASES.length);
        await writer.publish();

        const reader = await warehouse.openPublished();
        const result = await reader.query("SELECT * FROM staging.all_kinds ORDER BY id");
        expect(result.columns.map((c) => c.name)).toEqual(ALL_KINDS.columns.map((c) => c.name));
        for (let i = 0; i < ALL_KINDS_CASES.length; i++) {
          for (const column of ALL_KINDS.columns) {
            const expected = stored(ALL_KINDS_CASES[i]!.output[column.name]);
            expect({ row: i, column: column.name, value: result.rows[i]![column.name] }).toEqual({
              row: i,
              column: column.name,
              value: expected,
            });
          }
        }
        await reader.close();
      });

      it("round-trips text and bytes of every length around 12 bytes, in every chunk position", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        const table: TableSchema = {
          name: "strings",
          columns: [
            { name: "id", mysqlType: "int", kind: "int32", nullable: false },
            { name: "t", mysqlType: "text", kind: "text", nullable: true },
            { name: "b", mysqlType: "blob", kind: "binary", nullable: true },
          ],
        };
        const texts = [
          "",
          "a",
          "abcdefghijkl",
          "abcdefghijklm",
          "東京ベー",
          "東京ベータ",
          "😀😀😀",
          "😀😀😀a",
          "a\u0000b",
          "\u0000".repeat(12),
        ];
        texts.push(...texts.map((t) => t + "x".repeat(20)), "x".repeat(5000));
        const bytes = Array.from({ length: 30 }, (_, n) =>
          Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255),
        );
        const rows: Value[][] = [];
        for (let i = 0; i < 5000; i++) {
          // Rows alternate between short, long and NULL so that each chunk position sees each.
          const t = i % 7 === 3 ? null : texts[i % texts.length]!;
          const b = i % 5 === 2 ? null : bytes[i % bytes.length]!;
          rows.push([i, t, b]);
        }
        await writer.createTable("staging", table);
        const appender = await writer.openAppender("staging", table);
        await appender.append(rows);
        await appender.close();
        const result = await writer.query("SELECT id, t, b FROM staging.strings ORDER BY id");
        expect(result.rows.length).toBe(rows.length);
        result.rows.forEach((row, i) => {
          expect(row).toEqual({ id: i, t: stored(rows[i]![1]), b: rows[i]![2] });
        });
        await writer.abandon();
      });

      it("takes text and JSON as UTF-8 bytes: stored exactly when well-formed, invalid sequences replaced like Buffer decoding", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        const table: TableSchema = {
          name: "text_bytes",
          columns: [
            { name: "id", mysqlType: "int", kind: "int32", nullable: false },
            { name: "t", mysqlType: "text", kind: "text", nullable: true },
            { name: "j", mysqlType: "json", kind: "json", nullable: true },
          ],
        };
        const enc = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
        const texts: Uint8Array[] = [
          "",
          "a",
          "abcdefghijkl",
          "abcdefghijklm",
          "東京ベー",
          "東京ベータ",
          "😀😀😀",
          "😀😀😀a",
          "a\u0000b",
          "\u0000".repeat(12),
          "長い本文 long body ".repeat(200),
        ].map(enc);
        // invalid: lone continuation, truncated sequences, a surrogate, an overlong form, 0xFF, short and long
        const invalid = [[0x80], [0x61, 0xe6, 0x9d], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff, 0x41]].map(
          (b) => Uint8Array.from(b),
        );
        invalid.push(Uint8Array.from([...enc("x".repeat(40)), 0xf0, 0x9f, 0x98, ...enc("東京")]));
        // views into one shared buffer, at odd offsets
        const shared = Buffer.from("..東京ベータ😀 shared buffer, long enough to be out of line..", "utf8");
        const views = [new Uint8Array(shared.buffer, shared.byteOffset + 2, shared.length - 4)];
        const all = [...texts, ...invalid, ...views];
        const rows: Value[][] = [];
        for (let i = 0; i < 3000; i++) {
          const t = i % 9 === 4 ? null : all[i % all.length]!;
          rows.push([i, t, i % 3 === 0 ? enc(`{"k":[${i},"東京😀"]}`) : null]);
        }
        await writer.createTable("staging", table);
        const appender = await writer.openAppender("staging", table);
        await appender.append(rows);
        await appender.close();
        const result = await writer.query("SELECT id, t, j FROM staging.text_bytes ORDER BY id");
        expect(result.rows.length).toBe(rows.length);
        const decode = (v: Value) =>
          v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.length).toString("utf8") : v;
        result.rows.forEach((row, i) => {
          expect(row).toEqual({ id: i, t: stored(decode(rows[i]![1]!)), j: decode(rows[i]![2]!) });
        });
        const json = await writer.openAppender("staging", table);
        await expect(json.append([[1, null, enc("{not json")]])).rejects.toThrow(/not valid JSON/);
        await json.close().catch(() => undefined);
        await writer.abandon();
      });

      it("reports a neutral kind for each result column", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        await writer.createTable("staging", ALL_KINDS);
        const result = await writer.query("SELECT * FROM staging.all_kinds");
        const kinds = Object.fromEntries(result.columns.map((c) => [c.name, c.kind]));
        expect(kinds).toMatchObject({
          i8: "integer",
          u64: "integer",
          dec_small: "decimal",
          f32: "float",
          f64: "float",
          d: "date",
          dt: "datetime",
          tm: "interval",
          txt: "text",
          js: "json",
          bin: "binary",
          bits: "integer",
        });
        await writer.abandon();
      });

      it("binds parameters of every kind", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        const result = await writer.query("SELECT ? AS n, ? AS b, ? AS i, ? AS big, ? AS s, ? AS bytes", [
          null,
          true,
          42,
          18446744073709551615n,
          "東京\u0000",
          new Uint8Array([0, 255]),
        ]);
        expect(result.rows[0]).toEqual({
          n: null,
          b: true,
          i: 42,
          big: 18446744073709551615n,
          s: stored("東京\u0000"),
          bytes: new Uint8Array([0, 255]),
        });
        await writer.abandon();
      });
    });

    describe("bulk append", () => {
      it("bulkLoad returns its work's value, rethrows its error, and leaves the writer as it was", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        const loaded = await writer.bulkLoad(async () => {
          await loadPeople(writer, ["ann", "bo"]);
          return "done";
        });
        expect(loaded).toBe("done");
        await expect(
          writer.bulkLoad(async () => {
            throw new Error("the dump is bad");
          }),
        ).rejects.toThrow("the dump is bad");
        await writer.exec("CREATE TABLE staging.after_load AS SELECT COUNT(*) AS n FROM staging.people");
        expect((await writer.query("SELECT n FROM staging.after_load")).rows[0]?.n).toBe(2);
        await writer.publish();
        const reader = await warehouse.openPublished();
        expect(await people(reader)).toEqual(["ann", "bo"]);
        await reader.close();
      });

      it("appends many rows in batches across chunk boundaries, with NULLs anywhere", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        const table: TableSchema = {
          name: "wide",
          columns: [
            { name: "id", mysqlType: "bigint", kind: "int64", nullable: false },
            { name: "n", mysqlType: "int", kind: "int32", nullable: true },
            { name: "s", mysqlType: "text", kind: "text", nullable: true },
            { name: "b", mysqlType: "blob", kind: "binary", nullable: true },
            { name: "d", mysqlType: "date", kind: "date", nullable: true },
          ],
        };
        await writer.createTable("staging", table);
        const appender = await writer.openAppender("staging", table);
        const total = 50_000;
        const started = performance.now();
        for (let from = 0; from < total; from += 3_333) {
          const rows: Value[][] = [];
          for (let i = from; i < Math.min(total, from + 3_333); i++) {
            rows.push([
              BigInt(i),
              i % 7 === 0 ? null : i,
              i % 5 === 0 ? null : `row ${i} ${"x".repeat(i % 40)}`,
              i % 3 === 0 ? null : new Uint8Array([i & 255, (i >> 8) & 255]),
              i % 11 === 0 ? null : "2026-01-31",
            ]);
          }
          await appender.append(rows);
        }
        expect(await appender.close()).toBe(total);
        const seconds = (performance.now() - started) / 1000;
        const check = await writer.query(
          `SELECT count(*) AS rows, count(n) AS n, sum(n) AS sum_n, count(s) AS s, count(b) AS b, count(d) AS d,
                  max(id) AS max_id
             FROM staging.wide`,
        );
        const expected = { rows: total, n: 0, sum_n: 0, s: 0, b: 0, d: 0, max_id: total - 1 };
        for (let i = 0; i < total; i++) {
          if (i % 7 !== 0) {
            expected.n++;
            expected.sum_n += i;
          }
          if (i % 5 !== 0) expected.s++;
          if (i % 3 !== 0) expected.b++;
          if (i % 11 !== 0) expected.d++;
        }
        expect(check.rows[0]).toEqual(expected);
        const sample = await writer.query(
          "SELECT id, n, s, b, d FROM staging.wide WHERE id IN (2047, 2048, 4095) ORDER BY id",
        );
        expect(sample.rows).toEqual([
          {
            id: 2047,
            n: 2047,
            s: `row 2047 ${"x".repeat(2047 % 40)}`,
            b: new Uint8Array([255, 7]),
            d: "2026-01-31",
          },
          {
            id: 2048,
            n: 2048,
            s: `row 2048 ${"x".repeat(2048 % 40)}`,
            b: new Uint8Array([0, 8]),
            d: "2026-01-31",
          },
          { id: 4095, n: null, s: null, b: null, d: "2026-01-31" },
        ]);
        console.log(
          `${name}: appended ${total} rows in ${seconds.toFixed(2)} s (${Math.round(total / seconds)} rows/s)`,
        );
        await writer.abandon();
      });

      it("refuses a value its column cannot hold, naming table, row and column", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        await writer.createTable("staging", ALL_KINDS);
        const appender = await writer.openAppender("staging", ALL_KINDS);
        const bad = [...ALL_KINDS_CASES[3]!.input];
        bad[1] = 200; // i8
        await expect(appender.append([bad])).rejects.toThrow(/all_kinds.*row 1.*i8.*out of range/);
        await expect(appender.append([ALL_KINDS_CASES[0]!.input])).rejects.toThrow(
          /unusable after an earlier error/,
        );
        await appender.close();
        const another = await writer.openAppender("staging", ALL_KINDS);
        await expect(another.append([[1, 2]])).rejects.toThrow(/2 values/);
        await another.close();
        await writer.abandon();
      });

      it("reports a value the engine cannot convert as a WarehouseError naming the table", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        await writer.createTable("staging", ALL_KINDS);
        for (const [column, value] of [
          [14, "2026-02-30"], // d
          [9, "12.3.4"], // dec_small
          [16, "12:xx:00"], // tm
          [18, "{not json"], // js
        ] as const) {
          const appender = await writer.openAppender("staging", ALL_KINDS);
          const bad = [...ALL_KINDS_CASES[3]!.input];
          bad[column] = value;
          // Refused when appended or at the latest when the appender flushes.
          const error = await appender
            .append([bad])
            .then(() => appender.close())
            .catch((e: unknown) => e);
          await appender.close().catch(() => undefined);
          expect(error, value).toBeInstanceOf(WarehouseError);
          expect(String(error), value).toMatch(/all_kinds/);
        }
        await writer.abandon();
      });

      it("replaces a table", async () => {
        const { warehouse } = await fresh();
        const writer = await warehouse.beginState();
        await loadPeople(writer, ["a", "b"]);
        await expect(writer.createTable("staging", PEOPLE)).rejects.toThrow(WarehouseError);
        await loadPeople(writer, ["c"]);
        expect(await people(writer)).toEqual(["c"]);
        expect(await writer.listTables("staging")).toEqual([
          { schema: "staging", name: "people", type: "table" },
        ]);
        await writer.abandon();
      });
    });

    describe("states", () => {
      it("has nothing published at first, and a first state starts empty", async () => {
        const { warehouse } = await fresh();
        expect(await warehouse.publishedStateId()).toBeNull();
        await expect(warehouse.openPublished()).rejects.toThrow(WarehouseError);
        const writer = await warehouse.beginState();
        expect(writer.parentId).toBeNull();
        expect(await writer.listTables()).toEqual([]);
        await writer.abandon();
      });

      it("begins a new state as a copy of the published one", async () => {
        const { warehouse } = await fresh();
        const first = await publishPeople(warehouse, ["a", "b"]);
        const writer = await warehouse.beginState();
        expect(writer.parentId).toBe(first);
        expect(await people(writer)).toEqual(["a", "b"]);
        await writer.exec("DELETE FROM staging.people WHERE id = ?", [1]);
        expect(await people(writer)).toEqual(["b"]);
        await writer.abandon();
      });

      it("publishes atomically: open readers keep their state, new readers see the new one", async () => {
        const { warehouse, open } = await fresh();
        const first = await publishPeople(warehouse, ["old"]);
        const before = await warehouse.openPublished();
        expect(before.stateId).toBe(first);

        const writer = await warehouse.beginState({ label: "second" });
        await loadPeople(writer, ["new"]);
        const during = await warehouse.openPublished();
        expect(await people(during)).toEqual(["old"]);
        const published = await writer.publish();
        expect(published).toMatchObject({
          id: writer.stateId,
          parent: first,
          label: "second",
          current: true,
        });

        expect(await people(before)).toEqual(["old"]);
        expect(await warehouse.publishedStateId()).toBe(published.id);
        const other = await open(); // another process's view
        expect(await other.publishedStateId()).toBe(published.id);
        const after = await other.openPublished();
        expect(await people(after)).toEqual(["new"]);
        for (const r of [before, during, after]) await r.close();
      });

      it("abandon leaves the published state untouched and frees the writer lock", async () => {
        const { warehouse } = await fresh();
        const first = await publishPeople(warehouse, ["kept"]);
        const writer = await warehouse.beginState();
        await loadPeople(writer, ["thrown away"]);
        await writer.abandon("testing");
        await expect(writer.publish()).rejects.toThrow(/abandoned/);
        expect(await warehouse.publishedStateId()).toBe(first);
        const reader = await warehouse.openPublished();
        expect(await people(reader)).toEqual(["kept"]);
        await reader.close();
        const again = await warehouse.beginState();
        await again.close(); // closing without publishing abandons
        expect((await warehouse.listStates()).map((s) => s.id)).toEqual([first]);
        const events = await warehouse.history();
        expect(
          events.filter((e) => e.event === "abandoned").map((e) => e.event === "abandoned" && e.reason),
        ).toEqual(["testing", "closed without publishing"]);
      });

      it("keeps the last N published states and prunes older ones", async () => {
        const { warehouse } = await fresh({ keep: 3 });
        const ids: string[] = [];
        for (let i = 1; i <= 5; i++) ids.push(await publishPeople(warehouse, [`v${i}`], `run ${i}`));
        const states = await warehouse.listStates();
        expect(states.map((s) => s.id)).toEqual([ids[4], ids[3], ids[2]]);
        expect(states.map((s) => s.current)).toEqual([true, false, false]);
        expect(states[0]).toMatchObject({ label: "run 5", parent: ids[3] });
        expect(states.every((s) => s.sizeBytes > 0 && s.publishedAt >= s.createdAt)).toBe(true);
        await expect(warehouse.openState(ids[0]!)).rejects.toThrow(/not kept/);
        const old = await warehouse.openState(ids[2]!);
        expect(await people(old)).toEqual(["v3"]);
        await old.close();
        const removed = (await warehouse.history()).filter((e) => e.event === "removed");
        expect(removed.map((e) => e.event === "removed" && [e.id, e.reason])).toEqual([
          [ids[0], "pruned"],
          [ids[1], "pruned"],
        ]);
      });

      it("rolls back to a kept state in one step and records who and why", async () => {
        const { warehouse, open } = await fresh();
        const good = await publishPeople(warehouse, ["good"]);
        const bad = await publishPeople(warehouse, ["bad"]);
        const rolled = await warehouse.rollback(good, { by: "operator", reason: "bad load" });
        expect(rolled).toMatchObject({ id: good, current: true });
        expect(await warehouse.publishedStateId()).toBe(good);
        const other = await open();
        const reader = await other.openPublished();
        expect(await people(reader)).toEqual(["good"]);
        await reader.close();
        expect((await warehouse.listStates()).map((s) => [s.id, s.current])).toEqual([
          [good, true],
          [bad, false],
        ]);
        const events = await warehouse.history();
        expect(events.at(-1)).toMatchObject({
          event: "rollback",
          from: bad,
          to: good,
          by: "operator",
          reason: "bad load",
        });

        await expect(warehouse.rollback(good, { by: "x", reason: "again" })).rejects.toThrow(/already/);
        await expect(warehouse.rollback("20000101-000000-000000", { by: "x", reason: "y" })).rejects.toThrow(
          /not kept/,
        );
        await expect(warehouse.rollback(bad, { by: "x", reason: " " })).rejects.toThrow(/reason/);

        const next = await warehouse.beginState();
        expect(next.parentId).toBe(good);
        expect(await people(next)).toEqual(["good"]);
        await next.abandon();
      });

      it("opens a kept older state read-only", async () => {
        const { warehouse } = await fresh();
        const first = await publishPeople(warehouse, ["one"]);
        await publishPeople(warehouse, ["two"]);
        const old = await warehouse.openState(first);
        expect(old.readOnly).toBe(true);
        expect(old.stateId).toBe(first);
        expect(await people(old)).toEqual(["one"]);
        await expect(old.query("DELETE FROM staging.people")).rejects.toThrow(/read-only/);
        await old.close();
        await expect(warehouse.openState("../../etc/passwd")).rejects.toThrow(WarehouseError);
      });
    });

    describe("read-only", () => {
      it("refuses writes through a reader with a clear error", async () => {
        const { warehouse } = await fresh();
        await publishPeople(warehouse, ["a"]);
        const reader = await warehouse.openPublished();
        for (const sql of [
          "INSERT INTO staging.people VALUES (9, 'x')",
          "UPDATE staging.people SET name = 'x'",
          "DELETE FROM staging.people",
          "DROP TABLE staging.people",
          "CREATE TABLE staging.other (a INTEGER)",
          "ALTER TABLE staging.people ADD COLUMN x INTEGER",
        ]) {
          const error = await reader.query(sql).catch((e: unknown) => e);
          expect(error, sql).toBeInstanceOf(WarehouseError);
          expect(String(error), sql).toMatch(/read-only/);
        }
        await expect(reader.query("SELECT 1; DROP TABLE staging.people")).rejects.toThrow(
          /one SQL statement/,
        );
        expect(await people(reader)).toEqual(["a"]);
        await reader.close();
        await expect(reader.query("SELECT 1")).rejects.toThrow(/closed/);
      });
    });

    describe("one writer at a time", () => {
      it("refuses a second writer, naming the holder, until the first one finishes", async () => {
        const { warehouse, open } = await fresh();
        const writer = await warehouse.beginState({ command: "tokyobeta ingest --date 2026-01-31" });
        const other = await open();
        const error = await other.beginState().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WarehouseError);
        expect(String(error)).toMatch(
          new RegExp(`locked.*pid ${process.pid}.*tokyobeta ingest --date 2026-01-31`),
        );
        await expect(other.rollback("20000101-000000-000000", { by: "x", reason: "y" })).rejects.toThrow(
          /locked/,
        );
        await loadPeople(writer, ["a"]);
        await writer.publish();
        const second = await other.beginState();
        await second.abandon();
      });

      it("says who holds the writer lock: nobody, then the open writer, then nobody again", async () => {
        const { warehouse, open } = await fresh();
        expect(await warehouse.writerHolder()).toBeNull();
        const writer = await warehouse.beginState({ command: "tokyobeta backfill --from 2026-01-01" });
        const other = await open();
        const holder = await other.writerHolder();
        expect(holder).toMatch(new RegExp(`pid ${process.pid}\\b.*tokyobeta backfill --from 2026-01-01`));
        await writer.close();
        expect(await other.writerHolder()).toBeNull();
        const published = await warehouse.beginState();
        await loadPeople(published, ["a"]);
        await published.publish();
        expect(await other.writerHolder()).toBeNull();
      });

      it("counts a writer killed with SIGKILL as no holder", async () => {
        const { warehouse, fixture } = await fresh();
        await runCrashWriter(fixture.location);
        await expect.poll(() => warehouse.writerHolder(), { timeout: 10_000, interval: 100 }).toBeNull();
      });

      it("a writer killed with SIGKILL leaves the published state, and the next writer proceeds", async () => {
        const { warehouse, fixture } = await fresh();
        const first = await publishPeople(warehouse, ["before crash"]);
        const crashed = await runCrashWriter(fixture.location);
        expect(crashed.id).not.toBe(first);
        expect(await warehouse.publishedStateId()).toBe(first);
        const reader = await warehouse.openPublished();
        expect(await people(reader)).toEqual(["before crash"]);
        await reader.close();

        const writer = await warehouse.beginState();
        expect(writer.parentId).toBe(first);
        await loadPeople(writer, ["after crash"]);
        const published = await writer.publish();
        expect((await warehouse.listStates()).map((s) => s.id)).toEqual([published.id, first]);
        await expect(warehouse.openState(crashed.id)).rejects.toThrow(/not kept/);
      });
    });
  });
}

/** Runs testing/crash-writer.ts in a child process, waits until it is mid-state, SIGKILLs it. */
export async function runCrashWriter(location: string): Promise<{ id: string; pid: number }> {
  const script = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, location], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`crash writer exited early (${code}): ${stderr}`)));
  });
  child.kill("SIGKILL");
  await exited;
  return JSON.parse(line) as { id: string; pid: number };
}
