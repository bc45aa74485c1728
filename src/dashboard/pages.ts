/**
 * The dashboard's pages, in navigation order. Browser tests and the load benchmark iterate
 * over this list; every page carries `.chart[data-chart]` containers, `a.csv-download`
 * links, `#lang-switch` and (when it has filters) `form#filters`.
 */
export interface DashboardPage {
  /** URL path of the page. */
  path: string;
  /** Stable key (also the CSV path stem: `/<key>.csv`, Overview uses `overview`). */
  key: "overview" | "funnel" | "geography" | "pricing" | "moveins" | "moveouts" | "quality";
  /** Path of the page's CSV downloads (`?table=<name>` plus the page's filters). */
  csvPath: string;
}

export const DASHBOARD_PAGES: readonly DashboardPage[] = [
  { path: "/", key: "overview", csvPath: "/overview.csv" },
  { path: "/funnel", key: "funnel", csvPath: "/funnel.csv" },
  { path: "/geography", key: "geography", csvPath: "/geography.csv" },
  { path: "/pricing", key: "pricing", csvPath: "/pricing.csv" },
  { path: "/moveins", key: "moveins", csvPath: "/moveins.csv" },
  { path: "/moveouts", key: "moveouts", csvPath: "/moveouts.csv" },
  { path: "/quality", key: "quality", csvPath: "/quality.csv" },
];
