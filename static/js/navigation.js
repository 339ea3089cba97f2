// The main menu on a phone: folded behind a "Meny" button that says whether it is open (aria-expanded).
// Without this script the button stays hidden and the whole menu shows; on wide screens it always shows.
(function () {
  "use strict";
  var nav = document.querySelector("[data-nav]");
  if (!nav) {
    return;
  }
  var button = nav.querySelector("[data-nav-toggle]");
  var narrow = window.matchMedia("(max-width: 48em)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.setAttribute("data-open", open ? "true" : "false");
  }

  function fit() {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  }
  fit();
})();
