// Tierlight carbon charts: a footprint's contributions (or a split by tier) as horizontal bars.
"use strict";

const CARBON_COLOURS = { scope1: "#ef6c00", scope2: "#1e88e5", input: "#2e7d32", withheld: "#9e9e9e", declared: "#6a1b9a", tier: "#00897b" };

function drawCarbonChart(el) {
  const data = JSON.parse(el.dataset.chart);
  const items = data.items.slice().reverse();
  const chart = echarts.init(el);
  chart.setOption({
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: "item", valueFormatter: (v) => `${v.toFixed(3)} ${data.unit}` },
    xAxis: { type: "value", name: data.unit, nameLocation: "middle", nameGap: 22 },
    yAxis: { type: "category", data: items.map((i) => i.name), axisLabel: { width: 150, overflow: "truncate" } },
    series: [{
      type: "bar",
      data: items.map((i) => ({ value: i.value, itemStyle: { color: CARBON_COLOURS[i.kind] || "#546e7a" } })),
      label: { show: true, position: "right", formatter: (p) => p.value.toFixed(2) },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
}

document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-chart]").forEach(drawCarbonChart);
});
