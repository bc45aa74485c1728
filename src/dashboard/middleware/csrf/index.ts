/**
 * CSRF protection for the login form: a pre-session cookie `evidence_csrf` (random) and a
 * form token that is its HMAC under the server key. GET sets `c.var.csrfToken` (issuing the
 * cookie when missing); a POST whose `csrf_token` field is missing or does not match the
 * cookie is refused with 403.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { DashboardEnv } from "../../dashboard-env.js";
import { isSecureRequest } from "../session/index.js";

export const CSRF_COOKIE = "evidence_csrf";
export const CSRF_FIELD = "csrf_token";

export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}`).digest("base64url");
}

export function csrf(options: { secret: string; trustProxy: boolean }): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const cookie = getCookie(c, CSRF_COOKIE);
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      let value = cookie;
      if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
        value = randomBytes(32).toString("base64url");
        setCookie(c, CSRF_COOKIE, value, {
          path: "/__auth",
          httpOnly: true,
          sameSite: "Lax",
          secure: isSecureRequest(c, options.trustProxy),
        });
      }
      c.set("csrfToken", csrfTokenFor(options.secret, value));
      return next();
    }
    const body = await c.req.parseBody();
    const sent = body[CSRF_FIELD];
    if (!cookie || typeof sent !== "string") return c.text("Forbidden: missing CSRF token", 403);
    const expected = Buffer.from(csrfTokenFor(options.secret, cookie));
    const given = Buffer.from(sent);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return c.text("Forbidden: invalid CSRF token", 403);
    }
    await next();
  };
}
