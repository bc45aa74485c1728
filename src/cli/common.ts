/** Options every command shares, and turning them into resolved settings. */
import type { Command } from "commander";
import { resolveSettings, type ResolvedSettings, type SettingName } from "../config/settings.js";

export interface CommonOptions {
  config?: string;
  store?: string;
  warehouse?: string;
}

export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--config <file>", "config file (JSON or YAML); also TOKYOBETA_CONFIG")
    .option("--store <path>", "dump store: folder or s3://bucket/prefix (TOKYOBETA_STORE)")
    .option("--warehouse <path>", "warehouse folder (TOKYOBETA_WAREHOUSE)");
}

/** Resolves settings for a command from its options (flags win over env and file). */
export function settingsFrom(
  opts: CommonOptions,
  extraFlags: Partial<Record<SettingName, unknown>> = {},
): ResolvedSettings {
  return resolveSettings({
    configFile: opts.config,
    flags: { store: opts.store, warehouse: opts.warehouse, ...extraFlags },
  });
}
