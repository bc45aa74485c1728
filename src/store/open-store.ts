import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Settings } from "../config/settings.js";
import { ConfigError } from "../errors.js";
import type { DumpStore } from "./dump-store.js";
import { LocalDumpStore } from "./local-dump-store.js";
import { S3DumpStore } from "./s3-dump-store.js";

export type StoreSettings = Pick<Settings, "store" | "s3Endpoint" | "s3Region" | "s3ForcePathStyle">;

/** The store named by the `store` setting: `s3://bucket/prefix` or a local folder (which must exist). */
export function openStore(settings: StoreSettings): DumpStore {
  if (settings.store.startsWith("s3://")) {
    return new S3DumpStore({
      url: settings.store,
      endpoint: settings.s3Endpoint,
      region: settings.s3Region,
      forcePathStyle: settings.s3ForcePathStyle,
    });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(settings.store)) {
    throw new ConfigError(`store '${settings.store}': only folders and s3://bucket/prefix are supported`);
  }
  const root = path.resolve(settings.store);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError(
      `store folder ${root} does not exist (set 'store' in the config file, TOKYOBETA_STORE or --store)`,
    );
  }
  return new LocalDumpStore(root);
}
