/* global window, document */
// Draws every chart of a dashboard page: each `.chart[data-chart=NAME]` container gets the
// ECharts option held in the JSON data block `#chart-data-NAME` (no inline script: the CSP
// refuses it). Sets data-rendered="true" on the container once drawn (hook for browser tests).
(function () {
  "use strict";
  function draw() {
    if (typeof window.echarts === "undefined") return;
    var charts = [];
    var containers = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < containers.length; i++) {
      var el = containers[i];
      var block = document.getElementById("chart-data-" + el.getAttribute("data-chart"));
      if (!block) continue;
      var option = JSON.parse(block.textContent || "{}");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el.setAttribute("data-rendered", "true");
      charts.push(chart);
    }
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        for (var j = 0; j < charts.length; j++) charts[j].resize();
      }, 100);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
