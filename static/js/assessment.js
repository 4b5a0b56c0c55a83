// The checklist adds up as you go: each area's points and the total, from the score fields
// (data-score-area) and the computed items' fixed points (data-fixed-area).
(function () {
  "use strict";
  var form = document.getElementById("checklist");
  if (!form) return;
  function value(el) {
    var v = parseFloat(el.value);
    return isNaN(v) ? 0 : v;
  }
  function update() {
    var areas = {};
    var total = 0;
    form.querySelectorAll("[data-score-area]").forEach(function (el) {
      var a = el.getAttribute("data-score-area");
      areas[a] = (areas[a] || 0) + value(el);
      total += value(el);
    });
    document.querySelectorAll("[data-fixed-area]").forEach(function (el) {
      var a = el.getAttribute("data-fixed-area");
      var v = parseFloat(el.getAttribute("data-points")) || 0;
      areas[a] = (areas[a] || 0) + v;
      total += v;
    });
    Object.keys(areas).forEach(function (a) {
      var out = document.querySelector('[data-area-total="' + a + '"]');
      if (out) out.textContent = areas[a].toFixed(1);
    });
    var out = document.getElementById("running-total");
    if (out) out.textContent = total.toFixed(1);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
