/**
 * `tokyobeta dumps ...`: what is in the dump store and whether each date may be loaded.
 *
 *   dumps list [--from D] [--to D] [--json] [--no-checksum]    every date, valid or rejected with every reason
 *   dumps verify DATE [--json] [--no-checksum]                 full check of one date; exit 1 when rejected
 *   dumps select [--date D] [--max-stale-days N] [--json]      the dump a daily run would load; exit 1 when none
 *   dumps quarantine DATE --reason CODE [--json]               move a date's dump aside, never deleting it
 *
 * Each command is a function taking its options and an output sink, so tests run them in
 * process; `registerDumpsCommand` wires them to commander through `action`.
 */
import type { Command } from "commander";
import { withCommonOptions, settingsFrom, type CommonOptions } from "../common.js";
import { action, jsonReplacer, render, type Row } from "../output.js";
import type { SettingName } from "../../config/settings.js";
import { ChecksumCache } from "../../store/checksum-cache.js";
import { requireBusinessDate, todayInTokyo } from "../../store/dates.js";
import type { DumpStore } from "../../store/dump-store.js";
import {
  evaluateCandidate,
  prepareCandidateChecks,
  type CandidateEvaluation,
} from "../../store/evaluate-candidate.js";
import type { ExpectedSource } from "../../store/expected-source.js";
import { listDumpStatuses } from "../../store/list-dump-statuses.js";
import { openStore } from "../../store/open-store.js";
import { quarantineDump } from "../../store/quarantine-dump.js";
import { selectDumpCandidate } from "../../store/select-dump-candidate.js";
import { baseName } from "../../store/store-layout.js";

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface OutputOptions {
  json?: boolean;
  /** `--no-checksum` sets this to false. */
  checksum?: boolean;
}

export type DumpsListOptions = CommonOptions & OutputOptions & { from?: string; to?: string };
export type DumpsVerifyOptions = CommonOptions & OutputOptions;
export type DumpsSelectOptions = CommonOptions & OutputOptions & { date?: string; maxStaleDays?: string };
export type DumpsQuarantineOptions = CommonOptions & { reason: string; json?: boolean };

function open(opts: CommonOptions, extraFlags: Partial<Record<SettingName, unknown>> = {}) {
  const settings = settingsFrom(opts, extraFlags).values;
  return { settings, store: openStore(settings) };
}

function noteSource(io: CommandIO, store: DumpStore, source: ExpectedSource): void {
  io.err(`store ${store.location}; expected source ${source.host} / ${source.database} ${source.note}`);
}

function checksumLabel(e: CandidateEvaluation): string {
  if (e.checksum === "verified" && e.checksumFromCache) return "verified (cached)";
  return e.checksum === "not_checked" ? "-" : e.checksum;
}

/** One table row per date: verdict, dump, checksum, every reason (and warnings). */
function summaryRow(e: CandidateEvaluation): Row {
  return {
    date: e.date,
    status: e.valid ? "valid" : "rejected",
    dump: e.dumpKey ? baseName(e.dumpKey) : "",
    checksum: checksumLabel(e),
    reasons: [...e.rejections.map((r) => r.message), ...e.warnings.map((w) => `(warning) ${w}`)].join("; "),
  };
}

/** The JSON form of an evaluation (snake_case, every detail of every reason). */
function jsonRow(e: CandidateEvaluation): Row {
  return {
    date: e.date,
    status: e.valid ? "valid" : "rejected",
    dump_key: e.dumpKey ?? null,
    dump_bytes: e.dumpBytes ?? null,
    manifest_key: e.manifestKey ?? null,
    run_id: e.manifest?.run_id ?? null,
    sha256: e.sha256 ?? null,
    checksum: e.checksum,
    checksum_from_cache: e.checksumFromCache ?? false,
    rejections: e.rejections,
    warnings: e.warnings,
  };
}

export async function dumpsList(opts: DumpsListOptions, io: CommandIO = processIO): Promise<number> {
  const { settings, store } = open(opts);
  const list = await listDumpStatuses(store, settings, {
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    checksum: opts.checksum === false ? "skip" : "cached",
    cache: new ChecksumCache(),
  });
  noteSource(io, store, list.expectedSource);
  if (list.dates.length === 0) {
    if (!opts.json) io.out(`(no dumps or manifests in ${store.location})`);
    return 0;
  }
  io.out(opts.json ? render(list.dates.map(jsonRow), "json") : render(list.dates.map(summaryRow), "table"));
  return 0;
}

function describeEvaluation(e: CandidateEvaluation, location: string): string {
  const lines = [`${e.date}: ${e.valid ? "valid" : "rejected"} (store ${location})`];
  if (e.dumpKey) lines.push(`  dump      ${e.dumpKey} (${e.dumpBytes} bytes)`);
  if (e.manifestKey)
    lines.push(`  manifest  ${e.manifestKey}${e.manifest ? ` (run ${e.manifest.run_id})` : ""}`);
  lines.push(`  sha256    ${e.sha256 ?? "-"} (checksum ${checksumLabel(e)})`);
  for (const r of e.rejections)
    if (r.code === "checksum_mismatch") lines.push(`  expected  ${r.expected} (manifest)`);
  for (const w of e.warnings) lines.push(`  warning   ${w}`);
  if (e.rejections.length > 0) {
    lines.push(
      "",
      render(
        e.rejections.map((r) => ({ reason: r.code, detail: r.message })),
        "table",
      ),
    );
  }
  return lines.join("\n");
}

