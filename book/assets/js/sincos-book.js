/*
 * The book's own page behaviour (styles in sincos-book.css):
 *
 * - Tables: each cell gets its column's name (data-label), so that on a
 *   phone the CSS can show a row as a block of labelled cells.
 * - Inline code breaks only at spaces and after . / _ , never inside a
 *   word or after a hyphen ("python -m").
 * - A box that scrolls sideways (code, printed output, an equation) shows
 *   a shadow at each edge it hides more content behind.
 * - Inline math keeps the punctuation that follows it on its line.
 * - A figure shown smaller than it was drawn (on a phone) opens full size,
 *   with its alt text, on a tap; so does the training animation. The
 *   diagrams a notebook carries scroll sideways at full size instead.
 */
(function () {
  "use strict";

  var WORDS = {
    en: {
      open: "Tap to open full size",
      close: "Close",
    },
    zh: {
      open: "点按以原尺寸打开",
      close: "关闭",
    },
  };
  var words = WORDS[
    (document.documentElement.lang || "en").slice(0, 2) === "zh" ? "zh" : "en"
  ];

  /* Long inline code (over 20 characters) is cut into pieces after . / _;
     each piece stays whole (CSS), the page may break between them. */
  function breakableCode() {
    document
      .querySelectorAll(".bd-article code.literal span.pre")
      .forEach(function (span) {
        var text = span.textContent;
        var parts = text.split(/(?<=[._/])(?=.)/);
        if (parts.length < 2 || text.length <= 20) {
          return;
        }
        span.textContent = "";
        span.classList.add("sincos-pieces");
        parts.forEach(function (part, i) {
          if (i > 0) {
            span.appendChild(document.createElement("wbr"));
          }
          var piece = document.createElement("span");
          piece.className = "sincos-piece";
          piece.textContent = part;
          span.appendChild(piece);
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

  /* Inline math and a following ":", ")" and the like go on one line. */
  function keepPunctuationWithMath() {
    document
      .querySelectorAll(".bd-article span.math")
      .forEach(function (math) {
        var next = math.nextSibling;
        if (!next || next.nodeType !== 3) {
          return;
        }
        var marks = /^[:;,.)\]!?]+/.exec(next.nodeValue);
        if (!marks) {
          return;
        }
        var keep = document.createElement("span");
        keep.className = "sincos-nowrap";
        math.parentNode.insertBefore(keep, math);
        keep.appendChild(math);
        keep.appendChild(document.createTextNode(marks[0]));
        next.nodeValue = next.nodeValue.slice(marks[0].length);
      });
  }

  /* -- boxes that scroll sideways ----------------------------------------- */

  var SCROLLERS =
    ".bd-article div.highlight pre, .bd-article .cell_output pre, " +
    ".bd-article mjx-container[display='true'], .sincos-wide";

  /* The classes go on the box, or on its frame if it has one: an image
     would cover an inset shadow, a frame's overlay is drawn over it. */
  function markEdges(box) {
    var hidden = box.scrollWidth - box.clientWidth;
    var marked = box.parentElement.classList.contains("sincos-frame") ?
      box.parentElement : box;
    marked.classList.toggle(
      "sincos-more-left",
      hidden > 1 && box.scrollLeft > 1
    );
    marked.classList.toggle(
      "sincos-more-right",
      hidden > 1 && box.scrollLeft < hidden - 1
    );
  }

  /* A sideways scrolling box for `content`, in a frame. */
  function wideBox(content) {
    var frame = document.createElement("div");
    frame.className = "sincos-frame";
    var box = document.createElement("div");
    box.className = "sincos-wide";
    frame.appendChild(box);
    if (content) {
      content.parentNode.insertBefore(frame, content);
      box.appendChild(content);
    }
    return frame;
  }

  function watchScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (!box.sincosWatched) {
        box.sincosWatched = true;
        box.addEventListener("scroll", function () {
          markEdges(box);
        }, { passive: true });
      }
      markEdges(box);
    });
  }

  /* -- full size on a tap -------------------------------------------------- */

  var zoom = null;

  function zoomDialog() {
    if (zoom) {
      return zoom;
    }
    var dialog = document.createElement("dialog");
    dialog.className = "sincos-zoom";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sincos-zoom-close";
    close.textContent = "\u2715";
    close.setAttribute("aria-label", words.close);
    var frame = wideBox(null);
    var view = frame.firstChild;
    view.classList.add("sincos-zoom-view");
    var caption = document.createElement("p");
    caption.className = "sincos-zoom-caption";
    dialog.append(close, frame, caption);
    document.body.appendChild(dialog);
    zoom = { dialog: dialog, view: view, caption: caption, back: null };
    /* Whatever was moved in (the animation) goes back where it was, at
       once: the close event comes later, maybe after the next opening. */
    function shut() {
      if (zoom.back) {
        zoom.back();
        zoom.back = null;
      }
      zoom.view.replaceChildren();
      dialog.close();
    }
    close.addEventListener("click", shut);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        shut();
      }
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault(); /* Escape */
      shut();
    });
    return zoom;
  }

  function openFull(content, alt, back) {
    var z = zoomDialog();
    z.view.replaceChildren(content);
    z.caption.textContent = alt || "";
    z.back = back || null;
    z.dialog.showModal();
    watchScrollers();
  }

  function shrunk(img) {
    return img.naturalWidth > 0 &&
      img.getBoundingClientRect().width < 0.99 * img.naturalWidth;
  }

  function zoomableFigures() {
    var images = document.querySelectorAll(
      ".bd-article figure img, .bd-article .cell_output img"
    );
    images.forEach(function (img) {
      if (img.closest(".animation, .sincos-wide")) {
        return;
      }
      function open() {
        if (!shrunk(img)) {
          return;
        }
        var full = img.cloneNode();
        full.removeAttribute("class");
        full.removeAttribute("tabindex");
        full.removeAttribute("title");
        full.style.width = img.naturalWidth + "px";
        full.style.maxWidth = "none";
        openFull(full, img.alt);
      }
      img.addEventListener("click", open);
      img.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      });
    });
    document.querySelectorAll(".bd-article .animation").forEach(function (a) {
      var frame = a.querySelector("img");
      if (!frame) {
        return;
      }
      frame.addEventListener("click", function () {
        if (!shrunk(frame)) {
          return;
        }
        var mark = document.createComment("animation");
        a.parentNode.insertBefore(mark, a);
        a.classList.add("sincos-full");
        openFull(a, frame.alt, function () {
          a.classList.remove("sincos-full");
          mark.parentNode.replaceChild(a, mark);
        });
      });
    });
    markZoomable();
  }

  /* Only an image shown smaller than drawn says it opens. */
  function markZoomable() {
    document
      .querySelectorAll(
        ".bd-article figure img, .bd-article .cell_output img"
      )
      .forEach(function (img) {
        if (img.closest(".sincos-wide")) {
          return;
        }
        var small = shrunk(img);
        img.classList.toggle("sincos-zoomable", small);
        if (small) {
          img.tabIndex = 0;
          img.title = words.open;
        } else {
          img.removeAttribute("tabindex");
          img.removeAttribute("title");
        }
      });
  }

  /* The diagrams a notebook carries (data: SVG in a figure) scroll sideways
     at full size on a narrow screen. */
  function wideDiagrams() {
    document
      .querySelectorAll(".bd-article figure img[src^='data:image/svg']")
      .forEach(wideBox);
  }

  function update() {
    watchScrollers();
    markZoomable();
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTableCells();
    breakableCode();
    keepPunctuationWithMath();
    wideDiagrams();
    zoomableFigures();
    update();
    window.addEventListener("resize", update);
    window.addEventListener("load", update);
    /* MathJax typesets after this: the article grows, and equations may
       then scroll. */
    var article = document.querySelector(".bd-article");
    if (article && window.ResizeObserver) {
      new ResizeObserver(update).observe(article);
    }
  });
})();
