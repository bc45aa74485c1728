import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { resolveSettings } from "./settings.js";

const dir = mkdtempSync(path.join(tmpdir(), "tb-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe("settings", () => {
  it("uses defaults when nothing is given", () => {
    const r = resolveSettings({ env: {} });
    expect(r.values.dumpPrefix).toBe("gghouse");
    expect(r.values.maxDumpStaleDays).toBe(0);
    expect(r.origins.store).toBe("default");
  });

  it("applies flag > environment > file > default", () => {
    const config = file(
      "c.yaml",
      "store: /from/file\nwarehouse: /file/wh\ndump_prefix: filep\nexpected_source:\n  host: filehost\n",
    );
    const env = { TOKYOBETA_STORE: "/from/env", TOKYOBETA_WAREHOUSE: "/env/wh" };
    const r = resolveSettings({ env, configFile: config, flags: { store: "/from/flag" } });
    expect(r.values.store).toBe("/from/flag");
    expect(r.origins.store).toBe("flag");
    expect(r.values.warehouse).toBe("/env/wh");
    expect(r.origins.warehouse).toBe("env");
    expect(r.values.dumpPrefix).toBe("filep");
    expect(r.values.expectedSourceHost).toBe("filehost");
    expect(r.origins.expectedSourceHost).toBe("file");
  });

  it("reads JSON config files and TOKYOBETA_CONFIG", () => {
    const config = file(
      "c.json",
      JSON.stringify({ daily: { max_dump_stale_days: 2 }, s3: { force_path_style: true } }),
    );
    const r = resolveSettings({ env: { TOKYOBETA_CONFIG: config } });
    expect(r.values.maxDumpStaleDays).toBe(2);
    expect(r.values.s3ForcePathStyle).toBe(true);
  });

  it("resolves folders in a config file relative to the file, leaving URLs alone", () => {
    const config = file("rel.yaml", "store: .\nwarehouse: ./wh\n");
    const r = resolveSettings({ env: {}, configFile: config });
    expect(r.values.store).toBe(dir);
    expect(r.values.warehouse).toBe(path.join(dir, "wh"));
    const s3 = file("s3.yaml", "store: s3://bucket/prefix\n");
    expect(resolveSettings({ env: {}, configFile: s3 }).values.store).toBe("s3://bucket/prefix");
  });

  it("parses environment values into numbers and booleans", () => {
    const r = resolveSettings({
      env: { DAILY_MAX_DUMP_STALE_DAYS: "3", TOKYOBETA_S3_FORCE_PATH_STYLE: "yes" },
    });
    expect(r.values.maxDumpStaleDays).toBe(3);
    expect(r.values.s3ForcePathStyle).toBe(true);
  });

  it("names the file and setting of a bad value, an unknown key or a broken file", () => {
    const bad = file("bad.yaml", "daily:\n  max_dump_stale_days: -1\n");
    expect(() => resolveSettings({ env: {}, configFile: bad })).toThrow(
      /bad\.yaml: 'daily\.max_dump_stale_days': invalid value -1/,
    );
    const unknown = file("unknown.yaml", "stor: x\n");
    expect(() => resolveSettings({ env: {}, configFile: unknown })).toThrow(/unknown setting 'stor'/);
    const broken = file("broken.json", "{ nope");
    expect(() => resolveSettings({ env: {}, configFile: broken })).toThrow(ConfigError);
    expect(() => resolveSettings({ env: {}, configFile: path.join(dir, "missing.yaml") })).toThrow(
      /does not exist/,
    );
    expect(() => resolveSettings({ env: { DAILY_TARGET_DATE: "31/01/2026" } })).toThrow(/DAILY_TARGET_DATE/);
  });
});
