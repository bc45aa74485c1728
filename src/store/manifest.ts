/**
 * The dump manifest (source.md): a zod schema for the required and optional fields, and a
 * parser that names every missing or mistyped field instead of stopping at the first.
 */
import { z } from "zod";

const timestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/,
    "expected an ISO-8601 timestamp",
  );

export const ManifestSchema = z.object({
  source_host: z.string().min(1),
  source_database: z.string().min(1),
  run_id: z.string().min(1),
  dump_sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "expected 64 hexadecimal characters")
    .transform((s) => s.toLowerCase()),
  valid_for_etl: z.boolean(),
  /** table -> MAX(updated_at) at dump time; null for an empty table. */
  max_updated_at_by_table: z.record(z.string(), timestamp.nullable()),
  invalid_reason: z.string().optional(),
  generated_at: z.string().optional(),
  dump_bytes: z.number().int().nonnegative().optional(),
  dump_key: z.string().optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;

export interface ManifestFieldProblem {
  field: string;
  message: string;
}

export type ManifestParse =
  | { ok: true; manifest: Manifest; raw: Record<string, unknown>; legacyFields: string[] }
  /** `raw` is the parsed JSON object when there was one, so callers can still check what is there. */
  | { ok: false; problems: ManifestFieldProblem[]; raw?: Record<string, unknown>; legacyFields: string[] };

const LEGACY_RENAMES: Record<string, keyof Manifest> = {
  source_table_max_updated_at: "max_updated_at_by_table",
};

export function parseManifest(text: string): ManifestParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [{ field: "(document)", message: `manifest is not valid JSON: ${(err as Error).message}` }],
      legacyFields: [],
    };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return {
      ok: false,
      problems: [{ field: "(document)", message: `manifest is not a JSON object (got ${typeName(parsed)})` }],
      legacyFields: [],
    };
  }
  const raw = { ...(parsed as Record<string, unknown>) };
  const legacyFields: string[] = [];
  for (const [legacy, current] of Object.entries(LEGACY_RENAMES)) {
    if (raw[current] === undefined && raw[legacy] !== undefined) {
      raw[current] = raw[legacy];
      legacyFields.push(legacy);
    }
  }
  const result = ManifestSchema.safeParse(raw);
  if (result.success) return { ok: true, manifest: result.data, raw, legacyFields };
  const problems: ManifestFieldProblem[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const top = String(issue.path[0] ?? "(document)");
    // Name the field as the manifest spells it (the legacy name when that is what it used).
    const shown = legacyFields.find((l) => LEGACY_RENAMES[l] === top) ?? top;
    const field = [shown, ...issue.path.slice(1).map(String)].join(".");
    const value = valueAt(raw, issue.path);
    let message: string;
    if (issue.path.length === 1 && value === undefined) {
      const alias = Object.entries(LEGACY_RENAMES).find(([, cur]) => cur === top)?.[0];
      message = `required field '${top}' is missing${alias ? ` (nor is its legacy name '${alias}')` : ""}`;
    } else if (issue.code === "invalid_type") {
      message = `field '${field}': expected ${issue.expected}, got ${typeName(value)}`;
    } else {
      message = `field '${field}': ${issue.message} (got ${JSON.stringify(value)})`;
    }
    if (seen.has(message)) continue;
    seen.add(message);
    problems.push({ field, message });
  }
  return { ok: false, problems, raw, legacyFields };
}

function valueAt(obj: unknown, pathParts: PropertyKey[]): unknown {
  let node = obj;
  for (const part of pathParts) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value;
}
