/* Progress of imports and exports (ux.md "Long work"). Loaded as a file: the CSP forbids
   inline scripts. Polls the job's status every 1.5 s and reloads the page once the job has
   settled, so the server renders the result (counts, errors, the download button). */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url][data-job-poll]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("[data-job-bar]");
  var meter = box.querySelector("[data-job-progress]");
  var text = box.querySelector("[data-job-text]");

  function show(status) {
    var percent = Math.max(0, Math.min(100, status.percent || 0));
    // Setting style from a script file is allowed under the CSP (no inline style attribute).
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
    if (status.message) { text.textContent = status.message; }
  }

  function tick() {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { window.setTimeout(tick, 5000); return; }
      var status = JSON.parse(request.responseText);
      show(status);
      if (status.finished) { window.location.reload(); return; }
      window.setTimeout(tick, 1500);
    };
    request.onerror = function () { window.setTimeout(tick, 5000); };
    request.send();
  }
  tick();
})();
