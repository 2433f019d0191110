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

  /* Filters a select offers; the others come only from a link (a task, department or briefing). */
  var SELECTS = ["street", "status", "action", "community", "source", "industry", "river", "after_photo"];
  var FIXED = ["task", "unit", "found", "typical"];
  var INSPECTION = ["central-inspection", "provincial-inspection"];

  function init() {
    var cases = window.RECTIFY_CASES || [];
    var hidden = JSON.parse(form.getAttribute("data-hidden") || "{}");
    var params = new URLSearchParams(location.search);
    SELECTS.forEach(function (k) {
      var el = form.elements[k];
      if (el && params.get(k)) {
        if (!Array.prototype.some.call(el.options, function (o) { return o.value === params.get(k); })) {
          el.appendChild(new Option(params.get(k), params.get(k)));
        }
        el.value = params.get(k);
      }
    });
    var fixed = {};
    FIXED.forEach(function (k) { fixed[k] = params.get(k) || ""; });
    var hits = [];
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { FIXED.forEach(function (k) { fixed[k] = ""; }); setTimeout(apply, 0); });
    var csv = document.getElementById("filter-csv");
    if (csv) csv.addEventListener("click", function () { download(hits.length ? hits : cases, csv.getAttribute("data-name")); });
    apply();

    function current() {
      var f = {};
      SELECTS.forEach(function (k) { f[k] = form.elements[k] ? form.elements[k].value : ""; });
      FIXED.forEach(function (k) { f[k] = fixed[k]; });
      return f;
    }

    function keep(c, f) {
      if (f.street && c.street !== f.street) return false;
      if (f.action && c.action !== f.action) return false;
      if (f.community && c.community !== f.community) return false;
      if (f.source === "inspection" && INSPECTION.indexOf(c.source) < 0) return false;
      if (f.source && f.source !== "inspection" && c.source !== f.source) return false;
      if (f.industry && c.industry !== f.industry) return false;
      if (f.river && c.river !== f.river) return false;
      if (f.task && c.tasks.indexOf(Number(f.task)) < 0) return false;
      if (f.unit && c.units.indexOf(f.unit) < 0) return false;
      if (f.found && c.found.indexOf(f.found) !== 0) return false;
      if (f.typical && !c.typical) return false;
      if (f.after_photo === "missing" && !c.no_after_photo) return false;
      if (f.status === "overdue") return c.overdue;
      if (f.status === "relapsed") return c.relapsed;
      return !f.status || c.status === f.status;
    }

    /* The unpublished note, where the build counted it: all cases, or one street, status or list. */
    function note(f) {
      var set = Object.keys(f).filter(function (k) { return f[k]; });
      var key = set.length === 0 ? "" : set.length === 1 && ["street", "status", "action"].indexOf(set[0]) >= 0 ? set[0] + ":" + f[set[0]] : null;
      var n = key === null ? 0 : hidden[key] || 0;
      return n ? form.getAttribute("data-unpublished").replace("{n}", n) : "";
    }

    function apply() {
      var f = current();
      var active = Object.keys(f).some(function (k) { return f[k]; });
      var list = document.getElementById("case-list");
      var results = document.getElementById("case-results");
      var count = document.getElementById("filter-count");
      /* The full list's count line describes the unfiltered list only. */
      var full = document.getElementById("list-count");
      if (full) full.hidden = !!active;
      var query = new URLSearchParams();
      Object.keys(f).forEach(function (k) { if (f[k]) query.set(k, f[k]); });
      history.replaceState(null, "", query.toString() ? "?" + query : location.pathname);
      if (!active) { hits = []; list.hidden = false; results.hidden = true; count.textContent = ""; return; }
      hits = cases.filter(function (c) { return keep(c, f); });
      list.hidden = true; results.hidden = false;
      var extra = note(f);
      count.textContent = hits.length + " / " + cases.length + (extra ? form.getAttribute("data-sep") + extra : "");
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

  /* The rows as a CSV file Excel opens (UTF-8 with BOM); a cell that could run as a formula is
     prefixed with ' as in data/cases.csv. A Blob link works from file:// too. */
  var CSV_COLUMNS = [["id", "编号"], ["name", "场所名称"], ["street_name", "街道"], ["community", "社区"], ["industry", "行业"],
    ["river_name", "河涌"], ["source_label", "发现来源"], ["action_label", "整治类型"], ["status_label", "当前状态"],
    ["overdue", "是否逾期"], ["found", "发现时间"], ["deadline", "整治期限"], ["rectified", "完成时间"], ["closed", "销号时间"]];
  function csvCell(v) {
    var s = v === true ? "是" : v === false ? "否" : String(v == null ? "" : v);
    if (/^[=+\-@\t]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function download(rows, name) {
    var lines = [CSV_COLUMNS.map(function (c) { return c[1]; }).join(",")];
    rows.forEach(function (r) { lines.push(CSV_COLUMNS.map(function (c) { return csvCell(r[c[0]]); }).join(",")); });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
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
