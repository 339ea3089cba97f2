// The people picker (templates/components/people_picker.html): without JavaScript a search field and a Sök
// button that send the form back with the matches as radio buttons. This script removes that part and shows the
// typeahead combobox in its place (the ARIA combobox pattern): type two letters, move with the arrow keys,
// choose with Enter, close with Escape. A hidden input carries the chosen person's value in the form.
(function () {
  "use strict";
  if (window.samplanPeoplePicker) return;
  window.samplanPeoplePicker = true;

  function setUp(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var fallback = root.querySelector("[data-picker-fallback]");
    var field = fallback.querySelector("input[type=text]");
    var combo = root.querySelector(".people-picker__combo");
    var value = combo.querySelector("[data-picker-value]");
    var input = combo.querySelector("[role=combobox]");
    var listbox = combo.querySelector("[role=listbox]");
    var active = -1;

    var label = document.querySelector("label[for='" + field.id + "']");
    if (label) label.htmlFor = input.id;
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== field.id + "-fallback-hint";
    });
    if (described.length) input.setAttribute("aria-describedby", described.join(" ") + " " + input.getAttribute("aria-describedby"));
    if (field.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", field.getAttribute("aria-invalid"));
    input.value = value.dataset.label || "";
    fallback.remove();
    value.disabled = false;
    combo.hidden = false;

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]"));
    }
    function open(show) {
      var has = options().length > 0;
      input.setAttribute("aria-expanded", show && has ? "true" : "false");
      listbox.hidden = !(show && has);
      if (!(show && has)) highlight(-1);
    }
    function highlight(index) {
      var rows = options();
      active = index;
      rows.forEach(function (row, i) {
        row.setAttribute("aria-selected", i === index ? "true" : "false");
        row.classList.toggle("people-picker__option--active", i === index);
      });
      if (index >= 0 && rows[index]) {
        input.setAttribute("aria-activedescendant", rows[index].id);
        rows[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(row) {
      value.value = row.dataset.value;
      value.dataset.label = row.dataset.label;
      value.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = row.dataset.label;
      open(false);
      combo.querySelector(".people-picker__status").textContent = row.dataset.label;
    }

    listbox.hidden = true;
    input.addEventListener("keydown", function (event) {
      var rows = options();
      var expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) open(true);
        if (rows.length) highlight(Math.min(active + 1, rows.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (rows.length) highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (expanded) {
          if (active >= 0 && rows[active]) choose(rows[active]);  // choosing does not submit the form
        } else if (value.form) {
          // The input belongs to no form (its text is not sent): submit the picker's form as Enter would.
          value.form.requestSubmit(value.form.querySelector("button[type=submit], input[type=submit]"));
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          open(false);
        } else {
          input.value = "";
          value.value = "";
        }
      }
    });
    input.addEventListener("input", function () {
      if (!input.value.trim()) {
        value.value = "";
        listbox.innerHTML = "";
        open(false);
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { open(false); }, 150);
    });
    listbox.addEventListener("mousedown", function (event) {
      var row = event.target.closest("[role=option]");
      if (row) {
        event.preventDefault();
        choose(row);
      }
    });
    root.addEventListener("htmx:beforeSwap", function (event) {
      // Too many searches (429): show the server's message in the status line instead of failing silently.
      if (event.detail.xhr && event.detail.xhr.status === 429) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    listbox.addEventListener("htmx:afterSwap", function () {
      open(document.activeElement === input);
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-people-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
