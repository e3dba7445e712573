"""Colours a reader with a colour-vision deficiency can tell apart.

Two series a figure draws in one panel with the same line style and marker
must differ by a CIEDE2000 colour difference of 10 or more for every reader:
with normal vision and with full protanopia, deuteranopia and tritanopia as
colorspacious simulates them (Machado et al. 2009). No line is yellow on
white (1.3:1 contrast for everyone).

Series are read from an SVG that matplotlib wrote: each line, set of
markers or patch a panel (``<g id="axes_N">``) draws, with its colour over
white and its style. Lines of one colour are one group (a bold median and
its thin runs) and are not compared with each other.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from colorspacious import cspace_convert

MIN_DELTA_E = 10.0
DEFICIENCIES = ("protanomaly", "deuteranomaly", "tritanomaly")
YELLOW = "#f0e442"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def ciede2000(lab1, lab2) -> float:
    """The CIEDE2000 colour difference of two CIELab colours (Sharma, Wu
    and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1 = np.degrees(np.arctan2(b1, a1)) % 360 if c1 else 0.0
    h2 = np.degrees(np.arctan2(b2, a2)) % 360 if c2 else 0.0
    dl, dc = l2 - l1, c2 - c1
    dh = h2 - h1
    if c1 * c2 == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    big_dh = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    h_mean = h1 + h2
    if c1 * c2 != 0:
        h_mean = (
            (h1 + h2) / 2
            if abs(h1 - h2) <= 180
            else (h1 + h2 + 360) / 2
            if h1 + h2 < 360
            else (h1 + h2 - 360) / 2
        )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * c_mean
    sh = 1 + 0.015 * c_mean * t
    rt = (
        -2
        * np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7))
        * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    return float(
        np.sqrt(
            (dl / sl) ** 2
            + (dc / sc) ** 2
            + (big_dh / sh) ** 2
            + rt * (dc / sc) * (big_dh / sh)
        )
    )


def seen(rgb: np.ndarray, deficiency: str | None) -> np.ndarray:
    """The CIELab colour a reader sees for sRGB ``rgb`` (0 to 1)."""
    if deficiency:
        space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CIELab")


@dataclass(frozen=True)
class Series:
    """One thing a panel draws: its colour (hex) and opacity, and its
    style: the dash pattern's proportions (() for solid) and marker shape
    (the marker path's commands, "" for none), or "fill" for a patch."""

    name: str
    colour: str
    opacity: float
    style: tuple

    def over_white(self) -> np.ndarray:
        rgb = np.array([int(self.colour[k : k + 2], 16) for k in (1, 3, 5)])
        return (rgb / 255) * self.opacity + (1 - self.opacity)


def _style_of(element) -> dict[str, str]:
    style = element.get("style", "")
    return {
        key.strip(): value.strip()
        for key, value in (
            part.split(":", 1) for part in style.split(";") if ":" in part
        )
    }


def _dashes(pattern: str) -> tuple:
    """A dash pattern's proportions, so a thin and a bold dashed line are
    the same style."""
    if not pattern or pattern == "none":
        return ()
    lengths = [float(v) for v in re.split(r"[ ,]+", pattern.strip())]
    return tuple(round(v / min(lengths), 1) for v in lengths)


def series_of_svg(svg: str) -> dict[str, list[Series]]:
    """Panel id -> the series it draws, from matplotlib's SVG."""
    root = ET.fromstring(svg)
    shapes = {
        path.get("id"): re.sub(r"[^A-Za-z]", "", path.get("d", ""))
        for path in root.iter(f"{SVG}path")
        if path.get("id")
    }
    panels = {}
    for axes in root.iter(f"{SVG}g"):
        if not (axes.get("id") or "").startswith("axes_"):
            continue
        found = []
        children = [g for g in axes if g.tag == f"{SVG}g"]
        for k, group in enumerate(children):
            kind = (group.get("id") or "").rsplit("_", 1)[0]
            if kind == "patch" and k == 0:
                continue  # the panel's background
            if kind not in ("line2d", "PathCollection", "patch"):
                continue
            found.extend(_series_in(group, shapes))
        panels[axes.get("id")] = found
    return panels


def _series_in(group, shapes) -> list[Series]:
    name = group.get("id")
    paths = [p for p in group.iter(f"{SVG}path") if not p.get("id")]
    uses = list(group.iter(f"{SVG}use"))
    marker = shapes.get((uses[0].get(XLINK) or "#")[1:], "") if uses else ""
    found = []
    for path in paths:
        style = _style_of(path)
        stroke, fill = style.get("stroke", "none"), style.get("fill", "none")
        if stroke.startswith("#"):
            opacity = float(style.get("stroke-opacity", 1)) * float(
                style.get("opacity", 1)
            )
            dashes = _dashes(style.get("stroke-dasharray", ""))
            found.append(Series(name, stroke, opacity, (dashes, marker)))
        elif fill.startswith("#"):
            opacity = float(style.get("fill-opacity", 1)) * float(
                style.get("opacity", 1)
            )
            found.append(Series(name, fill, opacity, ("fill",)))
    if uses and not paths:
        style = _style_of(uses[0])
        colour = style.get("fill") or style.get("stroke") or "#000000"
        opacity = float(style.get("fill-opacity", 1)) * float(
            style.get("opacity", 1)
        )
        if colour.startswith("#"):
            found.append(Series(name, colour, opacity, ((), marker)))
    return found


def colour_problems(svg: str) -> list[str]:
    """Pairs of series the same in style whose colours some readers cannot
    tell apart, and yellow lines; [] if none."""
    found = []
    for panel, drawn in series_of_svg(svg).items():
        for one in drawn:
            if one.colour.lower() == YELLOW and one.style != ("fill",):
                found.append(f"{panel}: {one.name} is a yellow line")
        kinds = {(s.colour.lower(), s.opacity, s.style): s for s in drawn}
        pairs = [
            (a, b)
            for a, b in combinations(sorted(kinds.values(), key=str), 2)
            if a.style == b.style and a.colour.lower() != b.colour.lower()
        ]
        for a, b in pairs:
            for deficiency in (None, *DEFICIENCIES):
                difference = ciede2000(
                    seen(a.over_white(), deficiency),
                    seen(b.over_white(), deficiency),
                )
                if difference < MIN_DELTA_E:
                    found.append(
                        f"{panel}: {a.colour} at {a.opacity:g} and "
                        f"{b.colour} at {b.opacity:g}, same style "
                        f"{a.style}: colour difference {difference:.1f} "
                        f"with {deficiency or 'normal vision'}"
                    )
    return found
