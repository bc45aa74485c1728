/** The optional LLM resolver against a local OpenAI-compatible server: success, invalid answers, endpoint down. */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLlmResolver, LlmUnavailableError, parseLlmAnswer } from "./llm-resolver.js";
import { runEnrichment } from "./run-enrichment.js";
import { startFakeLlm, type FakeLlm } from "./testing/fake-llm-server.js";
import { tempWarehouse, writeStaging } from "./testing/staging-fixture.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fake(answer: (user: string) => string): Promise<FakeLlm> {
  const llm = await startFakeLlm(answer);
  cleanups.push(llm.close);
  return llm;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const ANSWERS: Record<string, string> = {
  Kosovar: "XK",
  Bharat: "in",
  Mars: "ZZ",
  Atlantis: "I think it is Greece (GR)",
};

describe("LLM resolver", () => {
  it("sends model, messages and the bearer key; accepts only valid ISO codes", async () => {
    const llm = await fake((u) => ANSWERS[u] ?? "UNKNOWN");
    const resolver = createLlmResolver({ url: llm.url, model: "test-model", apiKey: "sk-test" });
    expect(await resolver.resolve("Kosovar")).toEqual({ code: "XK", answer: "XK" });
    expect((await resolver.resolve("Bharat")).code).toBe("IN");
    expect((await resolver.resolve("Mars")).code).toBeNull();
    expect((await resolver.resolve("Atlantis")).code).toBeNull();
    expect(llm.requests[0]).toEqual({
      authorization: "Bearer sk-test",
      model: "test-model",
      user: "Kosovar",
    });
  });

  it("parses answers strictly", () => {
    expect(parseLlmAnswer(' "VN". ')).toBe("VN");
    expect(parseLlmAnswer("UNKNOWN")).toBeNull();
    expect(parseLlmAnswer("VNM")).toBeNull();
    expect(parseLlmAnswer("The answer is VN")).toBeNull();
  });

  it("throws LlmUnavailableError when the endpoint is down, fails or times out", async () => {
    const port = await closedPort();
    await expect(
      createLlmResolver({ url: `http://127.0.0.1:${port}/v1`, model: "m" }).resolve("x"),
    ).rejects.toThrow(LlmUnavailableError);
    const failing = await fake(() => "HTTP500");
    await expect(createLlmResolver({ url: failing.url, model: "m" }).resolve("x")).rejects.toThrow(
      /HTTP 500/,
    );
    const hanging = await fake(() => "HANG");
    const started = Date.now();
    await expect(
      createLlmResolver({ url: hanging.url, model: "m", timeoutMs: 200 }).resolve("x"),
    ).rejects.toThrow(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("runEnrichment with an LLM resolver", () => {
  const tenants = ["Japan", "Kosovar", "Mars", "不明", "-", "Atlantis"];

  async function runWith(resolverUrl: string, timeoutMs = 2000) {
    const t = await tempWarehouse();
    cleanups.push(t.dispose);
    const go = async (url: string | null) => {
      const writer = await t.warehouse.beginState();
      await writeStaging(writer, { tenants });
      const report = await runEnrichment(writer, {
        llm: url ? createLlmResolver({ url, model: "test-model", timeoutMs }) : undefined,
        now: () => new Date("2026-02-01T00:00:00Z"),
      });
      const rows = (
        await writer.query(
          "SELECT raw_text, iso_code, name_en, method, confidence, model FROM enrich.nationality_cache ORDER BY raw_text",
        )
      ).rows;
      await writer.publish();
      return { report, rows };
    };
    return { first: await go(resolverUrl), go };
  }

  it("caches valid answers with method 'llm' and the model; ignores invalid ones; never asks about blanks", async () => {
    const llm = await fake((u) => ANSWERS[u] ?? "UNKNOWN");
    const { first, go } = await runWith(llm.url);
    expect(llm.requests.map((r) => r.user).sort()).toEqual(["Atlantis", "Kosovar", "Mars"]);
    expect(first.report.nationality).toMatchObject({ llmAsked: 3, llmResolved: 1, unresolved: 4 });
    expect(first.rows.find((r) => r.raw_text === "Kosovar")).toMatchObject({
      iso_code: "XK",
      name_en: "Kosovo",
      method: "llm",
      confidence: 0.7,
      model: "test-model",
    });
    expect(first.rows.find((r) => r.raw_text === "Mars")).toMatchObject({
      iso_code: null,
      method: "unknown",
      model: "test-model",
    });
    expect(first.report.warnings.join("\n")).toMatch(/no valid ISO code for "Mars" \(answer: "ZZ"\)/);
    // Asked once: the next run does not ask again.
    const second = await go(llm.url);
    expect(second.report.nationality.llmAsked).toBe(0);
    expect(llm.requests.length).toBe(3);
  });

  it("does not block the run when the endpoint is down, and asks on the next run", async () => {
    const port = await closedPort();
    const started = Date.now();
    const { first, go } = await runWith(`http://127.0.0.1:${port}/v1`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(first.report.nationality).toMatchObject({ seen: 6, llmAsked: 0, llmResolved: 0 });
    const llmWarnings = first.report.warnings.filter((w) => w.includes("LLM"));
    expect(llmWarnings).toHaveLength(1);
    expect(llmWarnings[0]).toMatch(
      /LLM endpoint .* 3 unresolved values left unknown, asked again on the next run/,
    );
    expect(first.rows.find((r) => r.raw_text === "Japan")).toMatchObject({ iso_code: "JP", method: "exact" });
    expect(first.rows.find((r) => r.raw_text === "Kosovar")).toMatchObject({ iso_code: null, model: null });

    const llm = await fake((u) => ANSWERS[u] ?? "UNKNOWN");
    const second = await go(llm.url);
    expect(second.report.nationality).toMatchObject({ new: 0, llmAsked: 3, llmResolved: 1 });
    expect(second.rows.find((r) => r.raw_text === "Kosovar")).toMatchObject({
      iso_code: "XK",
      method: "llm",
    });
  });

  it("does not block the run when the endpoint hangs past the timeout", async () => {
    const llm = await fake(() => "HANG");
    const started = Date.now();
    const { first } = await runWith(llm.url, 300);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(llm.requests.length).toBe(1);
    expect(first.report.warnings.join("\n")).toMatch(/no answer within 300 ms/);
  });
});
