"""A figure's own layout, checked: what a reader cannot read or cannot see.

``problems(layout)`` lists, in words, each of these in a figure as the book
shows it (at its drawn size, 96 CSS pixels to the inch):

- text or a legend cut off at the figure's edge;
- two pieces of text on top of each other, or text over another panel;
- a legend outside its own panel, over another panel, or over the data of
  its panel (a figure legend, ``fig.legend``, may sit beside the panels but
  not on one);
- a panel narrower or lower than a reader can read a curve in;
- text smaller than 10 px.

A ``Layout`` comes from a live matplotlib figure (``from_figure``, for the
figures the package and scripts/make_figures.py draw) or from an SVG file
as Chromium lays it out (``SVG_LAYOUT``, run in the page, for the figures
stored in the chapters).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

ROOT = Path(__file__).resolve().parents[1]
MIN_TEXT_PX = 10.0
# A panel in which a curve of 200 iterations still shows its shape.
MIN_PANEL_PX = (150.0, 80.0)
# A sub- or superscript in mathtext ($h_t$) is 0.7 times the font size.
SCRIPT = re.compile(r"\$[^$]*[_^][^$]*\$")
# Points along a drawn line are taken at most this far apart (px).
STEP_PX = 2.0

Box = tuple[float, float, float, float]  # left, top, right, bottom (px)


@dataclass
class Layout:
    """Boxes in CSS pixels, y down, the figure's top left at (0, 0).

    ``panels``: name -> box of each panel with axes drawn; ``legends``:
    (box, name of its panel or None for a figure legend); ``texts``: (words,
    box, name of its panel or None, smallest size in px, in a legend);
    ``data``: panel name -> (n, 2) points of what is drawn in it."""

    width: float
    height: float
    panels: dict[str, Box] = field(default_factory=dict)
    legends: list[tuple[Box, str | None]] = field(default_factory=list)
    texts: list[tuple[str, Box, str | None, float, bool]] = field(
        default_factory=list
    )
    data: dict[str, np.ndarray] = field(default_factory=dict)


def _overlap(a: Box, b: Box, margin: float = 1.0) -> bool:
    """Whether two boxes share more than ``margin`` px each way."""
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > margin
        and min(a[3], b[3]) - max(a[1], b[1]) > margin
    )


def _inside(inner: Box, outer: Box, margin: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - margin
        and inner[1] >= outer[1] - margin
        and inner[2] <= outer[2] + margin
        and inner[3] <= outer[3] + margin
    )


def _points_in(points: np.ndarray, box: Box) -> int:
    if not len(points):
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(
        np.count_nonzero(
            (x > box[0] + 1)
            & (x < box[2] - 1)
            & (y > box[1] + 1)
            & (y < box[3] - 1)
        )
    )


def problems(layout: Layout) -> list[str]:
    """Everything wrong with the figure's layout, in words; [] if nothing."""
    found = []
    figure = (0.0, 0.0, layout.width, layout.height)
    for name, box in layout.panels.items():
        width, height = box[2] - box[0], box[3] - box[1]
        if width < MIN_PANEL_PX[0] or height < MIN_PANEL_PX[1]:
            found.append(
                f"panel {name} is {width:.0f} x {height:.0f} px, less than "
                f"{MIN_PANEL_PX[0]:.0f} x {MIN_PANEL_PX[1]:.0f}"
            )
    for box, owner in layout.legends:
        what = f"the legend of panel {owner}" if owner else "a figure legend"
        if not _inside(box, figure):
            found.append(f"{what} is cut off at the figure's edge")
        if owner is not None and not _inside(box, layout.panels[owner]):
            found.append(f"{what} lies outside its panel")
        for name, panel in layout.panels.items():
            if name != owner and _overlap(box, panel):
                found.append(f"{what} lies over panel {name}")
        if owner is not None:
            hidden = _points_in(layout.data.get(owner, np.empty((0, 2))), box)
            if hidden:
                found.append(f"{what} hides {hidden} points of its data")
    texts = [t for t in layout.texts if t[0].strip()]
    for words, box, owner, px, in_legend in texts:
        if px < MIN_TEXT_PX:
            found.append(f"text {words!r} is {px:.1f} px")
        if not _inside(box, figure):
            found.append(f"text {words!r} is cut off at the figure's edge")
        if in_legend:
            continue
        for name, panel in layout.panels.items():
            if name != owner and _overlap(box, panel):
                found.append(f"text {words!r} lies over panel {name}")
        for legend, _ in layout.legends:
            if _overlap(box, legend):
                found.append(f"text {words!r} lies under a legend")
    for i, (words, box, *_) in enumerate(texts):
        for other, other_box, *_ in texts[i + 1 :]:
            if _overlap(box, other_box):
                found.append(f"text {words!r} overlaps text {other!r}")
    return found


