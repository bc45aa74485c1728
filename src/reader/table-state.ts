import type { BufferPool } from "./buffer-pool.js";
import type { ByteArena } from "./byte-arena.js";
import { ColumnSink } from "./column-sink.js";
import type { TableReadStats, TableSchema } from "./types.js";
import { valueDecoder, type ValueDecoder } from "./value-decoder.js";

/** What the reader keeps per table it loads: schema, one decoder per column, counters. */
export interface TableState {
  schema: TableSchema;
  decoders: ValueDecoder[];
  stats: TableReadStats;
  /** Lower-cased column name -> position, for INSERTs with a column list. */
  columnIndex: Map<string, number>;
  /** Columnar mode: where `decoders` write the values (they return only NULL or a placeholder). */
  sink?: ColumnSink;
}

/**
 * Builds the per-table state; zero dates are counted into `stats.zeroDatesByColumn`. With an
 * arena, text is kept as bytes and byte values are packed into it (see valueDecoder). With a
 * batch capacity (columnar mode), values are written into a ColumnSink of that many rows.
 */
export function tableState(
  schema: TableSchema,
  arena?: ByteArena,
  columnarRows?: number,
  pool?: BufferPool,
): TableState {
  const stats: TableReadStats = { rows: 0, zeroDatesByColumn: {} };
  const zero = stats.zeroDatesByColumn;
  const decoders = schema.columns.map((column) =>
    valueDecoder(
      column,
      () => {
        zero[column.name] = (zero[column.name] ?? 0) + 1;
      },
      arena,
    ),
  );
  const columnIndex = new Map(schema.columns.map((c, i) => [c.name.toLowerCase(), i]));
  if (columnarRows === undefined) return { schema, decoders, stats, columnIndex };
  const sink = new ColumnSink(schema, decoders, columnarRows, pool);
  return { schema, decoders: sink.writers, stats, columnIndex, sink };
}
