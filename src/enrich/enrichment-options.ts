/** Enrichment options from settings: the overrides file(s) and the optional LLM resolver (off by default). */
import type { Settings } from "../config/settings.js";
import { createLlmResolver, type NationalityResolver } from "./llm-resolver.js";
import { readEnrichmentOverrides } from "./read-enrichment-overrides.js";
import type { EnrichmentOptions } from "./run-enrichment.js";

type EnrichSettings = Pick<
  Settings,
  "enrichOverrides" | "enrichLlmUrl" | "enrichLlmModel" | "enrichLlmApiKey" | "enrichLlmTimeoutMs"
>;

/** The LLM resolver the settings configure, or undefined when no URL and model are set. */
export function llmResolverFrom(settings: EnrichSettings): NationalityResolver | undefined {
  if (!settings.enrichLlmUrl || !settings.enrichLlmModel) return undefined;
  return createLlmResolver({
    url: settings.enrichLlmUrl,
    model: settings.enrichLlmModel,
    apiKey: settings.enrichLlmApiKey,
    timeoutMs: settings.enrichLlmTimeoutMs,
  });
}

export function enrichmentOptionsFrom(settings: EnrichSettings): EnrichmentOptions {
  const options: EnrichmentOptions = { overrides: readEnrichmentOverrides(settings.enrichOverrides) };
  const llm = llmResolverFrom(settings);
  if (llm) options.llm = llm;
  return options;
}
