/* The quarterly report form: the reason for a change shows only beside a figure that differs
   from the portal's count (every reason shows when scripts are off). */
(function () {
  "use strict";
  function same(a, b) {
    if (a === "" || b === "") { return a === b; }
    return Number(a) === Number(b);
  }
  function update(wrapper) {
    var input = document.getElementById(wrapper.getAttribute("data-reason-for"));
    var reason = wrapper.querySelector("input");
    if (!input || !reason) { return; }
    var changed = !same(input.value.trim(), input.getAttribute("data-computed") || "");
    wrapper.classList.toggle("d-none", !changed && reason.value.trim() === "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var wrappers = document.querySelectorAll("[data-reason-for]");
    Array.prototype.forEach.call(wrappers, function (wrapper) {
      update(wrapper);
      var input = document.getElementById(wrapper.getAttribute("data-reason-for"));
      if (input) { input.addEventListener("input", function () { update(wrapper); }); }
    });
  });
})();
