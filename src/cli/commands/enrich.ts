/**
 * Enrichment commands (src/enrich/):
 *
 *   enrich nationality TEXT... [--json]           how each text normalises (code, names, method, confidence)
 *   enrich address TEXT... [--prefecture P] [--json]   how each address resolves
 *   enrich review [--json]                        unresolved and low-confidence values with their counts (published state)
 *   enrich run [--refresh] [--json]               run the enrichment on a new state and publish it; prints coverage
 *
 * The overrides file and the optional LLM resolver come from settings (enrich.*). Functions
 * take their options and an output sink so tests run them in process.
 */
import type { Command } from "commander";
import { llmResolverFrom } from "../../enrich/enrichment-options.js";
import { formatCoverage } from "../../enrich/municipality-coverage.js";
import { normaliseAddress } from "../../enrich/normalise-address.js";
import { normaliseNationality } from "../../enrich/normalise-nationality.js";
import { readEnrichmentOverrides } from "../../enrich/read-enrichment-overrides.js";
import { reviewEnrichment } from "../../enrich/review-enrichment.js";
import { runEnrichment } from "../../enrich/run-enrichment.js";
import { openWarehouse } from "../../warehouse/open-warehouse.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, jsonReplacer, processIO, render, type CommandIO } from "../output.js";

export interface EnrichOptions extends CommonOptions {
  json?: boolean;
  prefecture?: string;
  refresh?: boolean;
}

function printRows(rows: Record<string, unknown>[], opts: EnrichOptions, io: CommandIO): void {
  if (opts.json) for (const r of rows) io.out(JSON.stringify(r, jsonReplacer));
  else io.out(render(rows, "table"));
}

export async function enrichNationality(
  texts: string[],
  opts: EnrichOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const overrides = readEnrichmentOverrides(settingsFrom(opts).values.enrichOverrides);
  const rows = texts.map((raw) => {
    const m = normaliseNationality(raw, { overrides: overrides.nationality });
    return opts.json
      ? m
      : {
          raw,
          iso_code: m.isoCode,
          name_en: m.nameEn,
          name_ja: m.nameJa,
          method: m.method,
          confidence: m.confidence,
        };
  });
  printRows(rows as unknown as Record<string, unknown>[], opts, io);
  return 0;
}

export async function enrichAddress(
  texts: string[],
  opts: EnrichOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const overrides = readEnrichmentOverrides(settingsFrom(opts).values.enrichOverrides);
  const rows = texts.map((raw) => {
    const m = normaliseAddress(
      raw,
      { prefecture: opts.prefecture ?? null },
      { overrides: overrides.address },
    );
    return opts.json
      ? m
      : {
          raw,
          prefecture: m.prefecture,
          municipality: m.municipality,
          municipality_en: m.municipalityEn,
          kind: m.kind,
          method: m.method,
          confidence: m.confidence,
          latitude: m.latitude,
          longitude: m.longitude,
        };
  });
  printRows(rows as unknown as Record<string, unknown>[], opts, io);
  return 0;
}

export async function enrichReview(opts: EnrichOptions, io: CommandIO = processIO): Promise<number> {
  const settings = settingsFrom(opts).values;
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  try {
    const reader = await warehouse.openPublished();
    try {
      const items = await reviewEnrichment(reader);
      if (opts.json) {
        for (const i of items) io.out(JSON.stringify(i, jsonReplacer));
      } else if (items.length === 0) {
        io.out("nothing to review: every value resolved with confidence >= 0.8");
      } else {
        io.out(
          render(
            items.map((i) => ({
              kind: i.kind,
              raw: JSON.stringify(i.raw),
              hint: i.prefectureHint ?? "",
              resolved: i.resolved ?? "(unresolved)",
              method: i.method,
              confidence: i.confidence,
              count: i.count,
            })),
            "table",
          ),
        );
        io.err(
          `${items.length} value${items.length === 1 ? "" : "s"} to review (state ${reader.stateId}); fix them in the overrides file`,
        );
      }
    } finally {
      await reader.close();
    }
  } finally {
    await warehouse.close();
  }
  return 0;
}

export async function enrichRun(opts: EnrichOptions, io: CommandIO = processIO): Promise<number> {
  const settings = settingsFrom(opts).values;
  const overrides = readEnrichmentOverrides(settings.enrichOverrides);
  const llm = llmResolverFrom(settings);
  const warehouse = await openWarehouse(settings.warehouse, { keep: settings.keepGenerations });
  try {
    const writer = await warehouse.beginState({ label: "enrich run" });
    let report;
    try {
      report = await runEnrichment(writer, { overrides, llm, refresh: opts.refresh });
    } catch (err) {
      await writer.abandon(`enrich run failed: ${(err as Error).message}`);
      throw err;
    }
    const state = await writer.publish();
    if (opts.json) {
      io.out(JSON.stringify({ state: state.id, ...report }, jsonReplacer));
    } else {
      const n = report.nationality;
      const m = report.municipality;
      const by = (r: Record<string, number>) =>
        Object.entries(r)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "-";
      io.out(
        `nationality: ${n.seen} distinct values, ${n.new} normalised (${by(n.resolvedBy)}), ${n.overridden} overrides applied, ${n.unresolved} unresolved` +
          (llm ? `; LLM asked ${n.llmAsked}, resolved ${n.llmResolved}` : ""),
      );
      io.out(
        `addresses: ${m.seen} distinct values, ${m.new} normalised (${by(m.resolvedBy)}), ${m.overridden} overrides applied, ${m.unresolved} unresolved`,
      );
      for (const line of formatCoverage(report.coverage)) io.out(line);
      io.out(`published state ${state.id}`);
    }
    for (const w of report.warnings) io.err(`warning: ${w}`);
  } finally {
    await warehouse.close();
  }
  return 0;
}

export function registerEnrichCommand(program: Command): void {
  const enrich = program
    .command("enrich")
    .description("nationality and municipality normalisation: check mappings, review, run");
  withCommonOptions(
    enrich.command("nationality <text...>").description("how each text normalises to a country"),
  )
    .option("--json", "one JSON object per text")
    .action(action((texts: string[], opts: EnrichOptions) => enrichNationality(texts, opts)));
  withCommonOptions(
    enrich.command("address <text...>").description("how each address resolves to a municipality"),
  )
    .option("--prefecture <name>", "the PMS prefecture column, as a hint")
    .option("--json", "one JSON object per address")
    .action(action((texts: string[], opts: EnrichOptions) => enrichAddress(texts, opts)));
  withCommonOptions(
    enrich
      .command("review")
      .description("unresolved and low-confidence (< 0.8) values with their counts (published state)"),
  )
    .option("--json", "one JSON object per value")
    .action(action((opts: EnrichOptions) => enrichReview(opts)));
  withCommonOptions(
    enrich
      .command("run")
      .description("run the enrichment on a new state and publish it (after fixing overrides)"),
  )
    .option("--refresh", "re-normalise every cached value that is not an override")
    .option("--json", "the report as one JSON object")
    .action(action((opts: EnrichOptions) => enrichRun(opts)));
}
