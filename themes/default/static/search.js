/* rectify search: loads data/search-index.js (a script, so it works from disk) and matches every
   word of the query as a substring, which also suits Chinese text without word splitting. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = form.getAttribute("data-index").replace(/data\/search-index\.js$/, "");
  var s = document.createElement("script");
  s.src = form.getAttribute("data-index");
  s.onload = function () {
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q) run(q);
    input.addEventListener("input", function () { run(input.value); });
  };
  document.head.appendChild(s);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });

  function norm(t) { return (t || "").toLowerCase().normalize("NFKC"); }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var hits = [];
    (window.RECTIFY_SEARCH || []).forEach(function (e) {
      var title = norm(e.t), text = norm(e.x), score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i], inTitle = title.indexOf(w) >= 0, inText = text.indexOf(w) >= 0;
        if (!inTitle && !inText) return;
        score += inTitle ? 10 : 1;
      }
      hits.push({ e: e, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || (b.e.d > a.e.d ? 1 : b.e.d < a.e.d ? -1 : 0); });
    status.textContent = hits.length ? form.getAttribute("data-results").replace("{n}", hits.length) : form.getAttribute("data-none");
    hits.slice(0, 200).forEach(function (h) { list.appendChild(item(h.e, words)); });
  }

  function item(e, words) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + e.u;
    mark(a, e.t, words);
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = " " + e.k + (e.d ? " · " + e.d : "");
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "excerpt";
    mark(p, snippet(e.x, words[0]), words);
    li.appendChild(p);
    return li;
  }

  function snippet(text, word) {
    var at = norm(text).indexOf(word);
    if (at < 0) return text.slice(0, 80);
    var start = Math.max(0, at - 30);
    return (start > 0 ? "…" : "") + text.slice(start, at + 60) + (at + 60 < text.length ? "…" : "");
  }

  /* Appends text with the query words wrapped in <mark>, using text nodes only (no HTML parsing). */
  function mark(el, text, words) {
    var lower = norm(text), i = 0;
    while (i < text.length) {
      var next = -1, len = 0;
      words.forEach(function (w) { var j = lower.indexOf(w, i); if (j >= 0 && (next < 0 || j < next)) { next = j; len = w.length; } });
      if (next < 0) { el.appendChild(document.createTextNode(text.slice(i))); break; }
      if (next > i) el.appendChild(document.createTextNode(text.slice(i, next)));
      var m = document.createElement("mark");
      m.textContent = text.slice(next, next + len);
      el.appendChild(m);
      i = next + len;
    }
  }
})();
