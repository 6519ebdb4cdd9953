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
from pipeline.ocr.broken_rules import PxSegment, bridge_gaps, fill_lattice, merge_close, reach_rules
from pipeline.ocr.raster import Gray, Raster
from pipeline.ocr.rule_runs import components, in_stipple, on_paper

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
MIN_TABLE_PT = 24.0  # two rows at least: one line of bold title cannot pass for a table …
ROW_TABLE_CELLS = 2  # … unless it is one row of this many cells …
ROW_TABLE_PT = 200.0  # … spanning this much of the page (a carried-over row) …
# … none narrower than two characters' cells, or, of two cells alone, than this (a label's or an
# amount's cell; 表三's figure cells are 30 pt wide)
TWO_CELL_ROW_PT = 40.0
# faint and broken rules (a hairline printed light gray, worn, then copied): gray 223-228 on
# paper 252 is no darker than paper noise pixel by pixel; smoothed, the rule stands out by several
# times the paper's noise. Pieces of such a rule between its gaps are short and thin.
FAINT_ALONG_PT = 2.5  # smoothing along a rule: averages the paper's grain, not the rule
FAINT_NOISE_SIGMAS = 5.0  # darker than the paper beside it by this many times its grain
FAINT_MIN_CONTRAST = 8  # …and by at least this much (of 255)
FAINT_MAX_CONTRAST = 40  # a threshold deeper than this is the plain searches' business
RULE_PIECE_PT = 2.5  # a thin piece at least this long is a piece of a rule (the glyphs taken out)
SHADE_SMOOTH_PT = 3.0  # a shaded area's grain and the holes of its characters smoothed over
SHADE_CONTRAST = 5  # of 255: darker than the paper by this much, evenly, is a fill
SHADE_SOLID = 0.8  # of its box: a fill is a rectangle
BROKEN_GAP_PT = 6.0  # gaps in a broken rule closed before the long-run test (cells are wider)
FAINT_WEAK = 0.5  # of the depth: weak evidence of a rule where the strong pieces say one runs
REACH_PT = 16.0  # a broken rule that stops this short of a crossing rule is carried on to it
PRINT_RUN_DENSITY = 0.25  # of its box: ink this dense is print (a frame's rules fill a few %)


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


def faint_ink(gray: Gray, scale: float) -> tuple[Gray, Gray, Gray, Gray]:
    """Ink of faint, thin rules, horizontal and vertical apart: the image smoothed along each
    direction (the paper's grain averages out, a rule does not), then what is darker than the
    paper around it (a morphological black-hat wider than any rule: a shaded area or its edge
    is no rule) by several times that grain. Printed characters are taken out: they are the
    glyph-sized blobs of the plain threshold, each line of them taken as one block and widened
    along the smoothing (else the ends of a label stood as rule pieces: a rule through 稳定 of
    3.危及"三安全一稳定"). Also returned: the same at half the depth, weak
    evidence that a rule runs where the strong pieces say one may (`fill_lattice`)."""
    along = max(3, round(FAINT_ALONG_PT * scale))
    across = max(5, round(2 * MAX_THICKNESS_PT * scale) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (across, across))
    dark = ink_of(gray)
    glyphs: Gray = cv2.subtract(dark, without_print_runs(drop_glyphs(dark, scale), scale))  # type: ignore[assignment]
    text: Gray = cv2.dilate(glyphs, np.ones((5, 5), np.uint8))  # type: ignore[assignment]
    # a line of text as one block (the gaps between its characters darken in the smoothing too)
    lines: Gray = cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((along, along), np.uint8))  # type: ignore[assignment]
    shaded = shaded_boxes(gray, text, scale)
    out, weak = [], []
    for size in ((along, 1), (1, along)):
        # smoothing carries the text's ink beyond it along the smoothing: so far, it is no rule's
        taken = cv2.dilate(lines, np.ones((size[1] + 2, size[0] + 2), np.uint8))
        darker = cv2.morphologyEx(cv2.blur(gray, size), cv2.MORPH_BLACKHAT, kernel)
        sample = darker[::4, ::4]
        middle = float(np.median(sample))
        grain = middle + 1.4826 * float(np.median(np.abs(sample - middle)))
        depth = min(FAINT_MAX_CONTRAST, max(FAINT_MIN_CONTRAST, FAINT_NOISE_SIGMAS * grain))
        _, ink = cv2.threshold(darker, depth, 255, cv2.THRESH_BINARY)
        ink = cv2.subtract(ink, taken)
        for x, y, w, h in shaded:  # a shaded cell's edges are its rules, however faint they are
            cv2.rectangle(ink, (x, y), (x + w - 1, y + h - 1), 255, 2)
        out.append(ink)
        _, faint = cv2.threshold(darker, FAINT_WEAK * depth, 255, cv2.THRESH_BINARY)
        faint = cv2.subtract(faint, taken)
        for x, y, w, h in shaded:  # a fill's grain is no evidence of a rule across it
            faint[y + 3 : y + h - 3, x + 3 : x + w - 3] = 0
        weak.append(cv2.bitwise_or(faint, ink))
    return out[0], out[1], weak[0], weak[1]  # type: ignore[return-value]


