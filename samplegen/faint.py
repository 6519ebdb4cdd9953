"""Table rules found on a clean page render, and the `faint` class: the rules printed faint and broken.

Rules are long straight runs of ink (OpenCV morphology): a horizontal run longer than half an inch (no
character or dash is that wide), a vertical run of a fifth of an inch whose two ends meet horizontal
rules (a title's tall strokes meet none). Only those pixels and their anti-aliased edge are repainted;
the characters keep every pixel.
"""

from __future__ import annotations

import random
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

Params = dict[str, Any]
Mask = npt.NDArray[np.uint8]

INK = 160  # darker than this is ink (a shaded cell, 0.82 gray, is not)
HORIZONTAL_IN = 0.5
VERTICAL_IN = 0.2
END_PX = 4  # a vertical rule's end this close to a horizontal rule meets it


def find_rules(gray: npt.NDArray[np.uint8], dpi: float) -> tuple[Mask, Mask]:
    """The horizontal and the vertical rules of a clean page render: masks (1 on a rule's dark core)."""
    ink = (gray < INK).astype(np.uint8)
    along = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(dpi * HORIZONTAL_IN)), 1))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, along)
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(dpi * VERTICAL_IN))))
    candidates = cv2.morphologyEx(ink, cv2.MORPH_OPEN, down)
    near = cv2.dilate(horizontal, np.ones((2 * END_PX + 1, 2 * END_PX + 1), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(candidates, connectivity=8)
    keep = np.zeros(n, dtype=np.uint8)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if near[y : y + END_PX, x : x + w].any() and near[y + h - END_PX : y + h, x : x + w].any():
            keep[i] = 1
    return horizontal.astype(np.uint8), keep[labels]


def table_boxes(gray: npt.NDArray[np.uint8], dpi: float) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each ruled table on the page: rules that touch, at least two horizontal ones,
    a third of the page wide and a third of an inch tall."""
    horizontal, vertical = find_rules(gray, dpi)
    joined = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(dpi * 0.6)))  # rows of a three-line table
    joined = cv2.morphologyEx(joined, cv2.MORPH_CLOSE, close)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w >= gray.shape[1] / 3 and h >= dpi / 3:
            out.append((x, y, x + w, y + h))
    return out


def faint_params(rng: random.Random, gray: npt.NDArray[np.uint8], dpi: float) -> Params:
    horizontal, vertical = find_rules(gray, dpi)
    return {
        "paper_gray": rng.randint(250, 253),
        "rule_gray": rng.randint(223, 228),
        "gap_px": [3, 12],
        "gap_every_px": rng.randint(80, 200),
        "rules": {
            "horizontal": cv2.connectedComponentsWithStats(horizontal, connectivity=8)[0] - 1,
            "vertical": cv2.connectedComponentsWithStats(vertical, connectivity=8)[0] - 1,
        },
        "noise_sigma": 2.0,
        "dpi": dpi,
        "seed": rng.getrandbits(63),
    }


def faint(img: Image.Image, p: Params) -> Image.Image:
    """The page on paper of `paper_gray`, its rules repainted `rule_gray` (no darker: their dark core and
    anti-aliased edge, not the ink of a character that touches one) and broken: along each rule a gap
    of 3-12 px every `gap_every_px` or so, at random places."""
    gray = np.asarray(img.convert("L"), dtype=np.uint8)
    horizontal, vertical = find_rules(gray, p["dpi"])
    core = (horizontal | vertical) > 0
    # a rule's anti-aliased edge too, but no character's ink beside it
    band = core | ((cv2.dilate(core.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & (gray >= INK))
    out = gray.astype(np.float32) * (p["paper_gray"] / 255.0)
    out[band] = np.maximum(out[band], p["rule_gray"])
    rng = np.random.default_rng(p["seed"])
    low, high = p["gap_px"]
    for mask, axis in ((horizontal, 1), (vertical, 0)):
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, w, h = (int(v) for v in stats[i, :4])
            length = w if axis == 1 else h
            for _ in range(max(1, round(length / p["gap_every_px"]))):
                size = int(rng.integers(low, high + 1))
                at = int(rng.integers(0, max(1, length - size)))
                if axis == 1:
                    rows, cols = slice(max(0, y - 1), y + h + 1), slice(x + at, x + at + size)
                else:
                    rows, cols = slice(y + at, y + at + size), slice(max(0, x - 1), x + w + 1)
                out[rows, cols][band[rows, cols]] = p["paper_gray"]
    out += np.random.default_rng(p["seed"] + 1).normal(0.0, p["noise_sigma"], out.shape).astype(np.float32)
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), mode="L")
