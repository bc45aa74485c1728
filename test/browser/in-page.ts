/**
 * Code that runs inside the browser page. The project compiles without the DOM library (it is
 * Node code), so these are plain JavaScript sources handed to page.evaluate / addInitScript.
 */

/** Init script: records every CSP violation of the page in `window.__csp`. */
export const RECORD_CSP_VIOLATIONS = `
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});`;

/** Expression: the recorded CSP violations (string[]). */
export const CSP_VIOLATIONS = `window.__csp || []`;

/** Expression: true once every `.chart[data-chart]` container is drawn (dashboard.js marks them). */
export const ALL_CHARTS_RENDERED = `(() => {
  const all = [...document.querySelectorAll(".chart[data-chart]")];
  return all.length > 0 && all.every((el) => el.getAttribute("data-rendered") === "true");
})()`;

/** Expression: resolves after the next animation frame (the canvases then hold the painted frame). */
export const NEXT_FRAME = `new Promise((done) => requestAnimationFrame(() => done(null)))`;

/**
 * Expression: per chart, its name, whether it is drawn, its data points (ECharts series data
 * plus dataset rows) and its painted pixels (non-transparent canvas pixels, or SVG paths).
 */
export const CHART_REPORTS = `[...document.querySelectorAll(".chart[data-chart]")].map((el) => {
  const option = window.echarts && window.echarts.getInstanceByDom(el) && window.echarts.getInstanceByDom(el).getOption();
  const count = (list, key) => (list || []).reduce((n, x) => n + (Array.isArray(x[key]) ? x[key].length : 0), 0);
  let painted = el.querySelectorAll("svg path").length;
  for (const canvas of el.querySelectorAll("canvas")) {
    const ctx = canvas.getContext("2d");
    if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  }
  return {
    name: el.getAttribute("data-chart") || "",
    rendered: el.getAttribute("data-rendered") === "true",
    points: option ? count(option.series, "data") + count(option.dataset, "source") : 0,
    painted,
  };
})`;

/** Expression: the cookies scripts in the page can read. */
export const SCRIPT_COOKIES = `document.cookie`;

/** Expression: widths of the page, the window and the first chart, in CSS pixels. */
export const LAYOUT_WIDTHS = `({
  page: document.documentElement.scrollWidth,
  screen: window.innerWidth,
  chart: document.querySelector(".chart").getBoundingClientRect().width,
})`;
