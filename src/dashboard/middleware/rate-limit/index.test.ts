import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createFailureLimiter, rateLimit } from "./index.js";

function setup() {
  let t = Date.parse("2026-02-01T00:00:00Z");
  const limiter = createFailureLimiter({ maxFailures: 5, windowMs: 15 * 60_000, now: () => new Date(t) });
  const app = new Hono();
  app.post("/try", rateLimit({ limiter, keys: (c) => [`ip:${c.req.header("x-ip") ?? "?"}`] }), (c) => {
    limiter.fail(`ip:${c.req.header("x-ip") ?? "?"}`);
    return c.text("failed", 401);
  });
  const post = (ip: string) => app.request("/try", { method: "POST", headers: { "x-ip": ip } });
  return { limiter, post, advance: (ms: number) => (t += ms) };
}

describe("rateLimit", () => {
  it("refuses the sixth attempt within 15 minutes with 429 and Retry-After", async () => {
    const { post } = setup();
    for (let i = 0; i < 5; i++) expect((await post("1.1.1.1")).status).toBe(401);
    const res = await post("1.1.1.1");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBe(900);
    expect((await post("2.2.2.2")).status).toBe(401);
  });

  it("lets the key try again once the oldest failure leaves the window", async () => {
    const { post, advance } = setup();
    for (let i = 0; i < 5; i++) {
      await post("1.1.1.1");
      advance(60_000);
    }
    const res = await post("1.1.1.1");
    expect(Number(res.headers.get("retry-after"))).toBe(600);
    advance(600_000);
    expect((await post("1.1.1.1")).status).toBe(401);
  });

  it("reset clears a key", async () => {
    const { post, limiter } = setup();
    for (let i = 0; i < 5; i++) await post("1.1.1.1");
    limiter.reset("ip:1.1.1.1");
    expect((await post("1.1.1.1")).status).toBe(401);
  });
});
