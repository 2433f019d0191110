/* 关怀模式, applied before the first paint (loaded in <head>): ?mode=large|contrast|large,contrast|normal
   chooses, localStorage remembers across pages (also from file://). site.js adds the toggle buttons. */
(function () {
  "use strict";
  var m = "";
  try { m = localStorage.getItem("rectify-mode") || ""; } catch (e) { /* storage off: the page stays standard */ }
  var q = new URLSearchParams(location.search).get("mode");
  if (q !== null) {
    m = q === "normal" ? "" : q;
    try { localStorage.setItem("rectify-mode", m); } catch (e) { /* not remembered, still applied */ }
  }
  m.split(/[ ,+]/).forEach(function (k) {
    if (k === "large" || k === "contrast") document.documentElement.classList.add("mode-" + k);
  });
})();
