// Draw each server-built Vega-Lite spec with vega-embed, without eval (the CSP allows no 'unsafe-eval'):
// expressions go through vega-interpreter; canvas rendering and no tooltip handler add no inline styles.
(function () {
  "use strict";
  function draw() {
    if (typeof window.vegaEmbed !== "function") return;
    document.querySelectorAll("[data-vega-spec]").forEach(function (target) {
      var source = document.getElementById(target.getAttribute("data-vega-spec"));
      if (!source) return;
      window.vegaEmbed(target, JSON.parse(source.textContent), {
        renderer: "canvas",
        actions: false,
        ast: true,
        expr: window.vega.expressionInterpreter,
        defaultStyle: false,
        tooltip: false, // vega-tooltip would add a <style> element, which the CSP refuses
      }).catch(function () {
        target.hidden = true; // the table beside the chart holds the same figures
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
