import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { DashboardEnv } from "../../dashboard-env.js";
import { csrf, csrfTokenFor } from "./index.js";

const app = new Hono<DashboardEnv>();
const guard = csrf({ secret: "s".repeat(32), trustProxy: false });
app.get("/__auth/form", guard, (c) => c.text(c.get("csrfToken")));
app.post("/__auth/form", guard, (c) => c.text("accepted"));

async function form() {
  const res = await app.request("/__auth/form");
  const line = res.headers.getSetCookie().find((l) => l.startsWith("evidence_csrf="))!;
  expect(line).toMatch(/HttpOnly/);
  expect(line).toMatch(/SameSite=Lax/);
  return { cookie: line.split(";")[0]!, token: await res.text() };
}

const post = (cookie: string | undefined, token: string | undefined) => {
  const body = new URLSearchParams();
  if (token !== undefined) body.set("csrf_token", token);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (cookie) headers.cookie = cookie;
  return app.request("/__auth/form", { method: "POST", body, headers });
};

describe("csrf", () => {
  it("accepts the token bound to the pre-session cookie", async () => {
    const { cookie, token } = await form();
    expect(token).toBe(csrfTokenFor("s".repeat(32), cookie.split("=")[1]!));
    expect((await post(cookie, token)).status).toBe(200);
  });

  it("refuses a POST without a token, without the cookie, or with another cookie's token (403)", async () => {
    const a = await form();
    const b = await form();
    expect((await post(a.cookie, undefined)).status).toBe(403);
    expect((await post(undefined, a.token)).status).toBe(403);
    expect((await post(a.cookie, b.token)).status).toBe(403);
    expect((await post(a.cookie, "wrong")).status).toBe(403);
  });

  it("keeps an existing cookie on the next GET", async () => {
    const { cookie, token } = await form();
    const res = await app.request("/__auth/form", { headers: { cookie } });
    expect(res.headers.getSetCookie()).toHaveLength(0);
    expect(await res.text()).toBe(token);
  });
});
