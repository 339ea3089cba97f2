// Small accessibility helpers every page gets (loaded from base.html; the CSP allows only our own files).
//
// 1. A table wider than the screen scrolls inside its own container instead of the whole page scrolling
//    sideways (WCAG 1.4.10 Reflow). The container is a named region and takes keyboard focus only while it
//    actually scrolls, so keyboard users can scroll it and desktop users get no extra tab stops.
// 2. After a failed submit the error summary takes focus and the page title starts with "Fel: " (WCAG 3.3.1),
//    so screen-reader users hear at once that the form was not sent and why.
(function () {
  "use strict";

  var script = document.currentScript;
  var errorPrefix = (script && script.dataset.errorPrefix) || "Fel:";
  var tableLabel = (script && script.dataset.tableLabel) || "Tabell";

  function wrapTables() {
    var containers = [];
    document.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent.classList.contains("table-scroll")) {
        var wrapper = document.createElement("div");
        wrapper.className = "table-scroll";
        parent.insertBefore(wrapper, table);
        wrapper.appendChild(table);
        parent = wrapper;
      }
      var caption = table.querySelector("caption");
      if (!parent.hasAttribute("aria-label") && !parent.hasAttribute("aria-labelledby")) {
        parent.setAttribute("aria-label", caption ? caption.textContent.trim() : tableLabel);
      }
      containers.push(parent);
    });
    return containers;
  }

  function markScrolling(containers) {
    containers.forEach(function (container) {
      if (container.scrollWidth > container.clientWidth + 1) {
        container.setAttribute("role", "region");
        container.setAttribute("tabindex", "0");
      } else {
        container.removeAttribute("role");
        container.removeAttribute("tabindex");
      }
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector("main .error-summary, main .ds-error-summary");
    if (!summary) {
      return;
    }
    if (document.title.indexOf(errorPrefix) !== 0) {
      document.title = errorPrefix + " " + document.title;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }

  function start() {
    var containers = wrapTables();
    markScrolling(containers);
    var pending = false;
    window.addEventListener("resize", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          markScrolling(containers);
        });
      }
    });
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
