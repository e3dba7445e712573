/*
 * The book's own page behaviour (styles in sincos-book.css):
 *
 * - Widgets: the static book shows each ipywidget as the notebook left it,
 *   but no kernel answers its controls. Every widget in a cell's output is
 *   labelled as a picture, its controls disabled (the CSS lets no pointer
 *   reach them), and its images get the text the notebook stored with them
 *   as alt text.
 *   Elements of class sincos-explorer really run in the page: left alone.
 * - Tables: each cell gets its column's name (data-label), so that on a
 *   phone the CSS can show a row as a block of labelled cells.
 * - Inline code: break opportunities after . _ ( , = / so that a long name
 *   wraps there, in a narrow table column or on a phone, not mid-word.
 */
(function () {
  "use strict";

  var LIVE = "sincos-explorer";
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  var LABEL =
    "A still picture of an interactive widget. To use it, download this " +
    "notebook (top of the page) and run it.";

  function parse(script) {
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  /* The stored widget models by id. */
  function widgetModels() {
    var script = document.querySelector(STATE);
    var state = script && parse(script);
    return (state && state.state) || {};
  }

  /* base64 image -> the text/plain stored beside it in an Output widget. */
  function imageTexts(models) {
    var texts = {};
    Object.keys(models).forEach(function (id) {
      var outputs = (models[id].state || {}).outputs || [];
      outputs.forEach(function (output) {
        var data = output.data || {};
        var text = data["text/plain"];
        if (data["image/png"] && text) {
          texts[data["image/png"]] = String(text).replace(/^<|>$/g, "");
        }
      });
    });
    return texts;
  }

  function isLive(model, models) {
    var classes = (model && model.state && model.state._dom_classes) || [];
    if (classes.indexOf(LIVE) >= 0) {
      return true;
    }
    var children = (model && model.state && model.state.children) || [];
    return children.some(function (child) {
      var id = String(child).replace(/^IPY_MODEL_/, "");
      return isLive(models[id], models);
    });
  }

  function disableControls(root, texts) {
    root
      .querySelectorAll("button, input, select, textarea")
      .forEach(function (control) {
        control.disabled = true;
      });
    root.querySelectorAll(".noUi-target").forEach(function (slider) {
      slider.setAttribute("disabled", "");
    });
    root.querySelectorAll('[contenteditable="true"]').forEach(function (el) {
      el.setAttribute("contenteditable", "false");
    });
    root.querySelectorAll("img:not([alt])").forEach(function (img) {
      var base64 = img.src.split(",")[1];
      var text = texts[base64];
      img.alt =
        "Picture of the widget's figure as the notebook left it" +
        (text ? " (" + text + ")" : "");
    });
  }

  function markWidgets() {
    var models = widgetModels();
    var texts = imageTexts(models);
    document.querySelectorAll(".cell_output " + VIEW).forEach(function (view) {
      var output = view.parentElement;
      var spec = parse(view) || {};
      if (output.closest("." + LIVE) || isLive(models[spec.model_id], models)) {
        return;
      }
      var label = document.createElement("p");
      label.className = "sincos-static-widget-label";
      label.textContent = LABEL;
      output.classList.add("sincos-static-widget");
      output.prepend(label);
      // The widget manager draws the view into this element when it is ready.
      disableControls(output, texts);
      new MutationObserver(function () {
        disableControls(output, texts);
      }).observe(output, { childList: true, subtree: true });
    });
  }

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
    markWidgets();
    labelTableCells();
    breakableCode();
  });
})();
