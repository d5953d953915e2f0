// Tierlight quality charts: control charts with limits, specification and signals; PPM trend.
// Data and translated labels come from JSON in the page (<script type="application/json">).
"use strict";

function tlReadJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

function tlMount(el, option) {
  const chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption(option);
  window.addEventListener("resize", () => chart.resize());
  return chart;
}

// Where each line's label sits, so that labels of lines a few pixels apart (control limits on
// an axis spanning much wider specification limits) never cover each other: UCL above its line
// and LCL below its line (never on the same height), both at the right; the centre line's label
// at the left, apart from both; USL above and LSL below their lines at the left, apart from UCL
// and LCL (which they often lie close to), and on the far side from the centre's label.
const TL_LABEL_AT = {
  center: "insideStartTop", ucl: "insideEndTop", lcl: "insideEndBottom",
  usl: "insideStartTop", lsl: "insideStartBottom",
};

// A tooltip formatter's text is HTML; a lot number is whatever the supplier typed.
function tlEscape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

function tlLine(value, name, color, type, role) {
  if (value === null || value === undefined) { return null; }
  return {
    yAxis: value, name: name,
    lineStyle: { color: color, type: type, width: 1.5 },
    label: { formatter: name + " {c}", position: TL_LABEL_AT[role], color: color },
  };
}

function tlRange(values, extra) {
  const all = values.concat(extra).filter((v) => v !== null && v !== undefined && isFinite(v));
  if (!all.length) { return {}; }
  const low = Math.min(...all), high = Math.max(...all), pad = (high - low || Math.abs(high) || 1) * 0.08;
  // The ends are labelled too: rounded outwards to a tenth of the span's order of magnitude,
  // they read 0.41, not 0.411515.
  const step = Math.pow(10, Math.floor(Math.log10(high - low + 2 * pad)) - 1);
  const nice = (value) => +value.toPrecision(12);
  return { min: nice(Math.floor((low - pad) / step) * step), max: nice(Math.ceil((high + pad) / step) * step) };
}

function tlControlChart(el, data, text) {
  const limits = data.limits, spec = data.spec;
  const x = data.points.map((_, i) => String(i + 1));
  const marked = new Map();
  data.signals.forEach((signal) => signal.points.forEach((p) => {
    const rules = marked.get(p) || [];
    rules.push(signal.rule);
    marked.set(p, rules);
  }));
  const signalData = data.points.map((v, i) => (marked.has(i) ? v : null));
  const lines = [
    tlLine(limits.center, text.center, "#2e7d32", "solid", "center"),
    tlLine(limits.ucl, text.ucl, "#c62828", "dashed", "ucl"),
    tlLine(limits.lcl, text.lcl, "#c62828", "dashed", "lcl"),
    tlLine(spec.usl, text.usl, "#6a1b9a", "dotted", "usl"),
    tlLine(spec.lsl, text.lsl, "#6a1b9a", "dotted", "lsl"),
  ].filter(Boolean);
  const range = tlRange(data.points, [limits.ucl, limits.lcl, spec.usl, spec.lsl]);
  return tlMount(el, {
    animation: false,
    grid: { left: 56, right: 16, top: 24, bottom: 56 },
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const i = items[0].dataIndex;
        const rules = marked.get(i);
        return `#${i + 1} · ${tlEscape(data.labels[i])}<br>${tlEscape(text.lot)}: ${tlEscape(data.lots[i])}<br>` +
          `${tlEscape(text.value)}: ${(+data.points[i]).toPrecision(6)} ${tlEscape(data.unit)}` +
          (rules ? `<br><b style="color:#c62828">${tlEscape(text.rule)} ${tlEscape(rules.join(", "))}</b>` : "");
      },
    },
    xAxis: { type: "category", data: x, name: text.point, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", scale: true, min: range.min, max: range.max, name: data.unit },
    dataZoom: data.points.length > 60 ? [{ type: "inside" }, { type: "slider", height: 14, bottom: 4 }] : [],
    series: [
      { name: text.value, type: "line", data: data.points, symbolSize: 6, itemStyle: { color: "#1565c0" },
        markLine: { symbol: "none", silent: true, data: lines } },
      { name: text.signal, type: "scatter", data: signalData, symbolSize: 13, z: 5,
        itemStyle: { color: "#c62828", borderColor: "#fff", borderWidth: 1.5 } },
    ],
  });
}

function tlDispersionChart(el, data, text) {
  const limits = data.limits;
  const lines = [
    tlLine(limits.dispersion_center, text.center, "#2e7d32", "solid", "center"),
    tlLine(limits.dispersion_ucl, text.ucl, "#c62828", "dashed", "ucl"),
    limits.dispersion_lcl ? tlLine(limits.dispersion_lcl, text.lcl, "#c62828", "dashed", "lcl") : null,
  ].filter(Boolean);
  const range = tlRange(data.dispersion, [limits.dispersion_ucl, limits.dispersion_lcl, limits.dispersion_center]);
  return tlMount(el, {
    animation: false,
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.points.map((_, i) => String(i + 1)) },
    yAxis: { type: "value", scale: true, min: range.min === undefined ? undefined : Math.max(0, range.min), max: range.max, name: data.unit },
    series: [{ name: text.dispersion, type: "line", data: data.dispersion, symbolSize: 4,
      itemStyle: { color: "#455a64" }, markLine: { symbol: "none", silent: true, data: lines } }],
  });
}

function tlPpmChart(el, trend, text) {
  return tlMount(el, {
    animation: false,
    grid: { left: 64, right: 64, top: 36, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: trend.periods },
    yAxis: [{ type: "value", name: "PPM" }, { type: "value", name: text.received, splitLine: { show: false } }],
    series: [
      { name: text.received, type: "bar", yAxisIndex: 1, data: trend.received, itemStyle: { color: "#b0bec5" } },
      { name: "PPM", type: "line", data: trend.ppm, symbolSize: 8, itemStyle: { color: "#c62828" } },
    ],
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") { return; }
  const text = tlReadJson("chart-text") || {};
  const data = tlReadJson("chart-data");
  if (data) {
    const main = document.getElementById("control-chart");
    const spread = document.getElementById("dispersion-chart");
    if (main) { tlControlChart(main, data, text); }
    if (spread) { tlDispersionChart(spread, data, text); }
  }
  const trend = tlReadJson("ppm-trend");
  const ppmEl = document.getElementById("ppm-chart");
  if (trend && ppmEl) { tlPpmChart(ppmEl, trend, text); }
});
