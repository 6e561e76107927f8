// Draws the metric explorer's chart from the Vega-Lite spec the server put in the
// page, and again whenever htmx swaps the explorer in.
(function () {
  "use strict";

  function drawChart() {
    var target = document.getElementById("chart");
    var specNode = document.getElementById("chart-spec");
    if (!target || !specNode || typeof vegaEmbed === "undefined") {
      return;
    }
    var spec = JSON.parse(specNode.textContent);
    target.dataset.state = "drawing";
    vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: { PNG_ACTION: "保存 PNG", SVG_ACTION: "保存 SVG" },
    }).then(function (result) {
      target.dataset.state = "drawn";
      window.bulletinChart = result.view;
    }).catch(function (error) {
      target.dataset.state = "failed";
      target.textContent = "图表无法绘制：" + error;
      throw error;
    });
  }

  function whenReady() {
    drawChart();
    document.body.addEventListener("htmx:afterSettle", drawChart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenReady);
  } else {
    whenReady();
  }
})();
