/**
 * `/`: for now a minimal real page — the as-of date of the published warehouse and the two
 * lines every page carries (`Time basis:`, `Freshness:`). Japanese by default, `?lang=en`.
 */
import { Hono } from "hono";
import type { DashboardEnv } from "../dashboard-env.js";
import { escapeHtml, page } from "../html.js";
import type { PublishedReader } from "../published-reader.js";

export interface HomeRouteOptions {
  reader: PublishedReader;
  now: () => Date;
  /** Data older than this (hours since the as-of snapshot at 05:30 JST) is flagged. */
  staleAfterHours: number;
}

/** The latest fact (non-projection) snapshot date, or null when there is none. */
async function asOfDate(reader: PublishedReader): Promise<string | null> {
  try {
    const result = await reader.query(
      "SELECT CAST(max(snapshot_date) AS VARCHAR) AS as_of FROM gold.occupancy_daily_metrics WHERE NOT is_projection",
    );
    const value = result?.rows[0]?.as_of;
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export function freshnessLines(options: {
  asOf: string | null;
  now: Date;
  staleAfterHours: number;
  lang: "ja" | "en";
}): { timeBasis: string; freshness: string; stale: boolean } {
  const ja = options.lang === "ja";
  const timeBasis = ja
    ? "時間基準 Time basis: スナップショット 05:30 JST 取得、週は月曜始まり (snapshot taken 05:30 JST; weeks start Monday)"
    : "Time basis: snapshot taken 05:30 JST; weeks start Monday";
  if (options.asOf === null) {
    return {
      timeBasis,
      freshness: ja ? "鮮度 Freshness: データなし (no published data)" : "Freshness: no published data",
      stale: true,
    };
  }
  const taken = Date.parse(`${options.asOf}T05:30:00+09:00`);
  const hours = Math.max(0, Math.floor((options.now.getTime() - taken) / 3_600_000));
  const stale = hours > options.staleAfterHours;
  const warnJa = stale ? ` ⚠ 警告: ${options.staleAfterHours} 時間より古いデータ` : "";
  const warnEn = stale ? ` ⚠ warning: older than ${options.staleAfterHours} hours` : "";
  return {
    timeBasis,
    freshness: ja
      ? `鮮度 Freshness: ${options.asOf} 時点、経過 ${hours} 時間 (as of ${options.asOf}, ${hours} hours old)${warnJa}`
      : `Freshness: as of ${options.asOf}, ${hours} hours old${warnEn}`,
    stale,
  };
}

export function homeRoutes(options: HomeRouteOptions): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.get("/", async (c) => {
    const lang = c.req.query("lang") === "en" ? "en" : "ja";
    const asOf = await asOfDate(options.reader);
    const lines = freshnessLines({
      asOf,
      now: options.now(),
      staleAfterHours: options.staleAfterHours,
      lang,
    });
    const title = lang === "ja" ? "概要 Overview" : "Overview";
    const other = lang === "ja" ? `<a href="/?lang=en">English</a>` : `<a href="/">日本語</a>`;
    return c.html(
      page({
        lang,
        title,
        body: `<header><nav>${other} · <a href="/__auth/logout">${lang === "ja" ? "ログアウト Sign out" : "Sign out"}</a></nav></header>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="time-basis">${escapeHtml(lines.timeBasis)}</p>
<p class="freshness${lines.stale ? " stale" : ""}">${escapeHtml(lines.freshness)}</p>
<p>${escapeHtml(lang === "ja" ? `基準日 As-of date: ${asOf ?? "—"}` : `As-of date: ${asOf ?? "—"}`)}</p>
</main>`,
      }),
    );
  });
  return app;
}
