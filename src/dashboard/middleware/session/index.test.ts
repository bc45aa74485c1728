import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { DashboardEnv } from "../../dashboard-env.js";
import { createSessionStore, endSession, requireSession, session, startSession } from "./index.js";

function setup(trustProxy = false) {
  let t = Date.parse("2026-02-01T00:00:00Z");
  const store = createSessionStore({ now: () => new Date(t) });
  const app = new Hono<DashboardEnv>();
  app.use(session({ store }));
  app.post("/in", (c) => {
    startSession(c, store, "aiko", trustProxy);
    return c.text("in");
  });
  app.post("/out", (c) => {
    endSession(c, store, trustProxy);
    return c.text("out");
  });
  app.use(requireSession({ loginPath: "/__auth/login" }));
  app.get("/who", (c) => c.text(c.get("user") ?? ""));
  return { app, advance: (ms: number) => (t += ms) };
}

const sessionCookie = (res: Response) =>
  res.headers.getSetCookie().find((l) => l.startsWith("evidence_session="))!;

describe("session", () => {
  it("issues an opaque 32-byte id, HttpOnly, SameSite=Lax, Max-Age 8 hours, not Secure over http", async () => {
    const { app } = setup();
    const line = sessionCookie(await app.request("/in", { method: "POST" }));
    const id = /^evidence_session=([^;]+)/.exec(line)![1]!;
    expect(Buffer.from(id, "base64url")).toHaveLength(32);
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Max-Age=28800/);
    expect(line).not.toMatch(/Secure/);
    expect(await (await app.request("/who", { headers: { cookie: line.split(";")[0]! } })).text()).toBe(
      "aiko",
    );
  });

  it("is Secure over https, and with X-Forwarded-Proto only from a trusted proxy", async () => {
    expect(sessionCookie(await setup().app.request("https://x.example/in", { method: "POST" }))).toMatch(
      /Secure/,
    );
    const headers = { "x-forwarded-proto": "https" };
    expect(sessionCookie(await setup().app.request("/in", { method: "POST", headers }))).not.toMatch(
      /Secure/,
    );
    expect(sessionCookie(await setup(true).app.request("/in", { method: "POST", headers }))).toMatch(
      /Secure/,
    );
  });

  it("redirects without a live session, keeping the path; expiry is enforced on the server", async () => {
    const { app, advance } = setup();
    const res = await app.request("/who?a=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/__auth/login?return_to=%2Fwho%3Fa%3D1");
    const cookie = sessionCookie(await app.request("/in", { method: "POST" })).split(";")[0]!;
    advance(8 * 3_600_000);
    expect((await app.request("/who", { headers: { cookie } })).status).toBe(302);
    expect((await app.request("/who", { headers: { cookie: "evidence_session=forged" } })).status).toBe(302);
  });

  it("ends the session on logout", async () => {
    const { app } = setup();
    const cookie = sessionCookie(await app.request("/in", { method: "POST" })).split(";")[0]!;
    const out = await app.request("/out", { method: "POST", headers: { cookie } });
    expect(sessionCookie(out)).toMatch(/Max-Age=0/);
    expect((await app.request("/who", { headers: { cookie } })).status).toBe(302);
  });
});