export async function dumpsVerify(
  date: string,
  opts: DumpsVerifyOptions,
  io: CommandIO = processIO,
): Promise<number> {
  requireBusinessDate(date);
  const { settings, store } = open(opts);
  const cache = new ChecksumCache();
  const checks = await prepareCandidateChecks(store, settings, { onlyDate: date, cache });
  noteSource(io, store, checks.expectedSource);
  const e = await evaluateCandidate(checks, date, { checksum: opts.checksum === false ? "skip" : "verify" });
  await cache.save();
  io.out(opts.json ? JSON.stringify(jsonRow(e), jsonReplacer) : describeEvaluation(e, store.location));
  return e.valid ? 0 : 1;
}

export async function dumpsSelect(opts: DumpsSelectOptions, io: CommandIO = processIO): Promise<number> {
  const { settings, store } = open(opts, { targetDate: opts.date, maxDumpStaleDays: opts.maxStaleDays });
  const targetDate = settings.targetDate ?? todayInTokyo();
  const sel = await selectDumpCandidate(store, targetDate, settings, {
    checksum: opts.checksum === false ? "skip" : "verify",
    cache: new ChecksumCache(),
  });
  noteSource(io, store, sel.expectedSource);
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          target_date: sel.targetDate,
          max_dump_stale_days: sel.maxStaleDays,
          chosen: sel.chosen ? jsonRow(sel.chosen) : null,
          rejected: sel.rejected.map(jsonRow),
        },
        jsonReplacer,
      ),
    );
  } else {
    const head = sel.chosen
      ? `target ${sel.targetDate}: use ${sel.chosen.dumpKey} (dated ${sel.chosen.date}, sha256 ${sel.chosen.sha256 ?? "not read"})`
      : `target ${sel.targetDate}: no valid dump within ${sel.maxStaleDays} day(s)`;
    io.out(head);
    if (sel.rejected.length > 0) io.out(`rejected:\n${render(sel.rejected.map(summaryRow), "table")}`);
  }
  return sel.chosen ? 0 : 1;
}

export async function dumpsQuarantine(
  date: string,
  opts: DumpsQuarantineOptions,
  io: CommandIO = processIO,
): Promise<number> {
  requireBusinessDate(date);
  const { settings, store } = open(opts);
  const r = await quarantineDump(store, date, opts.reason, { prefix: settings.dumpPrefix });
  if (opts.json) {
    io.out(JSON.stringify({ store: store.location, ...r }));
    return 0;
  }
  const lines = [`${date} quarantined as ${r.reason} in ${store.location}`];
  for (const m of r.moved) lines.push(`  moved  ${m.from} -> ${m.to}`);
  for (const w of r.written)
    lines.push(`  wrote  ${w} (valid_for_etl false, invalid_reason "quarantined: ${r.reason}")`);
  if (r.moved.length === 0)
    lines.push(`  nothing to move: no dump or manifest for ${date} outside quarantine`);
  lines.push(`  index  ${r.indexKey} ${r.indexUpdated ? "updated" : "already listed this date and reason"}`);
  io.out(lines.join("\n"));
  return 0;
}

export function registerDumpsCommand(program: Command): void {
  const dumps = program.command("dumps").description("dumps in the store: list, verify, select, quarantine");

  withCommonOptions(
    dumps.command("list").description("every date with its verdict (valid, or rejected with every reason)"),
  )
    .option("--from <date>", "first date (default: the first date in the store)")
    .option("--to <date>", "last date (default: the last date in the store)")
    .option("--json", "one JSON object per date")
    .option("--no-checksum", "skip reading dumps to check their sha256")
    .action(action((opts: DumpsListOptions) => dumpsList(opts)));

  withCommonOptions(
    dumps
      .command("verify <date>")
      .description("check one date fully, reading the dump; exit 1 when rejected"),
  )
    .option("--json", "one JSON object")
    .option("--no-checksum", "skip reading the dump to check its sha256")
    .action(action((date: string, opts: DumpsVerifyOptions) => dumpsVerify(date, opts)));

  withCommonOptions(
    dumps
      .command("select")
      .description("the dump a daily run would load for the target date; exit 1 when none is valid"),
  )
    .option("--date <date>", "target business date (DAILY_TARGET_DATE; default today in Asia/Tokyo)")
    .option(
      "--max-stale-days <n>",
      "how much older than the target the dump may be (DAILY_MAX_DUMP_STALE_DAYS)",
    )
    .option("--json", "one JSON object")
    .option("--no-checksum", "skip reading dumps to check their sha256")
    .action(action((opts: DumpsSelectOptions) => dumpsSelect(opts)));

  withCommonOptions(
    dumps
      .command("quarantine <date>")
      .description(
        "move a date's dump and manifest to quarantine/<CODE>/<date>/ and list the date as quarantined",
      ),
  )
    .requiredOption("--reason <code>", "reason code, e.g. bad_dump, source_drift")
    .option("--json", "one JSON object")
    .action(action((date: string, opts: DumpsQuarantineOptions) => dumpsQuarantine(date, opts)));
}