# -- from a matplotlib figure ------------------------------------------------


def _box(extent, scale: float, height: float) -> Box:
    """A matplotlib display extent (px, y up) as a Box in CSS px, y down."""
    return (
        extent.x0 * scale,
        height - extent.y1 * scale,
        extent.x1 * scale,
        height - extent.y0 * scale,
    )


def _along(points: np.ndarray) -> np.ndarray:
    """Points every STEP_PX or less along the polyline through ``points``."""
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) < 2:
        return points
    pieces = [points[:1]]
    for a, b in pairwise(points):
        n = max(1, int(np.hypot(*(b - a)) / STEP_PX))
        pieces.append(a + (b - a) * np.linspace(0, 1, n + 1)[1:, None])
    return np.concatenate(pieces)


def _spans(xy: np.ndarray, panel) -> bool:
    """Whether the segment ``xy`` (display px) crosses the whole panel."""
    width, height = np.abs(xy[1] - xy[0])
    return width >= 0.95 * panel.width or height >= 0.95 * panel.height


def _drawn_points(ax: Axes, scale: float, height: float) -> np.ndarray:
    """What the panel draws, as points in CSS px: its lines (with their
    markers), the points of its collections, the outlines of its patches
    but for bands that span its whole height (a shaded range)."""
    to_css = np.array([scale, -scale])
    shift = np.array([0.0, height])
    found = []
    panel = ax.get_window_extent()
    for artist in ax.get_children():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            xy = artist.get_transform().transform(artist.get_xydata())
            if len(xy) == 2 and _spans(xy, panel):
                continue  # a reference line across the panel (axhline)
            joined = artist.get_linestyle() not in ("None", "", " ")
            found.append(_along(xy) if joined else xy)
        elif isinstance(artist, Collection):
            found.append(
                artist.get_offset_transform().transform(artist.get_offsets())
            )
        elif isinstance(artist, Patch) and artist is not ax.patch:
            extent = artist.get_window_extent()
            if extent.height >= 0.95 * panel.height:
                continue
            path = artist.get_path().transformed(artist.get_transform())
            found.append(_along(path.vertices))
    if not found:
        return np.empty((0, 2))
    return np.concatenate(found) * to_css + shift


