// The tier tree: an ECharts tree, coloured by tier, suspended links in orange, withheld counts.
"use strict";
(function () {
  const el = document.getElementById("tier-tree");
  if (!el || !window.echarts) { return; }
  const palette = ["#1d4ed8", "#0f766e", "#7c3aed", "#b45309", "#be123c"];
  const withheldLabel = el.dataset.withheldLabel;
  const convert = (node) => {
    const children = node.children.map(convert);
    if (node.withheld > 0) {
      children.push({ name: `${node.withheld} ${withheldLabel}`, itemStyle: { color: "#9ca3af" },
                      label: { color: "#6b7280", fontStyle: "italic" } });
    }
    const color = node.status === "suspended" ? "#ea580c" : palette[node.tier % palette.length];
    return { name: node.name, value: node.id, children, itemStyle: { color, borderColor: color } };
  };
  const chart = echarts.init(el);
  const narrow = el.clientWidth < 600;
  // Long names end in "…" instead of running off a phone's screen; the tooltip shows them whole.
  const fit = { width: narrow ? 84 : 180, overflow: "truncate", ellipsis: "…" };
  chart.setOption({
    tooltip: { trigger: "item", triggerOn: "mousemove" },
    series: [{
      type: "tree", data: [convert(JSON.parse(el.dataset.tree))],
      orient: narrow ? "TB" : "LR", top: "5%", left: narrow ? "5%" : "12%",
      bottom: narrow ? "20%" : "10%", right: narrow ? "15%" : "25%", symbolSize: 12, initialTreeDepth: 3,
      expandAndCollapse: true, roam: true,
      label: { position: narrow ? "bottom" : "left", verticalAlign: "middle", fontSize: 12,
               rotate: narrow ? -30 : 0, ...fit },
      leaves: { label: { position: narrow ? "bottom" : "right", align: "left", ...fit } },
    }],
  });
  chart.on("dblclick", (params) => {
    if (params.value) { window.location.href = `/organisations/${params.value}`; }
  });
  window.addEventListener("resize", () => chart.resize());
})();
