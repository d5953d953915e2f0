// The supplier dashboard: tier tree coloured by status, trend lines, and a live refresh that
// reloads the tiles and tables within seconds of a supplier's report.
"use strict";
(function () {
  const LIGHTS = { green: "#2e7d32", amber: "#ef6c00", red: "#c62828", none: "#9ca3af" };
  const POLL_MS = 3000;

  // A tooltip formatter's text is HTML; an organisation's name is whatever its admin typed.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function drawTree(el) {
    if (!window.echarts) { return; }
    const statusLabels = JSON.parse(el.dataset.statusLabels || "{}");
    const convert = (node, depth) => {
      const children = node.children.map((child) => convert(child, depth + 1));
      if (node.withheld > 0) {
        children.push({ name: `${node.withheld} ${el.dataset.withheldLabel}`,
                        itemStyle: { color: "#d1d5db", borderColor: "#d1d5db" },
                        label: { color: "#6b7280", fontStyle: "italic" } });
      }
      const color = depth === 0 ? "#1d4ed8" : LIGHTS[node.light] || LIGHTS.none;
      const index = node.index === null || node.index === undefined ? "—" : node.index;
      return { name: node.name, value: node.id, children,
               tooltip: { formatter: depth === 0 ? escapeHtml(node.name) :
                 `${escapeHtml(node.name)}<br>${el.dataset.indexLabel}: ${index} · ${statusLabels[node.light] || ""}` },
               itemStyle: { color, borderColor: color } };
    };
    fetch(el.dataset.url, { headers: { Accept: "application/json" } })
      .then((response) => response.ok ? response.json() : null)
      .then((tree) => {
        if (!tree) { return; }
        const chart = echarts.init(el);
        const narrow = el.clientWidth < 600;
        chart.setOption({
          tooltip: { trigger: "item", triggerOn: "mousemove" },
          series: [{
            type: "tree", data: [convert(tree, 0)], orient: narrow ? "TB" : "LR",
            top: "5%", left: narrow ? "5%" : "12%", bottom: "12%", right: narrow ? "5%" : "25%",
            symbolSize: 12, initialTreeDepth: 2, expandAndCollapse: true, roam: true,
            label: { position: narrow ? "bottom" : "left", verticalAlign: "middle", fontSize: 12,
                     rotate: narrow ? -30 : 0 },
            leaves: { label: { position: narrow ? "bottom" : "right", align: "left" } },
          }],
        });
        chart.on("dblclick", (params) => {
          if (params.value && params.treeAncestors && params.treeAncestors.length > 2) {
            window.location.href = `/dashboard/suppliers/${params.value}`;
          }
        });
        window.addEventListener("resize", () => chart.resize());
      });
  }

  function drawTrend(el, trend) {
    if (!window.echarts) { return; }
    const series = [{ name: trend.index_name, type: "line", data: trend.index, connectNulls: true,
                      lineStyle: { width: 3 }, yAxisIndex: 0 }];
    Object.keys(trend.series).forEach((code) => {
      if (code === "ppm" || code === "carbon_intensity" || code.endsWith("_hours")) { return; }
      series.push({ name: trend.names[code], type: "line", data: trend.series[code],
                    connectNulls: true, yAxisIndex: 0 });
    });
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 60 },
      xAxis: { type: "category", data: trend.labels },
      yAxis: { type: "value", min: 0, max: 100 },
      series,
    });
    window.addEventListener("resize", () => chart.resize());
  }

  // Poll a cheap stamp; when scorecards changed, reload the live parts of the page.
  function liveRefresh(el) {
    let last = null;
    const tick = async () => {
      try {
        const response = await fetch(el.dataset.stampUrl, { headers: { Accept: "application/json" } });
        if (response.ok) {
          const { stamp } = await response.json();
          if (last !== null && stamp !== last) {
            const page = await fetch(el.dataset.liveUrl, { headers: { "HX-Request": "true" } });
            if (page.ok) { el.innerHTML = await page.text(); el.dataset.refreshedAt = stamp; }
          }
          last = stamp;
        }
      } finally {
        window.setTimeout(tick, POLL_MS);
      }
    };
    tick();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const tree = document.getElementById("sc-tree");
    if (tree) { drawTree(tree); }
    document.querySelectorAll("[data-trend]").forEach((el) => drawTrend(el, JSON.parse(el.dataset.trend)));
    document.querySelectorAll("[data-trend-url]").forEach((el) => {
      fetch(el.dataset.trendUrl, { headers: { Accept: "application/json" } })
        .then((response) => response.ok ? response.json() : null)
        .then((trend) => { if (trend) { drawTrend(el, trend); } });
    });
    const live = document.getElementById("dashboard-live");
    if (live) { liveRefresh(live); }
  });
})();
