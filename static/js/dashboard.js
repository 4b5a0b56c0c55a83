/* The dashboard's and the statistics page's charts (Chart.js, vendored). The data comes from
   <script type="application/json" id="trend-data"> (json_script): the CSP forbids inline
   scripts. Each chart: {id, title, unit, unit2?, kind, series: [{label, data, axis?, kind?}]}. */
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#dc3545", "#6f42c1"];

  function format(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    if (unit === "¥") {
      return "¥" + Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    if (unit === "%") { return Number(value).toFixed(1) + "%"; }
    return Number(value).toLocaleString();
  }

  function axisTick(unit) {
    return function (value) {
      if (unit === "¥") { return "¥" + Number(value).toLocaleString(); }
      if (unit === "%") { return value + "%"; }
      return Number(value).toLocaleString();
    };
  }

  function draw(spec, labels) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    var hasSecond = spec.series.some(function (s) { return s.axis === "y1"; });
    var datasets = spec.series.map(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      var kind = s.kind || spec.kind;
      return {
        type: kind,
        label: s.label,
        data: s.data,
        yAxisID: s.axis || "y",
        borderColor: colour,
        backgroundColor: kind === "bar" ? colour + "99" : colour,
        spanGaps: false,
        tension: 0.2,
        unit: s.axis === "y1" ? spec.unit2 : spec.unit
      };
    });
    var scales = {
      y: { beginAtZero: true, ticks: { callback: axisTick(spec.unit) } }
    };
    if (spec.unit === "%") { scales.y.suggestedMax = 100; }
    if (hasSecond) {
      scales.y1 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                    ticks: { callback: axisTick(spec.unit2) } };
    }
    new window.Chart(canvas, {
      type: spec.kind,
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          title: { display: false, text: spec.title },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " + format(ctx.raw, ctx.dataset.unit);
          } } }
        }
      }
    });
  }

  function init() {
    // Month and ranking selectors submit on change (a button remains for keyboards).
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    var node = document.getElementById("trend-data");
    if (!node || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    data.charts.forEach(function (spec) { draw(spec, data.labels); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
