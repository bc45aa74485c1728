/**
 * Backups and rollback:
 *
 *   states [--json] [--history]              kept warehouse states, the current one marked
 *   rollback ID --reason TEXT [--by NAME]    make a kept state current in one step, recorded
 *
 * Functions take their options and an output sink so tests run them in process.
 */
import { hostname, userInfo } from "node:os";
import type { Command } from "commander";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import type { StateInfo } from "../../warehouse/warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface StatesOptions extends CommonOptions {
  json?: boolean;
  history?: boolean;
}

export interface RollbackOptions extends CommonOptions {
  reason: string;
  by?: string;
  json?: boolean;
}

async function open(opts: CommonOptions) {
  const settings = settingsFrom(opts).values;
  return openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function listStates(opts: StatesOptions, io: CommandIO = processIO): Promise<number> {
  const warehouse = await open(opts);
  if (opts.history) {
    const events = await warehouse.history();
    if (opts.json) {
      for (const e of events) io.out(JSON.stringify(e, jsonReplacer));
    } else {
      io.out(
        render(
          events.map(({ event, at, ...rest }) => ({ at, event, details: JSON.stringify(rest) })),
          "table",
        ),
      );
    }
    return 0;
  }
  const states = await warehouse.listStates();
  if (opts.json) {
    for (const s of states) io.out(JSON.stringify(s, jsonReplacer));
    return 0;
  }
  if (states.length === 0) {
    io.out(`no published states in ${warehouse.location}`);
    return 0;
  }
  const rows = states.map((s: StateInfo) => ({
    "": s.current ? "*" : "",
    id: s.id,
    published: s.publishedAt,
    "current since": s.currentSince,
    label: s.label ?? "",
    run: s.run ?? "",
    size: megabytes(s.sizeBytes),
  }));
  io.out(render(rows, "table"));
  io.err(
    `${states.length} kept state${states.length === 1 ? "" : "s"} in ${warehouse.location}; * = current`,
  );
  return 0;
}

export async function rollbackState(
  id: string,
  opts: RollbackOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const warehouse = await open(opts);
  const before = await warehouse.publishedStateId();
  const by = opts.by ?? `${userInfo().username}@${hostname()}`;
  const state = await warehouse.rollback(id, { by, reason: opts.reason });
  if (opts.json) {
    io.out(JSON.stringify({ current: state.id, previous: before, by, reason: opts.reason }, jsonReplacer));
  } else {
    io.out(`current state is now ${state.id} (published ${state.publishedAt}); was ${before ?? "none"}`);
  }
  return 0;
}

export function registerStatesCommand(program: Command): void {
  withCommonOptions(
    program.command("states").description("kept warehouse states (backups); * marks the current one"),
  )
    .option("--json", "one JSON object per state")
    .option("--history", "the warehouse history instead: publishes, rollbacks, removals, lock takeovers")
    .action(action((opts: StatesOptions) => listStates(opts)));

  withCommonOptions(
    program
      .command("rollback <id>")
      .description("make a kept older state current in one step (recorded with who and why)"),
  )
    .requiredOption("--reason <text>", "why (recorded)")
    .option("--by <name>", "who (recorded; default user@host)")
    .option("--json", "one JSON object")
    .action(action((id: string, opts: RollbackOptions) => rollbackState(id, opts)));
}
