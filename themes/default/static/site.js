/* rectify: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

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
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();

    function apply() {
      var f = { street: form.elements.street.value, status: form.elements.status.value, action: form.elements.action.value };
      var active = f.street || f.status || f.action;
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
      hits.forEach(function (c) { body.appendChild(row(c)); });
      table.appendChild(body);
      var wrap = document.createElement("div"); wrap.className = "table-scroll"; wrap.appendChild(table);
      results.appendChild(wrap);
    }
  }

  function cell(text, cls) { var td = document.createElement("td"); if (cls) td.className = cls; td.textContent = text; return td; }
  function link(c, text) { var a = document.createElement("a"); a.href = c.id + ".html"; a.textContent = text; return a; }
  function row(c) {
    var tr = document.createElement("tr");
    var id = cell("", "id"); id.appendChild(link(c, c.id)); tr.appendChild(id);
    var name = cell(""); name.appendChild(link(c, c.name)); tr.appendChild(name);
    tr.appendChild(cell(c.street_name));
    tr.appendChild(cell(c.action_label));
    var st = cell(""); var s = document.createElement("span"); s.className = "status status-" + c.status; s.textContent = c.status_label; st.appendChild(s);
    if (c.overdue) { var o = document.createElement("span"); o.className = "tag tag-overdue"; o.textContent = c.overdue_label; st.append(" ", o); }
    if (c.relapsed) { var r = document.createElement("span"); r.className = "tag tag-relapsed"; r.textContent = c.relapsed_label; st.append(" ", r); }
    tr.appendChild(st);
    tr.appendChild(cell(c.found, "date"));
    tr.appendChild(cell(c.deadline, "date"));
    return tr;
  }
})();
