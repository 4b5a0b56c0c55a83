/* Union Portal behaviour. Loaded as a file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  // Old IE or a browser's compatibility mode: point the user to speed mode.
  if (document.documentMode) {
    var notice = document.getElementById("compat-notice");
    if (notice) { notice.className = notice.className.replace("d-none", ""); }
  }
  // Destructive actions ask first: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { event.preventDefault(); }
  }, true);
  // Focus the first field with an error, so the user sees what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector(".is-invalid");
    if (bad && bad.focus) { bad.focus(); }
  });
  // htmx sends the CSRF token with every request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
