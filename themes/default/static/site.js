/* rectify: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  /* 关怀模式: large text and high contrast toggle independently and are remembered across pages. */
  var root = document.documentElement;
  var modeLinks = document.querySelectorAll(".care a[data-mode]");
  function showModes() {
    modeLinks.forEach(function (a) {
      var m = a.getAttribute("data-mode");
      var on = m === "normal" ? !root.classList.contains("mode-large") && !root.classList.contains("mode-contrast") : root.classList.contains("mode-" + m);
      a.setAttribute("role", "button");
      a.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  modeLinks.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var m = a.getAttribute("data-mode");
      if (m === "normal") { root.classList.remove("mode-large", "mode-contrast"); } else { root.classList.toggle("mode-" + m); }
      var kept = ["large", "contrast"].filter(function (k) { return root.classList.contains("mode-" + k); }).join(",");
      try { localStorage.setItem("rectify-mode", kept); } catch (err) {}
      showModes();
    });
    a.addEventListener("keydown", function (e) { if (e.key === " ") { e.preventDefault(); a.click(); } });
  });
  showModes();

  var form = document.getElementById("case-filter");
  if (!form) return;
  var listUrl = form.getAttribute("data-list");
  var script = document.createElement("script");
  script.src = listUrl;
  script.onload = init;
  document.head.appendChild(script);

  function init() {
    var cases = window.RECTIFY_CASES || [];
    var params = new URLSearchParams(location.search);
    ["street", "status", "action"].forEach(function (k) {
      if (params.get(k)) form.elements[k].value = params.get(k);
    });
    /* A task or department link (from their pages) narrows the list too; reset clears it. */
    var fixed = { task: params.get("task") || "", unit: params.get("unit") || "" };
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { fixed = { task: "", unit: "" }; setTimeout(apply, 0); });
    apply();

    function apply() {
      var f = { street: form.elements.street.value, status: form.elements.status.value, action: form.elements.action.value, task: fixed.task, unit: fixed.unit };
      var active = f.street || f.status || f.action || f.task || f.unit;
      var list = document.getElementById("case-list");
      var results = document.getElementById("case-results");
      var count = document.getElementById("filter-count");
      var query = new URLSearchParams();
      Object.keys(f).forEach(function (k) { if (f[k]) query.set(k, f[k]); });
      history.replaceState(null, "", query.toString() ? "?" + query : location.pathname);
      if (!active) { list.hidden = false; results.hidden = true; count.textContent = ""; return; }
      var hits = cases.filter(function (c) {
        if (f.street && c.street !== f.street) return false;
        if (f.action && c.action !== f.action) return false;
        if (f.task && c.tasks.indexOf(Number(f.task)) < 0) return false;
        if (f.unit && c.units.indexOf(f.unit) < 0) return false;
        if (f.status === "overdue") return c.overdue;
        if (f.status === "relapsed") return c.relapsed;
        return !f.status || c.status === f.status;
      });
      list.hidden = true; results.hidden = false;
      count.textContent = hits.length + " / " + cases.length;
      results.textContent = "";
      if (!hits.length) { results.appendChild(document.getElementById("no-results").content.cloneNode(true)); return; }
      var table = list.querySelector("table").cloneNode(false);
      table.appendChild(list.querySelector("thead").cloneNode(true));
      var body = document.createElement("tbody");
      var labels = Array.prototype.map.call(list.querySelectorAll("thead th"), function (th) { return th.textContent; });
      hits.forEach(function (c) { body.appendChild(row(c, labels)); });
      table.appendChild(body);
      var wrap = document.createElement("div"); wrap.className = "table-scroll"; wrap.tabIndex = 0; wrap.setAttribute("role", "region"); wrap.setAttribute("aria-label", list.querySelector(".table-scroll").getAttribute("aria-label") || ""); wrap.appendChild(table);
      results.appendChild(wrap);
    }
  }

  function cell(text, cls) { var td = document.createElement("td"); if (cls) td.className = cls; td.textContent = text; return td; }
  function sub(td, text) { if (!text) return; var s = document.createElement("span"); s.className = "sub"; s.textContent = text; td.appendChild(s); }
  function link(c, text) { var a = document.createElement("a"); a.href = c.id + ".html"; a.textContent = text; return a; }
  function row(c, labels) {
    var tr = document.createElement("tr");
    var id = cell("", "id"); id.appendChild(link(c, c.id)); tr.appendChild(id);
    var name = cell("", "name"); name.appendChild(link(c, c.name)); sub(name, c.industry); tr.appendChild(name);
    var street = cell(c.street_name, "street"); sub(street, c.community); tr.appendChild(street);
    tr.appendChild(cell(c.action_label, "action"));
    var st = cell("", "st"); var s = document.createElement("span"); s.className = "status status-" + c.status; s.textContent = c.status_label; st.appendChild(s);
    if (c.overdue) { var o = document.createElement("span"); o.className = "tag tag-overdue"; o.textContent = form.getAttribute("data-overdue"); st.append(" ", o); }
    if (c.relapsed) { var r = document.createElement("span"); r.className = "tag tag-relapsed"; r.textContent = form.getAttribute("data-relapsed"); st.append(" ", r); }
    tr.appendChild(st);
    tr.appendChild(cell(c.found, "date"));
    tr.appendChild(cell(c.deadline, c.deadline ? "date" : "date blank"));
    Array.prototype.forEach.call(tr.children, function (td, i) { if (labels[i]) td.setAttribute("data-label", labels[i]); });
    return tr;
  }
})();
