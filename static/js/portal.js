// Shared behaviour, loaded on every page. Pages work without it; this only adds comfort.
(function () {
  "use strict";
  // Move focus to the error summary so keyboard and screen-reader users hear the problem first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
