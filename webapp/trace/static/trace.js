// Genealogy charts (a collapsible ECharts tree or the full layered graph) and list helpers.
"use strict";
(function () {
  const TIER_COLOURS = ["#1e3a8a", "#0f766e", "#7c3aed", "#b45309", "#be185d", "#4d7c0f"];
  const RELATION_COLOURS = {
    incident: "#dc2626", downstream: "#ea580c", suspect: "#7c3aed", sibling: "#ca8a04",
  };
  const OUTSIDE = "#475569";
  const WITHHELD = "#9ca3af";

  function colour(node) {
    if (node.withheld) { return WITHHELD; }
    if (node.relation) { return RELATION_COLOURS[node.relation] || OUTSIDE; }
    if (node.incident) { return RELATION_COLOURS.incident; }
    if (node.tier === null || node.tier === undefined) { return OUTSIDE; }
    return TIER_COLOURS[node.tier % TIER_COLOURS.length];
  }

  function tooltip(el, node) {
    const labels = el.dataset;
    const lines = [`<strong>${escapeHtml(node.name)}</strong>`];
    if (node.detail) { lines.push(escapeHtml(node.detail)); }
    if (node.relation) {
      lines.push(escapeHtml(JSON.parse(labels.labelRelations)[node.relation] || node.relation));
    } else if (!node.withheld) {
      lines.push(node.tier === 0 ? labels.labelOwn
        : node.tier === null || node.tier === undefined ? labels.labelOutside
          : `${labels.labelTier} ${node.tier}`);
    }
    if (node.incident && !node.relation) { lines.push(labels.labelIncident); }
    return lines.join("<br>");
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function styled(node) {
    const c = colour(node);
    return {
      color: node.end ? "#fff" : c, borderColor: c, borderWidth: node.incident ? 4 : 2,
    };
  }

  // The tree draws its own fill (hollow for a shown node, solid for a folded one) and strokes
  // the ring in the node's colour, so a white colour for an end lot would leave it invisible.
  function treeStyled(node) {
    const c = colour(node);
    return { color: c, borderColor: c, borderWidth: node.incident ? 4 : 2 };
  }

  function treeOption(el, data, narrow) {
    const byId = new Map();
    data.nodes.forEach((n) => byId.set(n.id, { node: n, children: [] }));
    const roots = [];
    data.nodes.forEach((n) => {
      const entry = byId.get(n.id);
      const parent = n.parent && byId.get(n.parent);
      (parent ? parent.children : roots).push(entry);
    });
    const convert = (entry) => ({
      name: entry.node.name, value: entry.node.id, node: entry.node,
      itemStyle: treeStyled(entry.node),
      label: entry.node.withheld ? { color: "#6b7280", fontStyle: "italic" } : {},
      children: entry.children.map(convert),
    });
    const top = roots.length === 1 ? convert(roots[0])
      : { name: "", children: roots.map(convert), itemStyle: { opacity: 0 } };
    const up = data.direction === "up";
    const orient = narrow ? (up ? "BT" : "TB") : (up ? "RL" : "LR");
    return {
      tooltip: { trigger: "item", formatter: (p) => p.data.node ? tooltip(el, p.data.node) : "" },
      series: [{
        type: "tree", data: [top], orient, roam: true, expandAndCollapse: true,
        initialTreeDepth: 3, symbolSize: 11, top: "6%", bottom: "8%",
        left: narrow ? "4%" : "14%", right: narrow ? "4%" : "14%",
        label: { fontSize: 11, position: narrow ? "top" : (up ? "right" : "left") },
        leaves: { label: { position: narrow ? "bottom" : (up ? "left" : "right") } },
        animationDuration: 300,
      }],
    };
  }

  function graphOption(el, data, narrow) {
    const layers = new Map();
    data.nodes.forEach((n) => {
      if (!layers.has(n.depth)) { layers.set(n.depth, []); }
      layers.get(n.depth).push(n);
    });
    const sign = data.direction === "up" ? -1 : 1;
    const nodes = data.nodes.map((n) => {
      const layer = layers.get(n.depth);
      const index = layer.indexOf(n);
      const along = sign * n.depth * 160;
      const across = (index - (layer.length - 1) / 2) * 44;
      return {
        id: n.id, name: n.name, node: n,
        x: narrow ? across : along, y: narrow ? along : across,
        symbolSize: n.withheld ? 14 : 18, itemStyle: styled(n),
        label: { show: true, fontSize: 10, position: narrow ? "right" : "bottom" },
      };
    });
    return {
      tooltip: { formatter: (p) => p.dataType === "node" ? tooltip(el, p.data.node) : "" },
      series: [{
        type: "graph", layout: "none", roam: true, draggable: true, data: nodes,
        links: data.edges.map((e) => ({ source: e.source, target: e.target })),
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 7,
        lineStyle: { color: "#94a3b8", width: 1.2, curveness: 0.08 },
        emphasis: { focus: "adjacency" },
      }],
    };
  }

  function drawChart(el) {
    if (!window.echarts) { return; }
    const data = JSON.parse(el.dataset.traceChart);
    const chart = echarts.init(el);
    const box = el.closest(".trace-chart-box");
    const buttons = box ? box.querySelectorAll("[data-trace-view]") : [];
    const show = (view) => {
      const narrow = el.clientWidth < 600;
      chart.clear();
      chart.setOption(view === "graph" ? graphOption(el, data, narrow) : treeOption(el, data, narrow));
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.traceView === view)));
    };
    buttons.forEach((b) => b.addEventListener("click", () => show(b.dataset.traceView)));
    show(data.nodes.length > 150 || data.edges.length > data.nodes.length ? "graph" : "tree");
    const open = (p) => {
      const node = p.data && p.data.node;
      if (node && node.url) { window.location.href = node.url; }
    };
    chart.on("dblclick", open);
    chart.on("click", (p) => { if (p.seriesType === "graph") { open(p); } });
    window.addEventListener("resize", () => chart.resize());
  }

  function checkAll(box) {
    const form = box.closest("form");
    box.addEventListener("change", () => {
      form.querySelectorAll("input[name=lot]").forEach((c) => { c.checked = box.checked; });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-trace-chart]").forEach(drawChart);
    document.querySelectorAll("[data-check-all]").forEach(checkAll);
  });
})();
