"""Ruling lines of tables found in a page image → `grid.Segment`s for the same lattice as PDFs.

Three filters, each cheap: (1) ink that forms a small connected blob is text, however bold (a
table's rules are one large connected frame); (2) morphological opening with a long thin
kernel keeps only ink that runs straight for longer than the kernel; (3) a table rule meets at
least two rules of the other direction, a stroke that survived inside a cell meets none.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .grid import Segment
from .raster import Gray, Raster

H_KERNEL_PT = 15.0  # longer than a heading character's 一, shorter than the narrowest column
V_KERNEL_PT = 8.0  # shorter than the lowest row; character stems that survive fail the grid test
BRIDGE_PT = 1.0  # gaps in a rule from noise or JPEG blocks, closed before the opening
MAX_THICKNESS_PT = 3.0  # thicker than this is a filled area, not a rule
TOUCH_PT = 4.0  # how close a rule's end must come to another rule to meet it
MIN_MEETS = 2
MAX_GLYPH_PT = 30.0  # a blob smaller than this both ways is a character, even a bold title one

PxSegment = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels; top == bottom or x0 == x1


@dataclass(frozen=True)
class Rules:
    segments: tuple[Segment, ...]  # points on the level page
    mask: Gray  # 255 where a kept rule's ink is, to erase rules from cell crops


def ink_of(gray: Gray) -> Gray:
    """255 where there is ink. The background is flat (raster.flatten_background), so one
    threshold fits the page; Otsu is capped so that a page of faint print keeps its rules."""
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, ink = cv2.threshold(gray, min(otsu, 200.0), 255, cv2.THRESH_BINARY_INV)
    return ink  # type: ignore[return-value]


def drop_glyphs(ink: Gray, scale: float) -> Gray:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    limit = MAX_GLYPH_PT * scale
    large = (stats[:, cv2.CC_STAT_WIDTH] >= limit) | (stats[:, cv2.CC_STAT_HEIGHT] >= limit)
    large[0] = False  # the background
    return np.where(large[labels], 255, 0).astype(np.uint8)


def _runs(ink: Gray, length: int, bridge: int, horizontal: bool) -> Gray:
    shape = (length, 1) if horizontal else (1, length)
    gap = (bridge, 1) if horizontal else (1, bridge)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, gap))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))  # type: ignore[return-value]


def _components(mask: Gray, horizontal: bool, max_thickness: int) -> list[tuple[PxSegment, int]]:
    """(segment, component label) for each thin straight run of the mask."""
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if horizontal and h <= max_thickness:
            out.append(((x, y + h // 2, x + w - 1, y + h // 2), k))
        elif not horizontal and w <= max_thickness:
            out.append(((x + w // 2, y, x + w // 2, y + h - 1), k))
    return out


def _meets(h: PxSegment, v: PxSegment, tol: int) -> bool:
    hx0, hy, hx1, _ = h
    vx, vy0, _, vy1 = v
    return hx0 - tol <= vx <= hx1 + tol and vy0 - tol <= hy <= vy1 + tol


def keep_grid(h: list[PxSegment], v: list[PxSegment], tol: int) -> tuple[list[PxSegment], list[PxSegment]]:
    """Rules that meet at least two rules of the other direction (verticals first, then the
    horizontals against the verticals kept)."""
    v_kept = [s for s in v if sum(_meets(t, s, tol) for t in h) >= MIN_MEETS]
    h_kept = [s for s in h if sum(_meets(s, t, tol) for t in v_kept) >= MIN_MEETS]
    v_kept = [s for s in v_kept if sum(_meets(t, s, tol) for t in h_kept) >= MIN_MEETS]
    return h_kept, v_kept


def raster_to_rules(raster: Raster) -> Rules:
    s = raster.scale
    ink = drop_glyphs(ink_of(raster.pixels), s)
    bridge = max(2, round(BRIDGE_PT * s))
    h_mask = _runs(ink, round(H_KERNEL_PT * s), bridge, horizontal=True)
    v_mask = _runs(ink, round(V_KERNEL_PT * s), bridge, horizontal=False)
    thick = round(MAX_THICKNESS_PT * s)
    h_found = _components(h_mask, True, thick)
    v_found = _components(v_mask, False, thick)
    h_kept, v_kept = keep_grid([c[0] for c in h_found], [c[0] for c in v_found], round(TOUCH_PT * s))
    mask = np.zeros_like(ink)
    # the mask is the kept rules' own pixels, widened a little for the blur around them
    for kept, (found, source) in ((set(h_kept), (h_found, h_mask)), (set(v_kept), (v_found, v_mask))):
        for seg, _label in found:
            if seg in kept:
                x0, y0, x1, y1 = seg
                pad = thick
                region = (slice(max(0, y0 - pad), y1 + pad + 1), slice(max(0, x0 - pad), x1 + pad + 1))
                mask[region] |= source[region]
    widened: Gray = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # type: ignore[assignment]
    segments = [Segment(x0 / s, y0 / s, x1 / s, y1 / s) for x0, y0, x1, y1 in h_kept + v_kept]
    return Rules(tuple(segments), widened)