def from_figure(fig: Figure) -> Layout:
    """The layout of ``fig`` drawn at its size, in CSS pixels."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # a figure made without pyplot
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    scale = 96 / fig.dpi
    height = fig.bbox.height * scale
    layout = Layout(fig.bbox.width * scale, height)
    names = {}
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        names[ax] = name = str(k + 1)
        if ax.axison:
            layout.panels[name] = _box(ax.get_window_extent(), scale, height)
            layout.data[name] = _drawn_points(ax, scale, height)
    legends = [(ax.get_legend(), names.get(ax)) for ax in fig.axes]
    legends += [(legend, None) for legend in fig.legends]
    legend_texts = set()
    drawn_ticks, all_ticks = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks() if ax.axison else ():
                drawn_ticks.update((tick.label1, tick.label2))
            for tick in axis.majorTicks + axis.minorTicks:
                all_ticks.update((tick.label1, tick.label2))
    for legend, owner in legends:
        if legend is None or not legend.get_visible():
            continue
        box = _box(legend.get_window_extent(renderer), scale, height)
        layout.legends.append((box, owner if owner in layout.panels else None))
        legend_texts.update(legend.get_texts())
        if legend.get_title().get_text():
            legend_texts.add(legend.get_title())
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text in all_ticks and text not in drawn_ticks:
            continue  # the label of a tick outside the axis's range
        owner = names.get(text.axes) if text.axes else None
        shrink = 0.7 if SCRIPT.search(text.get_text()) else 1.0
        layout.texts.append(
            (
                text.get_text(),
                _box(text.get_window_extent(renderer), scale, height),
                owner if owner in layout.panels else None,
                text.get_fontsize() * 4 / 3 * shrink,
                text in legend_texts or isinstance(text.axes, Legend),
            )
        )
    return layout


# -- from an SVG file that matplotlib wrote, as Chromium lays it out ---------

# Run in a page that shows the SVG document at its drawn size. Returns the
# parts of a Layout as plain objects; ``from_svg_page`` makes the Layout.
# A panel is an axes group with an axis (its first patch is its
# background); a reference line or band across the whole panel, a spine
# (a two-point patch) and the panel's background are not data.
SVG_LAYOUT = """() => {
  const root = document.querySelector('svg');
  const frame = root.getBoundingClientRect();
  const scale = frame.width / root.viewBox.baseVal.width;
  const box = (r) => [r.left - frame.left, r.top - frame.top,
                      r.right - frame.left, r.bottom - frame.top];
  const axesOf = (el) => el.closest('g[id^="axes_"]');
  const panels = {}, data = {};
  for (const axes of root.querySelectorAll('g[id^="axes_"]')) {
    if (!axes.querySelector(':scope > g[id^="matplotlib.axis"]')) continue;
    const background = axes.querySelector(':scope > g[id^="patch_"]');
    const panel = box(background.getBoundingClientRect());
    panels[axes.id] = panel;
    const points = [];
    const add = (x, y) => points.push([x - frame.left, y - frame.top]);
    for (const g of axes.querySelectorAll(':scope > g[id^="line2d_"], '
        + ':scope > g[id^="PathCollection_"], :scope > g[id^="patch_"]')) {
      if (g === background) continue;
      const r = box(g.getBoundingClientRect());
      const spans = r[2] - r[0] >= 0.95 * (panel[2] - panel[0])
        && r[3] - r[1] < 2 || r[3] - r[1] >= 0.95 * (panel[3] - panel[1]);
      for (const path of g.querySelectorAll(':scope > path')) {
        const straight = /^M[^A-Za-z]*L[^A-Za-z]*$/.test(
          path.getAttribute('d').trim());
        if (spans || (g.id.startsWith('patch_') && straight)) continue;
        const matrix = path.getScreenCTM();
        const length = path.getTotalLength();
        for (let s = 0; s <= length; s += 2 / scale) {
          const p = path.getPointAtLength(s).matrixTransform(matrix);
          add(p.x, p.y);
        }
      }
      for (const use of g.querySelectorAll('use')) {
        const r = use.getBoundingClientRect();
        add((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      }
    }
    data[axes.id] = points;
  }
  const ownerOf = (el) => {
    const axes = axesOf(el);
    return axes && axes.id in panels ? axes.id : null;
  };
  const legends = [...root.querySelectorAll('g[id^="legend_"]')].map((g) => {
    const edge = g.querySelector(':scope > g[id^="patch_"]') || g;
    return [box(edge.getBoundingClientRect()), ownerOf(g)];
  });
  // The lines of one matplotlib text are <text> elements in one group.
  const groups = new Set([...root.querySelectorAll('text')].map(
    (t) => t.parentElement));
  const texts = [...groups].map((g) => {
    const lines = [...g.querySelectorAll(':scope > text')];
    // A line's box as tall as 1.2 times its largest font: a font's own
    // line box (in math, a fallback font's) can be twice that.
    // Sizes are read where the text is: on its tspans, if it has any.
    const leaves = (t) => (t.querySelector('tspan') ?
      [...t.querySelectorAll('tspan')] : [t]);
    const fontPx = (e) => parseFloat(getComputedStyle(e).fontSize);
    const boxes = lines.map((t) => {
      const b = box(t.getBoundingClientRect());
      const half = 0.6 * scale * Math.max(...leaves(t).map(fontPx));
      const middle = (b[1] + b[3]) / 2;
      return [b[0], Math.max(b[1], middle - half), b[2],
              Math.min(b[3], middle + half)];
    });
    const sizes = lines.flatMap(leaves).map(fontPx);
    return [lines.map((t) => t.textContent.replace(/\\s+/g, ' ').trim())
              .join(' '),
            [Math.min(...boxes.map((b) => b[0])),
             Math.min(...boxes.map((b) => b[1])),
             Math.max(...boxes.map((b) => b[2])),
             Math.max(...boxes.map((b) => b[3]))],
            ownerOf(g), Math.min(...sizes) * scale,
            Boolean(g.closest('g[id^="legend_"]'))];
  });
  return {width: frame.width, height: frame.height, panels, legends, texts,
          data};
}"""


def from_svg_page(page) -> Layout:
    """The layout of the SVG document open in a Playwright ``page``."""
    found = page.evaluate(SVG_LAYOUT)
    return Layout(
        found["width"],
        found["height"],
        {name: tuple(box) for name, box in found["panels"].items()},
        [(tuple(box), owner) for box, owner in found["legends"]],
        [
            (words, tuple(box), owner, px, in_legend)
            for words, box, owner, px, in_legend in found["texts"]
        ],
        {
            name: np.array(points, np.float64).reshape(-1, 2)
            for name, points in found["data"].items()
        },
    )


def stored_figures() -> dict[str, str]:
    """Every SVG figure the chapters store (outputs and attachments) and the
    book's own: name -> SVG text."""
    found = {}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                svg = output.get("data", {}).get("image/svg+xml")
                if svg:
                    found[f"{notebook.stem} cell {k}"] = "".join(svg)
            for name, bundle in cell.get("attachments", {}).items():
                if "image/svg+xml" in bundle:
                    data = "".join(bundle["image/svg+xml"])
                    found[f"{notebook.stem} {name}"] = base64.b64decode(
                        data
                    ).decode("utf-8")
    for path in sorted((ROOT / "book" / "images").glob("*.svg")):
        found[path.name] = path.read_text(encoding="utf-8")
    return found
