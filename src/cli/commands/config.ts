import type { Command } from "commander";
import { SETTINGS, type SettingName } from "../../config/settings.js";
import { withCommonOptions, settingsFrom, type CommonOptions } from "../common.js";
import { action, render } from "../output.js";

function displayValue(name: SettingName, value: unknown): unknown {
  const spec: { secret?: boolean } = SETTINGS[name];
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0))
    return "";
  return spec.secret ? "***" : value;
}

export function registerConfigCommand(program: Command): void {
  withCommonOptions(
    program.command("config").description("show every setting, its value and where it came from"),
  )
    .option("--json", "one JSON object per setting")
    .action(
      action(async (opts: CommonOptions & { json?: boolean }) => {
        const resolved = settingsFrom(opts);
        const rows = (Object.keys(SETTINGS) as SettingName[]).map((name) => ({
          setting: SETTINGS[name].file,
          env: SETTINGS[name].env,
          value: displayValue(name, resolved.values[name]),
          source: resolved.origins[name],
        }));
        console.log(render(rows, opts.json ? "json" : "table"));
      }),
    );
}
