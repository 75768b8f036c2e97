// Sort and filter the initiatives table: plain DOM, no library, no network.
// The table is complete without this script (it is rendered in the page); the script only
// shows the filter controls, hides rows that do not match and reorders rows when a column
// header is activated. Every control is a native button, input or select, so the keyboard works.
(function () {
  "use strict";
  var table = document.getElementById("initiatives");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var controls = {
    q: document.getElementById("filter-q"),
    stage: document.getElementById("filter-stage"),
    decision: document.getElementById("filter-decision"),
    governance: document.getElementById("filter-governance"),
    outcomes: document.getElementById("filter-outcomes"),
    flag: document.getElementById("filter-flag")
  };
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  // The status line's sentences, in the page's language: "{shown} of 10 initiatives shown",
  // with or without "; sorted by {column}, ascending" (data attributes of #shown).
  var sorting = null;

  function matches(row) {
    var words = controls.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var text = row.getAttribute("data-search") || "";
    for (var i = 0; i < words.length; i++) {
      if (text.indexOf(words[i]) === -1) { return false; }
    }
    var keys = ["stage", "decision", "outcomes", "governance"];
    for (var k = 0; k < keys.length; k++) {
      var wanted = controls[keys[k]].value;
      if (wanted && row.getAttribute("data-" + keys[k]) !== wanted) { return false; }
    }
    var flag = controls.flag.value;
    var flags = (row.getAttribute("data-flags") || "").split(" ").filter(Boolean);
    if (flag === "any") { return flags.length > 0; }
    if (flag === "none") { return flags.length === 0; }
    return !flag || flags.indexOf(flag) !== -1;
  }

  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var keep = matches(row);
      row.hidden = !keep;
      if (keep) { count += 1; }
    });
    var key = sorting === null ? "data-shown" : (sorting.ascending ? "data-ascending" : "data-descending");
    var sentence = shown.getAttribute(key).replace("{shown}", String(count));
    shown.textContent = sorting === null ? sentence : sentence.replace("{column}", sorting.column);
    empty.hidden = count !== 0 || rows.length === 0;
  }

  function sortValue(row, index, numeric) {
    var raw = row.cells[index].getAttribute("data-sort");
    if (raw === null || raw === "") { return null; }
    return numeric ? parseFloat(raw) : raw;
  }

  function sortBy(header) {
    var index = header.cellIndex;
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, position) {
      return { row: row, value: sortValue(row, index, numeric), position: position };
    });
    keyed.sort(function (a, b) {
      if (a.value === null || b.value === null) {  // empty cells last, whatever the direction
        if (a.value === b.value) { return a.position - b.position; }
        return a.value === null ? 1 : -1;
      }
      var order = numeric ? a.value - b.value : collator.compare(a.value, b.value);
      if (order === 0) { return a.position - b.position; }
      return ascending ? order : -order;
    });
    rows = keyed.map(function (item) { return item.row; });
    rows.forEach(function (row) { tbody.appendChild(row); });
    sorting = { column: header.textContent.trim(), ascending: ascending };
    apply();
  }

  Array.prototype.forEach.call(table.querySelectorAll("thead th button"), function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode); });
  });
  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === "q" ? "input" : "change", apply);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  // A bar of a summary chart filters the table on what it counts.
  function filterFromChart(bar) {
    var control = controls[bar.getAttribute("data-filter")];
    if (!control) { return; }
    control.value = bar.getAttribute("data-value");
    apply();
    table.scrollIntoView({ block: "start" });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter]"), function (bar) {
    bar.addEventListener("click", function () { filterFromChart(bar); });
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        filterFromChart(bar);
      }
    });
  });

  form.hidden = false;
  apply();
})();
