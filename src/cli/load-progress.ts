/**
 * Load progress for people: a bar (bytes, MB/s, current table, ETA) on a terminal, a plain
 * line every 10 % otherwise (logs, CI), and the load report table at the end.
 */
import cliProgress from "cli-progress";
import type { IngestResult, ProgressHandler } from "../pipeline/ingest.js";
import { render } from "./output.js";

export interface LoadProgressView {
  onProgress: ProgressHandler;
  stop(): void;
}

export function createLoadProgress(stream: NodeJS.WriteStream = process.stderr): LoadProgressView {
  const started = performance.now();
  const rate = (bytes: number) =>
    (bytes / 1e6 / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(0);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "loading [{bar}] {percentage}% | {mb}/{totalMb} MB | {rate} MB/s | {table} | ETA {eta}s",
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (p) => {
        const payload = {
          mb: (p.bytesRead / 1e6).toFixed(0),
          totalMb: (p.totalBytes / 1e6).toFixed(0),
          rate: rate(p.bytesRead),
          table: p.table ?? "",
        };
        if (!started) {
          bar.start(Math.max(1, p.totalBytes), p.bytesRead, payload);
          started = true;
        } else bar.update(p.bytesRead, payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  let nextTenth = 1;
  return {
    onProgress: (p) => {
      if (p.totalBytes <= 0 || p.bytesRead < (p.totalBytes * nextTenth) / 10) return;
      nextTenth = Math.floor((p.bytesRead / p.totalBytes) * 10) + 1;
      stream.write(
        `loading: ${((100 * p.bytesRead) / p.totalBytes).toFixed(0)}% (${(p.bytesRead / 1e6).toFixed(0)} MB, ${rate(p.bytesRead)} MB/s, table ${p.table ?? "-"})\n`,
      );
    },
    stop: () => undefined,
  };
}

/** The load report: one line per table, then totals and the published state. */
export function renderLoadReport(result: IngestResult): string {
  const { load } = result;
  const rows = load.tables.map((t) => ({
    table: t.table,
    rows: t.rows,
    zero_dates:
      t.zeroDates === 0
        ? ""
        : Object.entries(t.zeroDatesByColumn)
            .map(([c, n]) => `${c}:${n}`)
            .join(" "),
  }));
  const totalRows = load.tables.reduce((s, t) => s + t.rows, 0);
  const lines = [
    render(rows, "table"),
    "",
    `${load.tables.length} tables, ${totalRows} rows, ${(load.storedBytes / 1e6).toFixed(1)} MB stored ` +
      `(${(load.sqlBytes / 1e6).toFixed(1)} MB SQL) in ${load.seconds.toFixed(1)} s ` +
      `(${(load.sqlBytes / 1e6 / Math.max(load.seconds, 0.001)).toFixed(0)} MB/s)`,
    `sha256 ${load.sha256}`,
  ];
  if (load.skipped.length)
    lines.push(`skipped: ${load.skipped.map((s) => `${s.kind} ${s.name}`).join(", ")}`);
  if (result.slices) {
    lines.push(
      `snapshot ${result.slices.snapshotDate}: ${result.slices.tenantRows} tenant-room pairs, ${result.slices.roomRows} rooms`,
    );
  }
  lines.push(`published state ${result.state.id}`);
  return lines.join("\n");
}
