/* codesign: the few jQuery and bootstrap-table calls of Great Expectations' Data Docs, offline.
   Fills a table from the rows the page holds, runs "ready" functions; any other call is a no-op. */
(function () {
  "use strict";
  var waiting = [];
  function fillTable(table, options) {
    var columns = options.columns || [];
    var rows = options.data || [];
    var head = document.createElement("thead");
    var titles = document.createElement("tr");
    columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column.title || column.field;
      titles.appendChild(th);
    });
    head.appendChild(titles);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      columns.forEach(function (column) {
        var td = document.createElement("td");
        var value = row[column.field];
        td.innerHTML = value === undefined || value === null ? "" : String(value);
        tr.appendChild(td);
      });
      var link = row._table_row_link_path;
      if (link) {
        tr.className = "codesign-link-row";
        tr.tabIndex = 0;
        tr.addEventListener("click", function () { window.location = link; });
        tr.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { window.location = link; }
        });
      }
      body.appendChild(tr);
    });
    table.innerHTML = "";
    table.appendChild(head);
    table.appendChild(body);
  }
  function wrap(nodes) {
    var self;
    var known = {
      bootstrapTable: function (options) {
        if (options && typeof options === "object") {
          nodes.forEach(function (node) { fillTable(node, options); });
        }
        return self;
      },
      ready: function (fn) { waiting.push(fn); return self; },
      each: function (fn) { nodes.forEach(function (n, i) { fn.call(n, i, n); }); return self; },
      length: nodes.length
    };
    self = new Proxy(known, {
      get: function (target, key) {
        return key in target ? target[key] : function () { return self; };
      }
    });
    return self;
  }
  window.$ = window.jQuery = function (selector) {
    if (typeof selector === "function") { waiting.push(selector); return wrap([]); }
    if (typeof selector !== "string") { return wrap([]); }
    try {
      return wrap(Array.prototype.slice.call(document.querySelectorAll(selector)));
    } catch (error) {
      return wrap([]);
    }
  };
  window.vegaEmbed = function () { return Promise.resolve(); };
  document.addEventListener("DOMContentLoaded", function () {
    waiting.forEach(function (fn) {
      try { fn(); } catch (error) { /* a page's own extra behaviour; the content is shown */ }
    });
  });
})();
