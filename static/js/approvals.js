// Post form comfort: a live character count against the chosen account's limit and a live
// preview. The form works without this file; the server checks the limit as well.
(function () {
  "use strict";

  // X counts every web address as 23 characters (its t.co link); elsewhere in full.
  var X_LINK_LENGTH = 23;
  var URL_IN_TEXT = /(?:https?:\/\/|www\.)\S+/gi;

  // The wording comes from the template (marked for translation there) with "%(name)s" for
  // each number, as Django's interpolate() would fill it.
  function fill(format, values) {
    return (format || "").replace(/%\((\w+)\)s/g, function (placeholder, name) {
      return name in values ? String(values[name]) : placeholder;
    });
  }

  function publishedLength(text, link, platform) {
    // The same rule as approvals.platforms.published_length: the text, then a space and the link.
    var normalised = text.replace(/\r\n/g, "\n").trim();
    link = link.trim();
    if (platform === "x") {
      normalised = normalised.replace(URL_IN_TEXT, new Array(X_LINK_LENGTH + 1).join("x"));
      return Array.from(normalised).length + (link ? X_LINK_LENGTH + 1 : 0);
    }
    var length = Array.from(normalised).length;
    if (link) {
      length += Array.from(link).length + 1;
    }
    return length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-post-form]");
    if (!form) {
      return;
    }
    var limitsElement = document.getElementById("account-limits");
    var limits = limitsElement ? JSON.parse(limitsElement.textContent) : {};
    var platformsElement = document.getElementById("account-platforms");
    var platforms = platformsElement ? JSON.parse(platformsElement.textContent) : {};
    var previewCard = document.querySelector("[data-preview='card']");
    var account = form.querySelector("select[name='account']");
    var text = form.querySelector("textarea[name='text']");
    var link = form.querySelector("input[name='link']");
    var counter = form.querySelector("[data-char-count]");
    var previewText = document.querySelector("[data-preview='text']");
    var previewLink = document.querySelector("[data-preview='link']");
    var previewName = document.querySelector("[data-preview='account-name']");
    var previewHandle = document.querySelector("[data-preview='account-handle']");
    if (!text || !counter) {
      return;
    }
    if (text.id) {
      text.setAttribute(
        "aria-describedby",
        ((text.getAttribute("aria-describedby") || "") + " " + counter.id).trim()
      );
    }

    function update() {
      var platform = account ? platforms[account.value] : undefined;
      var used = publishedLength(text.value, link ? link.value : "", platform);
      if (previewCard && platform) {
        previewCard.className = "post-preview-card post-preview-" + platform;
      }
      var limit = account ? limits[account.value] : undefined;
      if (limit) {
        var left = limit - used;
        counter.textContent = fill(
          counter.getAttribute(left >= 0 ? "data-within-limit" : "data-over-limit"),
          { used: used, limit: limit, left: left, over: -left }
        );
        counter.classList.toggle("is-over", left < 0);
      } else {
        counter.textContent = fill(counter.getAttribute("data-no-limit"), { used: used });
        counter.classList.remove("is-over");
      }
      if (previewText) {
        previewText.textContent = text.value;
      }
      if (previewLink) {
        previewLink.textContent = link ? link.value : "";
      }
      if (account && previewName) {
        var option = account.options[account.selectedIndex];
        var label = option && option.value
          ? option.textContent
          : previewName.getAttribute("data-no-account");
        previewName.textContent = label.split(" (")[0];
        var handle = label.match(/\(([^)]*)\)/);
        if (previewHandle) {
          previewHandle.textContent = handle && option.value ? handle[1] : "";
        }
      }
    }

    [text, link, account].forEach(function (element) {
      if (element) {
        element.addEventListener("input", update);
        element.addEventListener("change", update);
      }
    });
    update();
  });
})();

// Copy buttons (the personal-use page's profile statement). Without this file the statement
// stays in a read-only box to select and copy by hand; the button only appears with it. What
// the status says comes from its data-copied and data-copy-by-hand attributes (translated in
// the template).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy-button]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-button"));
      var status = button.parentNode.querySelector("[data-copy-status]");
      if (!source) {
        return;
      }
      var say = function (attribute) {
        if (status) {
          status.textContent = status.getAttribute(attribute);
        }
      };
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () {
          say("data-copied");
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(source.value).then(done, function () {
            source.select();
            say("data-copy-by-hand");
          });
        } else {
          source.select();
          document.execCommand("copy");
          done();
        }
      });
    });
  });
})();

// Pre-screening as the author writes: after a pause in typing, ask the server for the findings
// (rendered and escaped there) and show them beside the form. Without JavaScript the findings
// appear after saving, and on the post page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var live = document.querySelector("[data-prescreen-live]");
    var form = live ? live.closest("form") : null;
    if (!live || !form || !window.fetch) {
      return;
    }
    var text = form.querySelector("textarea[name='text']");
    var link = form.querySelector("input[name='link']");
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    if (!text || !token) {
      return;
    }
    var timer = null;
    var latest = 0;
    var check = function () {
      var body = new FormData();
      body.append("text", text.value);
      body.append("link", link ? link.value : "");
      body.append("csrfmiddlewaretoken", token.value);
      var request = ++latest;
      fetch(live.getAttribute("data-prescreen-live"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html !== null && request === latest) {
          live.innerHTML = html;
        }
      }).catch(function () {
        // Offline or the server is busy: the findings appear again after saving.
      });
    };
    [text, link].forEach(function (element) {
      if (element) {
        element.addEventListener("input", function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(check, 700);
        });
      }
    });
    // Typing can start before this file has loaded, and the browser refills fields on "Back":
    // check at once if what is in the form is not what the page was sent with.
    if ([text, link].some(function (element) {
      return element && element.value !== element.defaultValue;
    })) {
      check();
    }
  });
})();
