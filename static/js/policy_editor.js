// The review editor: the difference from the published version follows what is typed in the
// clause and its list. A comfort only: without it the page shows the saved difference, and
// saving works the same.
(function () {
  "use strict";
  var DELAY = 400;

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("live-diff");
    var fields = document.querySelectorAll("textarea[data-live-diff]");
    if (!panel || !fields.length || !window.fetch) return;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var latest = 0;

    function refresh() {
      var data = new FormData();
      fields.forEach(function (field) {
        data.append(field.name, field.value);
      });
      var request = ++latest;
      fetch(panel.getAttribute("data-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          // Only the answer to the newest request is shown.
          if (request === latest) panel.innerHTML = html;
        })
        .catch(function () {
          // The saved difference stays on the page; nothing else to do.
        });
    }

    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, DELAY);
      });
    });
    // Typing can start before this file has loaded, and the browser refills fields on "Back":
    // show the difference at once if the wording is not what the page was sent with.
    if (Array.prototype.some.call(fields, function (field) {
      return field.value !== field.defaultValue;
    })) {
      refresh();
    }
  });
})();
