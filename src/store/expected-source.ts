/**
 * The source (host + database) a manifest must name. From settings (`expected_source.host`
 * and `expected_source.database`); when neither is set, from `source.json` at the store root
 * (written by the demo generator so the demo works without setup); otherwise a ConfigError
 * that says how to configure it.
 */
import { z } from "zod";
import type { Settings } from "../config/settings.js";
import { ConfigError } from "../errors.js";
import type { DumpStore } from "./dump-store.js";
import { SOURCE_FILE } from "./store-layout.js";

export interface ExpectedSource {
  host: string;
  database: string;
  /** Where the values came from. */
  origin: "settings" | "store-source-json";
  /** One line for people, e.g. "from /data/store/source.json (no expected_source configured)". */
  note: string;
}

const SourceFileSchema = z.object({ source_host: z.string().min(1), source_database: z.string().min(1) });

const HOW_TO =
  "set expected_source.host and expected_source.database in the config file, or the environment " +
  "variables TOKYOBETA_EXPECTED_SOURCE_HOST and TOKYOBETA_EXPECTED_SOURCE_DATABASE";

export async function resolveExpectedSource(
  store: DumpStore,
  settings: Pick<Settings, "expectedSourceHost" | "expectedSourceDatabase">,
): Promise<ExpectedSource> {
  const host = settings.expectedSourceHost;
  const database = settings.expectedSourceDatabase;
  if (host !== undefined && database !== undefined) {
    return { host, database, origin: "settings", note: "from settings (expected_source.host/database)" };
  }
  if (host !== undefined || database !== undefined) {
    const missing =
      host === undefined
        ? "expected_source.host (TOKYOBETA_EXPECTED_SOURCE_HOST)"
        : "expected_source.database (TOKYOBETA_EXPECTED_SOURCE_DATABASE)";
    throw new ConfigError(`${missing} is not set; both host and database of the expected source are needed`);
  }
  const where = `${store.location}/${SOURCE_FILE}`;
  const text = await store.readText(SOURCE_FILE);
  if (text === undefined) {
    throw new ConfigError(
      `no expected source configured, so source drift cannot be checked: ${HOW_TO} ` +
        `(or put ${SOURCE_FILE} with source_host and source_database at the store root)`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${where} is not valid JSON (${(err as Error).message}); ${HOW_TO}`);
  }
  const parsed = SourceFileSchema.safeParse(doc);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "(document)").join(", ");
    throw new ConfigError(
      `${where}: expected string fields source_host and source_database (bad: ${fields}); ${HOW_TO}`,
    );
  }
  return {
    host: parsed.data.source_host,
    database: parsed.data.source_database,
    origin: "store-source-json",
    note: `from ${where}, as no expected_source is configured (to pin it, ${HOW_TO})`,
  };
}
