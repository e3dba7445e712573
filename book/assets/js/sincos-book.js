/*
 * The book's own page behaviour (styles in sincos-book.css):
 *
 * - Tables: each cell gets its column's name (data-label), so that on a
 *   phone the CSS can show a row as a block of labelled cells.
 * - Inline code: break opportunities after . _ ( , = / so that a long name
 *   wraps there, in a narrow table column or on a phone, not mid-word.
 */
(function () {
  "use strict";

  /* Long inline code may break after . _ ( , = / rather than anywhere;
     a short name (up to 20 characters) stays whole. */
  function breakableCode() {
    document
      .querySelectorAll(".bd-article code.literal span.pre")
      .forEach(function (span) {
        var parts = span.textContent.split(/(?<=[._(,=/])(?=.)/);
        if (parts.length < 2 || span.textContent.length <= 20) {
          return;
        }
        span.textContent = "";
        parts.forEach(function (part, i) {
          if (i > 0) {
            span.appendChild(document.createElement("wbr"));
          }
          span.appendChild(document.createTextNode(part));
        });
      });
  }

  function labelTableCells() {
    document.querySelectorAll(".bd-article table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) {
        return;
      }
      table.classList.add("sincos-stacked");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i]) {
            cell.setAttribute("data-label", heads[i].textContent.trim());
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTableCells();
    breakableCode();
  });
})();
