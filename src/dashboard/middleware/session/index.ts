/**
 * Sessions: opaque server-side ids (32 random bytes) in the `evidence_session` cookie
 * (HttpOnly, SameSite=Lax, Max-Age 8 hours, Secure over HTTPS or behind a trusted proxy that
 * says so). Expiry is enforced on the server: a cookie outliving its session is ignored.
 */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DashboardEnv } from "../../dashboard-env.js";

export const SESSION_COOKIE = "evidence_session";
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export interface SessionStore {
  create(user: string): string;
  /** The user of a live session, or null (unknown or expired: expired ones are dropped). */
  get(id: string): string | null;
  destroy(id: string): void;
}

export function createSessionStore(options: { now?: () => Date; maxAgeSeconds?: number } = {}): SessionStore {
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const maxAgeMs = (options.maxAgeSeconds ?? SESSION_MAX_AGE_SECONDS) * 1000;
  const sessions = new Map<string, { user: string; expiresAt: number }>();
  return {
    create(user) {
      for (const [id, s] of sessions) if (s.expiresAt <= now()) sessions.delete(id);
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, { user, expiresAt: now() + maxAgeMs });
      return id;
    },
    get(id) {
      const s = sessions.get(id);
      if (!s) return null;
      if (s.expiresAt <= now()) {
        sessions.delete(id);
        return null;
      }
      return s.user;
    },
    destroy(id) {
      sessions.delete(id);
    },
  };
}

/** HTTPS: the request URL says so, or a trusted proxy sends `X-Forwarded-Proto: https`. */
export function isSecureRequest(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  if (!trustProxy) return false;
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

/** Reads the session cookie and sets `c.var.user` (null when signed out). */
export function session(options: { store: SessionStore }): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    c.set("user", id ? options.store.get(id) : null);
    await next();
  };
}

/** Redirects signed-out requests to the login page, keeping where they were going. */
export function requireSession(options: { loginPath: string }): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.get("user")) return next();
    const url = new URL(c.req.url);
    const returnTo = encodeURIComponent(url.pathname + url.search);
    return c.redirect(`${options.loginPath}?return_to=${returnTo}`, 302);
  };
}

export function startSession(c: Context, store: SessionStore, user: string, trustProxy: boolean): void {
  setCookie(c, SESSION_COOKIE, store.create(user), {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecureRequest(c, trustProxy),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export function endSession(c: Context, store: SessionStore, trustProxy: boolean): void {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) store.destroy(id);
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecureRequest(c, trustProxy),
  });
}