def without_print_runs(ink: Gray, scale: float) -> Gray:
    """Large blobs without those that are runs of print: bold characters set close run together
    into one blob as large as a frame's piece, but dense and thicker than any rule (a frame is
    sparse in its box, a rule thin), and their strokes stood as faint rule pieces."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    run = (np.minimum(w, h) > MAX_THICKNESS_PT * scale) & (area >= PRINT_RUN_DENSITY * w * h)
    run[0] = True  # the background stays background
    return np.where(run[labels], 0, ink).astype(np.uint8)


def shaded_boxes(gray: Gray, text: Gray, scale: float) -> list[tuple[int, int, int, int]]:
    """Boxes of gray fill (a shaded heading row): on a page of faint rules the rule along a
    shaded row's edge may be lighter than the fill itself, and only the edge of the fill shows
    where the row ends. Printed characters (`text`) are painted paper first."""
    paper = int(np.median(gray[::4, ::4]))
    plain = gray.copy()
    plain[text > 0] = paper
    k = max(3, round(SHADE_SMOOTH_PT * scale))
    _, fill = cv2.threshold(cv2.blur(plain, (k, k)), paper - SHADE_CONTRAST, 255, cv2.THRESH_BINARY_INV)
    fill = cv2.morphologyEx(fill, cv2.MORPH_OPEN, np.ones((2 * k, 2 * k), np.uint8))  # rules are no fill
    n, _, stats, _ = cv2.connectedComponentsWithStats(fill, connectivity=4)
    least = MIN_CELL_PT * scale
    return [
        (int(x), int(y), int(w), int(h))
        for x, y, w, h, area in stats[1:n]
        if w >= 2 * least
        and h >= least
        and area >= SHADE_SOLID * w * h
        and _tinted(gray[y : y + h, x : x + w], paper)
    ]


def _tinted(region: Gray, paper: int) -> bool:
    """Whether the paper between the print of a dark box is itself gray (a fill), not white: bold
    characters run together (新收政府 of a bold label) blur as dark as a fill, and made a box of
    false rules around them whose cells no table has (it lost a whole faint 表三)."""
    between = region[ink_of(region) == 0]
    return between.size > 0 and float(np.median(between)) <= paper - SHADE_CONTRAST


def drop_glyphs(ink: Gray, scale: float, pieces: bool = False) -> Gray:
    """Ink of large connected blobs only (a table's rules are one frame), and the thin pieces of
    a rule that holes broke off the frame (a copier's drop-outs: a rule 1-2 px wide with a hole
    above and below a piece leaves it alone, and a short lone piece passes for a stroke); with
    `pieces`, also every thin elongated piece, as a broken rule falls apart into."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    limit = MAX_GLYPH_PT * scale
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    large = (w >= limit) | (h >= limit)
    # lines, crossings and corners of lines, not blots
    thin = (np.maximum(w, h) >= RULE_PIECE_PT * scale) & (
        stats[:, cv2.CC_STAT_AREA] <= MAX_THICKNESS_PT * scale * (w + h)
    )
    if pieces:
        large |= thin
    else:  # a thin piece one small hole away from a table's frame along either axis is part of it
        bridge = max(2, round(BRIDGE_PT * scale))
        joined = np.maximum(
            cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8)),
            cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8)),
        )
        _, joined_labels, joined_stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        # a frame: large both ways (a line of text the closing ran together is large one way)
        frame = (joined_stats[:, cv2.CC_STAT_WIDTH] >= limit) & (joined_stats[:, cv2.CC_STAT_HEIGHT] >= limit)
        frame[0] = False
        in_frame = np.zeros(n, bool)
        for j in np.flatnonzero(frame):  # within each frame's box only (a page-wide lookup cost 3x)
            x, y, fw, fh = (int(v) for v in joined_stats[j, :4])
            box = (slice(y, y + fh), slice(x, x + fw))
            in_frame[labels[box][joined_labels[box] == j]] = True
        large |= thin & in_frame
    large[0] = False  # the background
    kept: Gray = (large.astype(np.uint8) * 255)[np.asarray(labels, np.int32)]
    return kept


