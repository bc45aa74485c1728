/**
 * Failed-attempt limiter: at most `maxFailures` failures per key within `windowMs`; a key
 * over the limit is refused until its oldest counted failure leaves the window.
 * `rateLimit()` refuses a request with 429 and Retry-After when any of its keys is blocked;
 * the handler records failures (`limiter.fail`) and clears a key on success (`limiter.reset`).
 */
import type { Context, MiddlewareHandler } from "hono";

export interface FailureLimiter {
  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number;
  fail(key: string): void;
  reset(key: string): void;
}

export function createFailureLimiter(options: {
  maxFailures?: number;
  windowMs?: number;
  now?: () => Date;
}): FailureLimiter {
  const max = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = () => (options.now ?? (() => new Date()))().getTime();
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const t = now();
    const kept = (failures.get(key) ?? []).filter((at) => t - at < windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfter(key) {
      const list = recent(key);
      if (list.length < max) return 0;
      const oldest = list[list.length - max]!;
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    },
    fail(key) {
      const list = recent(key);
      list.push(now());
      failures.set(key, list);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

/** Refuses with 429 + Retry-After while any key of the request is blocked. */
export function rateLimit(options: {
  limiter: FailureLimiter;
  keys: (c: Context) => Promise<string[]> | string[];
}): MiddlewareHandler {
  return async (c, next) => {
    const keys = await options.keys(c);
    const wait = Math.max(0, ...keys.map((k) => options.limiter.retryAfter(k)));
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return c.text("Too many failed logins; try again later. ログイン失敗が多すぎます。", 429);
    }
    await next();
  };
}
