// eventwatch UI: small, same-origin, no dependencies. Pages work without it.
"use strict";

// Filter forms: drop empty fields so URLs stay short and shareable.
document.querySelectorAll("form.filters").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (el) {
      if (!el.value) { el.disabled = true; }
    });
  });
  form.querySelectorAll("select").forEach(function (sel) {
    sel.addEventListener("change", function () { form.requestSubmit(); });
  });
});

// Map: pan by dragging, zoom by wheel or buttons (the SVG viewBox changes; nothing is fetched).
(function () {
  var svg = document.getElementById("map");
  if (!svg) { return; }
  var home = svg.getAttribute("data-viewbox").split(" ").map(Number);
  var vb = home.slice();
  function apply() { svg.setAttribute("viewBox", vb.map(function (v) { return v.toFixed(2); }).join(" ")); }
  function zoom(factor, cx, cy) {
    var w = vb[2] * factor, h = vb[3] * factor;
    if (w > home[2] * 1.5 || w < home[2] / 40) { return; }
    cx = cx === undefined ? vb[0] + vb[2] / 2 : cx;
    cy = cy === undefined ? vb[1] + vb[3] / 2 : cy;
    vb = [cx - (cx - vb[0]) * factor, cy - (cy - vb[1]) * factor, w, h];
    svg.classList.toggle("zoomed", w < home[2]);
    apply();
  }
  function point(evt) {
    var r = svg.getBoundingClientRect();
    return [vb[0] + (evt.clientX - r.left) / r.width * vb[2], vb[1] + (evt.clientY - r.top) / r.height * vb[3]];
  }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = point(evt);
    zoom(evt.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
  }, { passive: false });
  var drag = null, moved = false;
  svg.addEventListener("pointerdown", function (evt) { drag = [evt.clientX, evt.clientY, vb[0], vb[1]]; moved = false; });
  window.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    var dx = (evt.clientX - drag[0]) / r.width * vb[2], dy = (evt.clientY - drag[1]) / r.height * vb[3];
    if (Math.abs(evt.clientX - drag[0]) + Math.abs(evt.clientY - drag[1]) > 4) { moved = true; }
    vb[0] = drag[2] - dx; vb[1] = drag[3] - dy;
    apply();
  });
  window.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("click", function (evt) { if (moved) { evt.preventDefault(); moved = false; } }, true);
  document.querySelectorAll("#zoom button").forEach(function (b) {
    b.addEventListener("click", function () {
      var what = b.getAttribute("data-zoom");
      if (what === "in") { zoom(0.67); } else if (what === "out") { zoom(1.5); } else { vb = home.slice(); svg.classList.remove("zoomed"); svg.setAttribute("viewBox", svg.getAttribute("data-viewbox")); }
    });
  });
})();

// Reader: bring the selected event's sentence into view.
(function () {
  var s = document.querySelector(".body .hl-sentence");
  if (s && location.hash === "#evidence") { s.scrollIntoView({ block: "center" }); }
})();
