/** Model configuration from YAML `config:` and `{{ config(...) }}`, validated. Pure. */
import type { Materialization, ModelConfig } from "./types.js";

const MATERIALIZATIONS: readonly Materialization[] = ["view", "table", "incremental"];
const KEYS = new Set(["materialized", "unique_key", "tags", "full_refresh", "delete_where"]);

export const DEFAULT_CONFIG: ModelConfig = {
  materialized: "view",
  uniqueKey: [],
  tags: [],
  fullRefresh: true,
};

function stringList(value: unknown, what: string, problems: string[]): string[] | undefined {
  if (typeof value === "string" && value !== "") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string" && v !== "")) return value as string[];
  problems.push(`${what} must be a name or a list of names, got ${JSON.stringify(value)}`);
  return undefined;
}

/** Applies `raw` on top of `base`; problems are appended, never thrown. */
export function mergeConfig(
  base: ModelConfig,
  raw: Record<string, unknown>,
  problems: string[],
): ModelConfig {
  const config = { ...base, uniqueKey: [...base.uniqueKey], tags: [...base.tags] };
  for (const [key, value] of Object.entries(raw)) {
    if (!KEYS.has(key)) {
      problems.push(`unknown config key ${JSON.stringify(key)} (known: ${[...KEYS].join(", ")})`);
      continue;
    }
    if (value === undefined || value === null) continue;
    if (key === "materialized") {
      if (typeof value === "string" && (MATERIALIZATIONS as readonly string[]).includes(value))
        config.materialized = value as Materialization;
      else
        problems.push(
          `materialized must be one of ${MATERIALIZATIONS.join(", ")}, got ${JSON.stringify(value)}`,
        );
    } else if (key === "unique_key") {
      config.uniqueKey = stringList(value, "unique_key", problems) ?? config.uniqueKey;
    } else if (key === "tags") {
      const tags = stringList(value, "tags", problems);
      if (tags) config.tags = [...new Set([...config.tags, ...tags])];
    } else if (key === "delete_where") {
      if (typeof value === "string" && value.trim() !== "") config.deleteWhere = value;
      else problems.push(`delete_where must be an SQL predicate, got ${JSON.stringify(value)}`);
    } else if (key === "full_refresh") {
      if (typeof value === "boolean") config.fullRefresh = value;
      else problems.push(`full_refresh must be true or false, got ${JSON.stringify(value)}`);
    }
  }
  return config;
}
