/**
 * The dashboard app: security headers on everything, the login pages open, every other
 * path behind a session. I/O (warehouse, users file, clock) is passed in so tests call the
 * app in memory with `app.request(...)`.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import type { DashboardEnv } from "./dashboard-env.js";
import { createFailureLimiter, type FailureLimiter } from "./middleware/rate-limit/index.js";
import { securityHeaders } from "./middleware/security-headers/index.js";
import {
  createSessionStore,
  requireSession,
  session,
  type SessionStore,
} from "./middleware/session/index.js";
import { createPublishedReader, type PublishedReader, type PublishedWarehouse } from "./published-reader.js";
import { authRoutes, LOGIN_PATH } from "./routes/auth.js";
import { DASHBOARD_PAGE_MODULES } from "./pages/index.js";
import { assetRoutes } from "./routes/assets.js";
import { pageRoutes } from "./routes/pages.js";
import type { UsersFile } from "./users/users-file.js";

export interface DashboardAppOptions {
  /** Read only: the dashboard never begins a state. */
  warehouse: PublishedWarehouse;
  users: Pick<UsersFile, "verify">;
  now?: () => Date;
  /** Key of the CSRF tokens (setting dashboard.session_secret); random when not given. */
  secret?: string;
  /** Trust X-Forwarded-Proto / X-Forwarded-For (setting dashboard.trust_proxy). */
  trustProxy?: boolean;
  /** Freshness warning threshold in hours; default: the published KPI definition's (36). */
  staleAfterHours?: number;
  sessions?: SessionStore;
  /** Rows per query of a large table's CSV download (tests make it small). */
  csvPageRows?: number;
  limiter?: FailureLimiter;
}

export interface DashboardApp {
  app: Hono<DashboardEnv>;
  reader: PublishedReader;
  close(): Promise<void>;
}

/** The client address: X-Forwarded-For's first hop behind a trusted proxy, else the socket. */
function clientIpOf(trustProxy: boolean) {
  return (c: Context): string => {
    if (trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded;
    }
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    return env?.incoming?.socket?.remoteAddress ?? "unknown";
  };
}

export function createDashboardApp(options: DashboardAppOptions): DashboardApp {
  const now = options.now ?? (() => new Date());
  const trustProxy = options.trustProxy ?? false;
  const sessions = options.sessions ?? createSessionStore({ now });
  const limiter = options.limiter ?? createFailureLimiter({ now });
  const reader = createPublishedReader(options.warehouse);
  const app = new Hono<DashboardEnv>();
  app.use(securityHeaders());
  app.use(session({ store: sessions }));
  app.route(
    "/__auth",
    authRoutes({
      users: options.users,
      sessions,
      limiter,
      secret: options.secret ?? randomBytes(32).toString("base64url"),
      trustProxy,
      clientIp: clientIpOf(trustProxy),
    }),
  );
  app.use(requireSession({ loginPath: LOGIN_PATH }));
  app.route("/", assetRoutes());
  app.route(
    "/",
    pageRoutes({
      reader,
      now,
      staleAfterHours: options.staleAfterHours,
      pages: DASHBOARD_PAGE_MODULES,
      csvPageRows: options.csvPageRows,
    }),
  );
  return { app, reader, close: () => reader.close() };
}
