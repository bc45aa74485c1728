/**
 * The one place CLI output and exit codes are decided: tables for people, CSV and JSON
 * lines for scripts, and errors turned into a message on stderr plus an exit code.
 */
import { TokyobetaError } from "../errors.js";

export type OutputFormat = "table" | "csv" | "json";

/** Where a command writes: stdout and stderr, or a capture in tests. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export type Row = Record<string, unknown>;

/** Renders one value as text the way every format shows it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value, jsonReplacer);
  return String(value);
}

/** JSON.stringify replacer: bigints as strings, bytes as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "Buffer") {
    const data = (value as { data?: number[] }).data;
    if (Array.isArray(data)) return Buffer.from(data).toString("hex");
  }
  return value;
}

export function renderTable(rows: Row[], columns = columnsOf(rows)): string {
  if (columns.length === 0) return "(no rows)";
  const cells = rows.map((r) => columns.map((c) => formatValue(r[c]).replace(/\n/g, "\\n")));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))),
  );
  const line = (vals: string[]) =>
    vals.map((v, i) => v + " ".repeat(widths[i]! - displayWidth(v))).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export function renderCsv(rows: Row[], columns = columnsOf(rows)): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [columns.map(quote).join(",")];
  for (const r of rows) lines.push(columns.map((c) => quote(formatValue(r[c]))).join(","));
  return lines.join("\n");
}

export function renderJsonLines(rows: Row[]): string {
  return rows.map((r) => JSON.stringify(r, jsonReplacer)).join("\n");
}

export function render(rows: Row[], format: OutputFormat, columns?: string[]): string {
  if (format === "json") return renderJsonLines(rows);
  if (format === "csv") return renderCsv(rows, columns);
  return renderTable(rows, columns);
}

function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** Width on a terminal: CJK and other wide characters take two cells. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    width +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) ||
        cp >= 0x1f300)
        ? 2
        : 1;
  }
  return width;
}

/** Turns an error into a message on stderr and returns the exit code for it. */
export function reportError(err: unknown): number {
  if (err instanceof TokyobetaError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`unexpected error: ${e?.stack ?? String(err)}\n`);
  return 1;
}

/** Wraps a command action: errors become messages and exit codes, never stack dumps for known errors. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}
