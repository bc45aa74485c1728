import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./index.js";

describe("securityHeaders", () => {
  const app = new Hono();
  app.use(securityHeaders());
  app.get("/ok", (c) => c.text("ok"));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  app.onError((_err, c) => c.text("error", 500));

  it("sets the CSP without unsafe-inline, no framing, no sniffing, same-origin referrer", async () => {
    const res = await app.request("/ok");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("sets them on not-found and error responses too", async () => {
    for (const p of ["/missing", "/boom"]) {
      const res = await app.request(p);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
  });
});
