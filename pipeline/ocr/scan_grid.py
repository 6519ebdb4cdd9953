"""Ruling lines of tables found in a page image → `grid.Segment`s for the same lattice as PDFs.

Three filters, each cheap: (1) ink that forms a small connected blob is text, however bold (a
table's rules are one large connected frame); (2) morphological opening with a long thin
kernel keeps only ink that runs straight for longer than the kernel; (3) a table rule meets at
least two rules of the other direction, a stroke that survived inside a cell meets none.

Hairline rules (LibreOffice tables; any rule after a copier's blur) are light grey, so a second
search runs at a lenient threshold; at that threshold blurred characters can run together
into false rules, which cut cells smaller than any text (see raster_to_rules). At half
resolution thin rules were lost (85 → 80 cells on one page): the search runs at full resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.layout.grid import Segment, segments_to_cell_groups
from pipeline.ocr.raster import Gray, Raster

H_KERNEL_PT = 15.0  # longer than a heading character's 一, shorter than the narrowest column
V_KERNEL_PT = 8.0  # shorter than the lowest row; character stems that survive fail the grid test
BRIDGE_PT = 1.0  # gaps in a rule from noise or JPEG blocks (wider would join bold characters)
# gaps between collinear pieces of one rule found (a worn rule, a seal crossing it): narrower than
# any cell, so that two rules are never mistaken for one across a cell
GAP_PT = 6.0
MAX_THICKNESS_PT = 3.0  # thicker than this is a filled area, not a rule
TOUCH_PT = 4.0  # how close a rule's end must come to another rule to meet it
MIN_MEETS = 2
MAX_GLYPH_PT = 30.0  # a blob smaller than this both ways is a character, even a bold title one
FAINT_LINE = 225  # on the flattened image (paper ~250): a hairline rule after a copier's blur
MIN_CELL_PT = 9.0  # a table's cells hold a line of text; a lattice of smaller ones is strokes
SLIVER_PT = 3.0  # the gap of a double rule
MIN_TEXT_CELL_PT = 8.0
MIN_TABLE_PT = 24.0  # two rows at least: one line of bold title cannot pass for a table

PxSegment = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels; top == bottom or x0 == x1


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Rules:
    segments: tuple[Segment, ...]  # points on the level page, only those of the tables found
    groups: tuple[tuple[Box, ...], ...]  # the cell boxes of each table, as the lattice makes them
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


def _components(mask: Gray, horizontal: bool, max_thickness: int) -> list[PxSegment]:
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if horizontal and h <= max_thickness:
            out.append((x, y + h // 2, x + w - 1, y + h // 2))
        elif not horizontal and w <= max_thickness:
            out.append((x + w // 2, y, x + w // 2, y + h - 1))
    return out


def bridge_gaps(segments: list[PxSegment], horizontal: bool, gap: int, tol: int) -> list[PxSegment]:
    """Collinear pieces of one rule joined across gaps of up to `gap` pixels: a faint or worn
    rule, or one a masked seal crossed, breaks into pieces, and one missing piece loses the
    lattice every cell beside it."""
    if horizontal:
        items = sorted(segments, key=lambda s: (s[1], s[0]))
    else:
        items = sorted(((y0, x0, y1, x1) for x0, y0, x1, y1 in segments), key=lambda s: (s[1], s[0]))
    merged: list[list[int]] = []
    for a0, line, a1, _ in items:  # along the rule: a0..a1; across it: line
        into = None
        for m in reversed(merged):
            if line - m[1] > tol:
                break  # sorted across the rule: no earlier piece lies on this line
            if a0 - m[2] <= gap and a1 >= m[0] - gap:
                into = m
                break
        if into is None:
            merged.append([a0, line, a1, line])
        else:
            into[0], into[2] = min(into[0], a0), max(into[2], a1)
    if horizontal:
        return [(a0, line, a1, line) for a0, line, a1, _ in merged]
    return [(line, a0, line, a1) for a0, line, a1, _ in merged]


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


def _search(ink: Gray, s: float) -> tuple[list[PxSegment], list[PxSegment], Gray, Gray]:
    ink = drop_glyphs(ink, s)
    bridge = max(2, round(BRIDGE_PT * s))
    h_mask = _runs(ink, round(H_KERNEL_PT * s), bridge, horizontal=True)
    v_mask = _runs(ink, round(V_KERNEL_PT * s), bridge, horizontal=False)
    thick = max(2, round(MAX_THICKNESS_PT * s))
    gap = round(GAP_PT * s)
    h = bridge_gaps(_components(h_mask, True, thick), True, gap, thick)
    v = bridge_gaps(_components(v_mask, False, thick), False, gap, thick)
    h, v = keep_grid(h, v, round(TOUCH_PT * s))
    return h, v, h_mask, v_mask


def _tables_of(segments: list[Segment]) -> list[list[Box]]:
    """Cell groups whose cells are big enough to hold text."""
    groups = segments_to_cell_groups(segments)
    return [
        g
        for g in groups
        if float(np.median([b[3] - b[1] for b in g])) >= MIN_CELL_PT
        and float(np.median([b[2] - b[0] for b in g])) >= MIN_CELL_PT
        and max(b[3] for b in g) - min(b[1] for b in g) >= MIN_TABLE_PT
    ]


def _impossible(group: list[Box]) -> bool:
    """A cell too small for a line of text yet wider than a double rule's gap: a rule found
    through a row of characters (what a lenient threshold does to blurred print)."""
    return any(SLIVER_PT < min(b[2] - b[0], b[3] - b[1]) < MIN_TEXT_CELL_PT for b in group)


def raster_to_rules(raster: Raster) -> Rules:
    """Dark ink and faint ink both searched; the one that finds more cells wins, unless its
    grid has cells no table has (measured on the corpus pages: hairline tables need the faint
    threshold, blurred print must not get it)."""
    gray, s = raster.pixels, raster.scale
    best: tuple[list[PxSegment], list[PxSegment], Gray, Gray, list[Segment], list[list[Box]]] | None = None
    for ink in (ink_of(gray), cv2.threshold(gray, FAINT_LINE, 255, cv2.THRESH_BINARY_INV)[1]):
        h, v, h_mask, v_mask = _search(ink, s)  # type: ignore[arg-type]
        segments = [Segment(x0 / s, y0 / s, x1 / s, y1 / s) for x0, y0, x1, y1 in h + v]
        groups = _tables_of(segments)
        plausible = not any(_impossible(g) for g in groups)
        cells = sum(len(g) for g in groups)
        if best is None or (plausible and cells > sum(len(g) for g in best[5])):
            best = (h, v, h_mask, v_mask, segments, groups)
    assert best is not None
    h, v, h_mask, v_mask, segments, groups = best
    if not groups:
        return Rules((), (), np.zeros_like(gray))
    # the rules of the tables kept (not those of a lattice of strokes elsewhere)
    inside = [_within(seg, groups) for seg in segments]
    kept = tuple(seg for seg, ok in zip(segments, inside, strict=True) if ok)
    h_in = [p for p, ok in zip(h, inside, strict=False) if ok]
    v_in = [p for p, ok in zip(v, inside[len(h) :], strict=True) if ok]
    mask = _rule_mask((h_in, v_in, h_mask, v_mask), s)
    return Rules(kept, tuple(tuple(g) for g in groups), mask)


def _within(seg: Segment, groups: list[list[Box]], slack: float = 3.0) -> bool:
    x, y = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
    return any(
        min(b[0] for b in g) - slack <= x <= max(b[2] for b in g) + slack
        and min(b[1] for b in g) - slack <= y <= max(b[3] for b in g) + slack
        for g in groups
    )


def _rule_mask(found: tuple[list[PxSegment], list[PxSegment], Gray, Gray], s: float) -> Gray:
    """The kept rules' own ink (not the characters near them), widened for the blur around it."""
    h, v, h_mask, v_mask = found
    mask = np.zeros_like(h_mask)
    pad = max(2, round(MAX_THICKNESS_PT * s))
    for segs, source in ((h, h_mask), (v, v_mask)):
        for x0, y0, x1, y1 in segs:
            region = (slice(max(0, y0 - pad), y1 + pad + 1), slice(max(0, x0 - pad), x1 + pad + 1))
            mask[region] |= source[region]
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))  # type: ignore[return-value]
