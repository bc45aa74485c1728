/**
 * The optional resolver for nationalities nothing else resolved: an OpenAI-compatible chat
 * completions endpoint (POST {url}/chat/completions with a model and messages, bearer key).
 * Its answer counts only when it is a valid ISO 3166-1 alpha-2 code of the dataset;
 * anything else is ignored. Transport failures (endpoint down, timeout, HTTP error) throw an
 * LlmUnavailableError, which the enrichment run records as a warning and never lets block.
 */
import { TokyobetaError } from "../errors.js";
import { countryOf } from "./country-directory.js";

export interface LlmSettings {
  /** Base URL, e.g. http://127.0.0.1:8080/v1 (the resolver appends /chat/completions). */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export interface LlmAnswer {
  /** The validated alpha-2 code, or null when the answer was not one. */
  code: string | null;
  /** The answer as given (trimmed, cut to 80 characters), for warnings. */
  answer: string;
}

export interface NationalityResolver {
  readonly model: string;
  resolve(raw: string): Promise<LlmAnswer>;
}

export class LlmUnavailableError extends TokyobetaError {}

const SYSTEM_PROMPT =
  "You map the nationality a staff member typed into a Japanese property-management system " +
  "(any language, abbreviations, typos) to an ISO 3166-1 alpha-2 country code. Answer with the " +
  "two-letter code only, or UNKNOWN when the text does not name one country.";

/** The answer text -> a valid alpha-2 code or null (strict: the whole answer must be the code). */
export function parseLlmAnswer(answer: string): string | null {
  const t = answer
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, "")
    .trim();
  if (!/^[A-Za-z]{2}$/.test(t)) return null;
  return countryOf(t)?.code ?? null;
}

export function createLlmResolver(settings: LlmSettings): NationalityResolver {
  const endpoint = `${settings.url.replace(/\/+$/, "")}/chat/completions`;
  const timeoutMs = settings.timeoutMs ?? 5000;
  return {
    model: settings.model,
    async resolve(raw: string): Promise<LlmAnswer> {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: settings.model,
            temperature: 0,
            max_tokens: 8,
            messages: [
              { role: "system", content: SYSTEM_PROMPT },
              { role: "user", content: raw },
            ],
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : e.message;
        throw new LlmUnavailableError(`LLM endpoint ${endpoint}: ${why}`, { cause: err });
      }
      if (!response.ok) {
        throw new LlmUnavailableError(`LLM endpoint ${endpoint}: HTTP ${response.status}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return { code: null, answer: "(not JSON)" };
      }
      const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message
        ?.content;
      const answer = typeof content === "string" ? content.trim().slice(0, 80) : "(no message content)";
      return { code: typeof content === "string" ? parseLlmAnswer(content) : null, answer };
    },
  };
}
