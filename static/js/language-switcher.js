// Keep the language switch showing the page's own language. A page restored from the back-forward cache
// keeps whatever was picked in the list but never sent, so reset the list to the option the server marked.
(function () {
  "use strict";

  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".language-switcher select").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.selected = option.defaultSelected;
      });
    });
  });
})();