def _runs(ink: Gray, length: int, bridge: int, horizontal: bool) -> Gray:
    shape = (length, 1) if horizontal else (1, length)
    gap = (bridge, 1) if horizontal else (1, bridge)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, gap))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))  # type: ignore[return-value]


def _meets(h: PxSegment, v: PxSegment, tol: int) -> bool:
    hx0, hy, hx1, _ = h
    vx, vy0, _, vy1 = v
    return hx0 - tol <= vx <= hx1 + tol and vy0 - tol <= hy <= vy1 + tol


def keep_grid(
    h: list[PxSegment], v: list[PxSegment], tol: int, stippled: frozenset[PxSegment] = frozenset()
) -> tuple[list[PxSegment], list[PxSegment]]:
    """Rules that meet at least two rules of the other direction (verticals first, then the
    horizontals against the verticals kept); a rule in stipple (`in_stipple`) at least three: it
    must bound two cells at least, as column and row rules do, not split one cell (a run of a
    toner patch across one shaded row cut its label in two)."""

    def enough(seg: PxSegment, meets: int) -> bool:
        return meets >= MIN_MEETS + (seg in stippled)

    v_kept = [s for s in v if enough(s, sum(_meets(t, s, tol) for t in h))]
    h_kept = [s for s in h if enough(s, sum(_meets(s, t, tol) for t in v_kept))]
    v_kept = [s for s in v_kept if enough(s, sum(_meets(t, s, tol) for t in h_kept))]
    return h_kept, v_kept


