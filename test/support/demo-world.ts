/**
 * A small demo world for tests, written into a folder: plain SQL dumps, no incidents and tiny
 * auxiliary tables unless a test asks otherwise; settings for any warehouse read its config.
 */
import path from "node:path";
import { parseBusinessDate } from "../../src/calendar/business-date.js";
import { resolveSettings, type Settings } from "../../src/config/settings.js";
import { generateDemoWorld, type GenerateOptions, type GenerateResult } from "../../src/demo/generate.js";

export interface TestWorldOptions extends Partial<Omit<GenerateOptions, "out" | "from" | "to">> {
  from: string;
  to: string;
  scale: number;
  seed: number;
}

export interface TestWorld {
  generated: GenerateResult;
  /** The world's config file (store and expected source). */
  configFile: string;
  /** Settings from the world's config file, with `warehouse` as the warehouse location. */
  settingsFor(warehouse: string): Settings;
}

export async function generateTestWorld(out: string, options: TestWorldOptions): Promise<TestWorld> {
  const generated = await generateDemoWorld({
    gzip: false,
    incidents: false,
    auxMb: 0.02,
    ...options,
    out,
    from: parseBusinessDate(options.from),
    to: parseBusinessDate(options.to),
  });
  const configFile = path.join(out, "tokyobeta.yaml");
  return {
    generated,
    configFile,
    settingsFor: (warehouse) => resolveSettings({ env: {}, configFile, flags: { warehouse } }).values,
  };
}
