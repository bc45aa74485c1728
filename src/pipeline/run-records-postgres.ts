/**
 * Run records of a PostgreSQL warehouse: one row per run in `tokyobeta_runs.records`, a schema
 * of its own that no warehouse state owns, so a record survives an abandoned or killed run like
 * the embedded engine's JSON files do. Each write is one upsert (atomic by itself).
 */
import pg from "pg";
import { WarehouseError } from "../errors.js";
import type { RunRecord, RunRecords } from "./run-records.js";

const SCHEMA = "tokyobeta_runs";
const DDL = `CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.records (
  run_id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  record TEXT NOT NULL)`;

/** The URL without its password, for messages and `location`. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

export class PostgresRunRecords implements RunRecords {
  readonly location: string;
  #ready = false;
  constructor(private readonly url: string) {
    this.location = `${withoutPassword(url)}#${SCHEMA}.records`;
  }

  async #withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.url });
    try {
      await client.connect();
      if (!this.#ready) {
        // Two processes may race on the first CREATE: a unique violation means the other won.
        await client.query(DDL).catch((err: { code?: string }) => {
          if (err.code !== "23505" && err.code !== "42P06" && err.code !== "42P07") throw err;
        });
        this.#ready = true;
      }
      return await work(client);
    } catch (err) {
      if (err instanceof WarehouseError) throw err;
      throw new WarehouseError(`run records at ${this.location}: ${(err as Error).message}`, { cause: err });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async write(record: RunRecord): Promise<void> {
    await this.#withClient((client) =>
      client.query(
        `INSERT INTO ${SCHEMA}.records (run_id, started_at, record) VALUES ($1, $2, $3)
         ON CONFLICT (run_id) DO UPDATE SET started_at = EXCLUDED.started_at, record = EXCLUDED.record`,
        [record.runId, record.startedAt, JSON.stringify(record)],
      ),
    );
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    const rows = await this.#withClient(
      async (client) =>
        (
          await client.query<{ record: string }>(`SELECT record FROM ${SCHEMA}.records WHERE run_id = $1`, [
            runId,
          ])
        ).rows,
    );
    return rows[0] ? (JSON.parse(rows[0].record) as RunRecord) : undefined;
  }

  async list(limit = Number.POSITIVE_INFINITY): Promise<RunRecord[]> {
    const rows = await this.#withClient(
      async (client) =>
        (
          await client.query<{ record: string }>(
            `SELECT record FROM ${SCHEMA}.records ORDER BY started_at DESC, run_id DESC${
              Number.isFinite(limit) ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ""
            }`,
          )
        ).rows,
    );
    return rows.map((r) => JSON.parse(r.record) as RunRecord);
  }
}