def _search(
    ink: Gray,
    s: float,
    broken: bool = False,
    v_ink: Gray | None = None,
    weak: tuple[Gray, Gray] | None = None,
) -> tuple[list[PxSegment], list[PxSegment], Gray, Gray]:
    """Rules in `ink` (horizontal ones only in `ink` when `v_ink` holds the vertical ones);
    `broken`: rules fallen apart into short pieces with gaps, as faint worn rules are; `weak`:
    fainter evidence (horizontal, vertical) where the pieces found leave a cell's side open."""
    v_all = ink if v_ink is None else v_ink  # the print beside a rule too (`on_paper`)
    h_ink = drop_glyphs(ink, s, pieces=broken)
    v_ink = h_ink if v_ink is None else drop_glyphs(v_ink, s, pieces=broken)
    bridge = max(2, round((BROKEN_GAP_PT if broken else BRIDGE_PT) * s))
    h_mask = _runs(h_ink, round(H_KERNEL_PT * s), bridge, horizontal=True)
    v_mask = _runs(v_ink, round(V_KERNEL_PT * s), bridge, horizontal=False)
    thick = max(2, round(MAX_THICKNESS_PT * s))
    gap = round(GAP_PT * s)
    h = bridge_gaps(on_paper(components(h_mask, True, thick), ink, True, s), True, gap, thick)
    v = bridge_gaps(on_paper(components(v_mask, False, thick), v_all, False, s), False, gap, thick)
    if broken:
        near = round(MIN_TEXT_CELL_PT * s) - 1
        h, v = merge_close(h, True, near, gap), merge_close(v, False, near, gap)
    # a broken rule's last piece is lost as often as any other; on any page, a copier clears a
    # frame's corner (a rule carried on to any crossing rule in a toner patch's runs made false ones)
    reach, touch = round(REACH_PT * s), round(TOUCH_PT * s) // 2
    h, v = reach_rules(h, v, reach, touch, corners=not broken)
    if weak is not None:
        h_new, v_new = fill_lattice(h, v, weak, touch, round(MIN_CELL_PT * s), reach)
        for segs, mask, evidence in ((h_new, h_mask, weak[0]), (v_new, v_mask, weak[1])):
            for x0, y0, x1, y1 in segs:  # their faint ink is erased from the cells like any rule's
                band = (slice(max(0, y0 - 2), y1 + 3), slice(max(0, x0 - 2), x1 + 3))
                mask[band] |= evidence[band]
        h, v = bridge_gaps(h + h_new, True, gap, thick), bridge_gaps(v + v_new, False, gap, thick)
        h, v = reach_rules(h, v, reach, touch)
    stippled = in_stipple(h, ink, True, s) | in_stipple(v, v_all, False, s)
    h, v = keep_grid(h, v, round(TOUCH_PT * s), frozenset(stippled))
    return h, v, h_mask, v_mask


def _tables_of(segments: list[Segment]) -> list[list[Box]]:
    """Cell groups whose cells are big enough to hold text."""
    groups = segments_to_cell_groups(segments)
    return [
        g
        for g in groups
        if float(np.median([b[3] - b[1] for b in g])) >= MIN_CELL_PT
        and float(np.median([b[2] - b[0] for b in g])) >= MIN_CELL_PT
        and (max(b[3] for b in g) - min(b[1] for b in g) >= MIN_TABLE_PT or _one_row_of_cells(g))
    ]


def _one_row_of_cells(group: list[Box]) -> bool:
    """One row of ROW_TABLE_CELLS cells or more, side by side, none narrower than a character
    (TWO_CELL_ROW_PT for two cells alone) and spanning ROW_TABLE_PT: a table's last row carried over
    to the next page (表二's 政府集中采购 alone at a page's top was lost, and a faint 行政事业性收费 |
    2506.84), not a line of bold title run into a lattice."""
    tops, bottoms = {round(b[1]) for b in group}, {round(b[3]) for b in group}
    width = max(b[2] for b in group) - min(b[0] for b in group)
    least = TWO_CELL_ROW_PT if len(group) == 2 else MIN_TEXT_CELL_PT * 2
    narrow = min(b[2] - b[0] for b in group) < least
    return (
        len(group) >= ROW_TABLE_CELLS
        and len(tops) == len(bottoms) == 1
        and width >= ROW_TABLE_PT
        and not narrow
    )


def _impossible(group: list[Box]) -> bool:
    """A cell too small for a line of text yet wider than a double rule's gap: a rule found
    through a row of characters (what a lenient threshold does to blurred print)."""
    return any(SLIVER_PT < min(b[2] - b[0], b[3] - b[1]) < MIN_TEXT_CELL_PT for b in group)


Found = tuple[list[PxSegment], list[PxSegment], Gray, Gray, list[Segment], list[list[Box]]]


