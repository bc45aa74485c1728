/**
 * CSV downloads: UTF-8 with a byte-order mark (so Excel opens Japanese text correctly), a
 * header of column names, RFC 4180 quoting, written to a stream in chunks of rows.
 */
import { formatValue } from "../../cli/output.js";
import type { Filters } from "../filters/filters.js";

const BOM = "\uFEFF";
const ROWS_PER_CHUNK = 2000;

/** One CSV field: quoted when it holds a quote, comma, CR or LF (quotes doubled). */
export function csvField(value: unknown): string {
  const text = formatValue(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** The CSV as a byte stream, produced chunk by chunk as the client reads it. */
export function csvStream(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + csvLine(columns)));
    },
    pull(controller) {
      if (next >= rows.length) {
        controller.close();
        return;
      }
      const end = Math.min(rows.length, next + ROWS_PER_CHUNK);
      let text = "";
      for (let i = next; i < end; i++) text += csvLine(columns.map((c) => rows[i]![c]));
      next = end;
      controller.enqueue(encoder.encode(text));
    },
  });
}

/**
 * The CSV of a large table, read page by page (`nextPage()` returns [] at the end), so neither
 * the rows nor the text are ever held whole. `done()` runs when the stream ends or is cancelled.
 */
export function pagedCsvStream(
  columns: readonly string[],
  nextPage: () => Promise<readonly Record<string, unknown>[]>,
  done: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let finished = false;
  const finish = () => {
    if (!finished) {
      finished = true;
      done();
    }
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + csvLine(columns)));
    },
    async pull(controller) {
      try {
        const rows = await nextPage();
        if (rows.length === 0) {
          finish();
          controller.close();
          return;
        }
        let text = "";
        for (const row of rows) text += csvLine(columns.map((c) => row[c]));
        controller.enqueue(encoder.encode(text));
      } catch (err) {
        finish();
        controller.error(err);
      }
    },
    cancel() {
      finish();
    },
  });
}

/** e.g. `moveins_weekly_2026-01-01_2026-01-31.csv` (`all` for an open end). */
export function csvFileName(page: string, table: string, filters: Filters, asOf: string | null): string {
  const to = filters.to ?? asOf ?? "all";
  return `${page}_${table}_${filters.from ?? "all"}_${to}.csv`;
}
