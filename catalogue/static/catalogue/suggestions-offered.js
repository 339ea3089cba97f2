// A suggested intervention, clicked in the plan's action form or the referral form, fills the form's field:
// the action's description with the intervention and its provider, or the referral's choice of intervention.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-suggestion-fill]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-suggestion-fill"));
    if (!field) {
      return;
    }
    field.value = button.getAttribute("data-suggestion-value");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
  });
})();
