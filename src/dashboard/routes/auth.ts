/** `/__auth/login` (GET form, POST verify) and `/__auth/logout`. */
import { Hono, type Context } from "hono";
import type { DashboardEnv } from "../dashboard-env.js";
import { escapeHtml, page } from "../html.js";
import { csrf, CSRF_FIELD } from "../middleware/csrf/index.js";
import { rateLimit, type FailureLimiter } from "../middleware/rate-limit/index.js";
import { endSession, startSession, type SessionStore } from "../middleware/session/index.js";
import type { UsersFile } from "../users/users-file.js";
import { safeReturnTo } from "./safe-return-to.js";

export const LOGIN_PATH = "/__auth/login";
export const LOGOUT_PATH = "/__auth/logout";

export interface AuthRouteOptions {
  users: Pick<UsersFile, "verify">;
  sessions: SessionStore;
  limiter: FailureLimiter;
  secret: string;
  trustProxy: boolean;
  clientIp: (c: Context) => string;
}

function loginPage(c: Context<DashboardEnv>, returnTo: string, error?: string): string {
  const en = c.req.query("lang") === "en";
  const label = (ja: string, enText: string) => (en ? enText : `${ja} ${enText}`);
  return page({
    lang: en ? "en" : "ja",
    title: label("ログイン", "Sign in"),
    body: `<main>
<h1>${escapeHtml(label("ログイン", "Sign in"))}</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(c.get("csrfToken"))}">
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<p><label>${escapeHtml(label("ユーザー名", "User name"))} <input name="username" autocomplete="username" required></label></p>
<p><label>${escapeHtml(label("パスワード", "Password"))} <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">${escapeHtml(label("ログイン", "Sign in"))}</button></p>
</form>
</main>`,
  });
}

export function authRoutes(options: AuthRouteOptions): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  const keysOf = async (c: Context): Promise<string[]> => {
    const body = await c.req.parseBody();
    const name = typeof body.username === "string" ? body.username : "";
    return [`ip:${options.clientIp(c)}`, `user:${name}`];
  };

  app.get("/login", csrf(options), (c) => {
    if (c.get("user")) return c.redirect(safeReturnTo(c.req.query("return_to")), 302);
    return c.html(loginPage(c, safeReturnTo(c.req.query("return_to"))));
  });

  app.post("/login", csrf(options), rateLimit({ limiter: options.limiter, keys: keysOf }), async (c) => {
    const body = await c.req.parseBody();
    const name = typeof body.username === "string" ? body.username : "";
    const password = typeof body.password === "string" ? body.password : "";
    const returnTo = safeReturnTo(typeof body.return_to === "string" ? body.return_to : "/");
    const keys = await keysOf(c);
    if (name === "" || !(await options.users.verify(name, password))) {
      for (const k of keys) options.limiter.fail(k);
      // Fresh form token for the retry: the GET branch of the csrf middleware is not run here.
      c.set("csrfToken", typeof body[CSRF_FIELD] === "string" ? body[CSRF_FIELD] : "");
      return c.html(
        loginPage(c, returnTo, "ユーザー名またはパスワードが違います。Wrong user name or password."),
        401,
      );
    }
    options.limiter.reset(`user:${name}`);
    startSession(c, options.sessions, name, options.trustProxy);
    return c.redirect(returnTo, 303);
  });

  const logout = (c: Context<DashboardEnv>) => {
    endSession(c, options.sessions, options.trustProxy);
    return c.redirect(LOGIN_PATH, 303);
  };
  app.get("/logout", logout);
  app.post("/logout", logout);
  return app;
}
