/**
 * After a successful load the dump is archived to `processed/`: the dump and its manifest are
 * copied (the originals stay where they are) and a small tag object
 * `processed/<dump file>.processed.json` records when and by which run. The same tag file is
 * used on folders and on S3 (rather than S3 object tags) so both stores look alike.
 */
import { requireBusinessDate } from "./dates.js";
import type { DumpStore } from "./dump-store.js";
import { StoreError } from "./store-error.js";
import { baseName, dumpKeys, manifestKey, PROCESSED_DIR } from "./store-layout.js";

export interface ArchiveOptions {
  prefix: string;
  runId?: string;
  sha256?: string;
  now?: Date;
}

export interface ArchiveResult {
  date: string;
  copied: { from: string; to: string }[];
  tagKey: string;
}

export async function archiveProcessedDump(
  store: DumpStore,
  date: string,
  options: ArchiveOptions,
): Promise<ArchiveResult> {
  requireBusinessDate(date);
  const keys = dumpKeys(options.prefix, date);
  const dumps: string[] = [];
  for (const k of [keys.gz, keys.sql]) if (await store.stat(k)) dumps.push(k);
  if (dumps.length === 0)
    throw new StoreError(`cannot archive ${date}: no dump ${keys.sql}[.gz] in ${store.location}`);
  const copies = dumps.map((k) => ({ from: k, to: `${PROCESSED_DIR}/${baseName(k)}` }));
  const mKey = manifestKey(options.prefix, date);
  if (await store.stat(mKey)) copies.push({ from: mKey, to: `${PROCESSED_DIR}/${baseName(mKey)}` });
  for (const c of copies) await store.copy(c.from, c.to);
  const tagKey = `${PROCESSED_DIR}/${baseName(dumps[0]!)}.processed.json`;
  const tag = {
    date,
    dump_key: dumps[0],
    processed_at: (options.now ?? new Date()).toISOString(),
    ...(options.runId ? { run_id: options.runId } : {}),
    ...(options.sha256 ? { dump_sha256: options.sha256 } : {}),
  };
  await store.put(tagKey, `${JSON.stringify(tag, null, 2)}\n`);
  return { date, copied: copies, tagKey };
}