def _found(
    ink: Gray,
    s: float,
    pieces: bool = False,
    v_ink: Gray | None = None,
    weak: tuple[Gray, Gray] | None = None,
    clean: bool = False,
) -> Found:
    h, v, h_mask, v_mask = _search(ink, s, pieces, v_ink, weak)
    segments = [Segment(x0 / s, y0 / s, x1 / s, y1 / s) for x0, y0, x1, y1 in h + v]
    groups = _tables_of(segments)
    if pieces:
        # on a clean page (no specks to make false rules) a stray piece is a table's one flaw
        cutters = _sliver_cutters(segments, groups) if clean else set()
        if cutters:  # the grid again without them
            h, v = (
                [p for i, p in enumerate(h) if i not in cutters],
                [p for i, p in enumerate(v, len(h)) if i not in cutters],
            )
            segments = [seg for i, seg in enumerate(segments) if i not in cutters]
            groups = _tables_of(segments)
        # a table of broken rules with a cell no table has is dropped, not the others
        groups = [g for g in groups if not _impossible(g)]
    return h, v, h_mask, v_mask, segments, groups


def _sliver_cutters(segments: list[Segment], groups: list[list[Box]]) -> set[int]:
    """The shorter of the two rules that bound a table's one cell too narrow or too low for
    text: a stray piece beside a column rule (3.3 pt from it on a skewed faint scan) cut a sliver
    off the table and had the whole table dropped. Not where a group has more such cells: that
    is a lattice of false rules (specks and strokes on a photocopy), not a table with a flaw."""
    cutters = set()
    slivers = [[b for b in g if _impossible([b])] for g in groups]
    for box in (found[0] for found in slivers if len(found) == 1):
        vertical = box[2] - box[0] < MIN_TEXT_CELL_PT
        sides = (box[0], box[2]) if vertical else (box[1], box[3])
        span = (box[1], box[3]) if vertical else (box[0], box[2])
        bounding = [
            i
            for i, seg in enumerate(segments)
            if (seg.x0 == seg.x1) == vertical
            and min(abs((seg.x0 if vertical else seg.top) - side) for side in sides) < 1.0
            and _overlap(*((seg.top, seg.bottom) if vertical else (seg.x0, seg.x1)), *span) > 0
        ]
        if len(bounding) >= 2:
            cutters.add(min(bounding, key=lambda i: _length(segments[i])))
    return cutters


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _length(seg: Segment) -> float:
    return (seg.x1 - seg.x0) + (seg.bottom - seg.top)


def raster_to_rules(raster: Raster, broken: bool = False) -> Rules:
    """Dark ink and faint ink both searched; the one that finds more cells wins, unless its
    grid has cells no table has (measured on the corpus pages: hairline tables need the faint
    threshold, blurred print must not get it). Faint, worn and broken rules are searched for as
    well (`faint_ink`, costlier) when the page's reading says a table was missed (`broken`);
    that grid wins if it makes more cells. (Not for a speckled copy as such, nor where both
    grids have impossible cells: measured on photocopies, characters cut by drop-out streaks
    gave false rules, 382 -> 347 and 375 of 572 cells.)"""
    gray, s = raster.pixels, raster.scale
    best: Found | None = None
    for ink in (ink_of(gray), cv2.threshold(gray, FAINT_LINE, 255, cv2.THRESH_BINARY_INV)[1]):
        found = _found(ink, s)  # type: ignore[arg-type]
        cells = sum(len(g) for g in found[5])
        if best is None or (_plausible(found[5]) and cells > sum(len(g) for g in best[5])):
            best = found
    assert best is not None
    if broken:
        h_ink, v_ink, h_weak, v_weak = faint_ink(gray, s)
        found = _found(h_ink, s, True, v_ink, (h_weak, v_weak), not raster.speckled)
        cells = sum(len(g) for g in found[5])
        if cells > sum(len(g) for g in best[5]):
            best = found
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


def _plausible(groups: list[list[Box]]) -> bool:
    return not any(_impossible(g) for g in groups)


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
