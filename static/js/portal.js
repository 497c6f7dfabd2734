// Shared behaviour, loaded on every page. Pages work without it; this only adds comfort.
(function () {
  "use strict";

  // The words this script shows, translated by the page that loads it (base.html).
  var script = document.currentScript;
  var words = {
    findLabel: script.getAttribute("data-find-label"),
    findStatus: script.getAttribute("data-find-status"),
  };

  // A long list of checkboxes (every member of staff, say) gets a box to find an entry by any
  // words of its label, and scrolls within the page. Ticked entries always stay in view, so
  // nobody is unticked by accident. Without this script the whole list is there.
  function makeFindable(group) {
    var options = Array.prototype.slice.call(group.querySelectorAll(".form-check"));
    var legend = group.querySelector("legend");
    if (options.length < 10 || !legend) {
      return;
    }
    var id = (group.id || "choices") + "-find";
    var box = document.createElement("div");
    box.className = "mb-2";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "form-label small mb-1";
    label.textContent = words.findLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control";
    input.autocomplete = "off";
    input.spellcheck = false;
    var status = document.createElement("p");
    status.className = "form-text mb-0";
    status.setAttribute("role", "status");
    box.append(label, input, status);
    legend.insertAdjacentElement("afterend", box);
    options[0].parentElement.classList.add("findable-choices-list");

    input.addEventListener("input", function () {
      var typed = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var ticked = option.querySelector("input").checked;
        var match = ticked || typed.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = typed.length
        ? words.findStatus.replace("{shown}", shown).replace("{total}", options.length)
        : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so keyboard and screen-reader users hear the problem first.
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll(".findable-choices").forEach(makeFindable);
  });
})();
