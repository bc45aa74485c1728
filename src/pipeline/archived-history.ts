/**
 * The archived part of the snapshot histories, as the models see it: for each history table
 * `staging.<history>` a view `tokyobeta_meta.<history>_archived` holding the rows that
 * `tokyobeta archive snapshots` moved to Parquet. The silver snapshot models read
 * `staging.<history> UNION ALL tokyobeta_meta.<history>_archived`, so archiving changes no
 * model result. Until something is archived the view is empty (created with the history).
 *
 * The views live in tokyobeta_meta because a staging load drops every staging object it did
 * not load except the histories themselves.
 */
import type { StateWriter } from "../warehouse/warehouse.js";
import { qualifiedName } from "../warehouse/quote-identifier.js";

export const ARCHIVE_META_SCHEMA = "tokyobeta_meta";

/** `tokyobeta_meta.<history>_archived`, the view name of one history's archived rows. */
export function archivedViewName(history: string): string {
  return `${history}_archived`;
}

/** Creates the empty archived-rows view of each history that lacks one (engine-neutral SQL). */
export async function ensureArchivedHistoryViews(
  writer: StateWriter,
  histories: readonly string[],
): Promise<void> {
  await writer.createSchema(ARCHIVE_META_SCHEMA);
  const present = new Set((await writer.listTables(ARCHIVE_META_SCHEMA)).map((t) => t.name));
  for (const history of histories) {
    if (present.has(archivedViewName(history))) continue;
    await writer.exec(
      `CREATE VIEW ${qualifiedName(ARCHIVE_META_SCHEMA, archivedViewName(history))} AS ` +
        `SELECT * FROM ${qualifiedName("staging", history)} WHERE 1 = 0`,
    );
  }
}
