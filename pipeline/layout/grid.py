"""Ruling lines → table grids with merged cells.

The lattice algorithm is pdfplumber's own (snap and join edges, intersections, smallest cells,
contiguous groups); this module feeds it edges from any source (PDF path objects, or lines found
in a scanned image) and turns each group of cell boxes into a `Table` whose merged cells carry
row/col spans. Cell text comes from positioned glyphs, so the same code serves text and OCR.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)

from pipeline.core.model import BBox, Cell, Table
from pipeline.core.text import drop_cjk_gaps, join_lines
from pipeline.layout.lines import Glyph, glyphs_to_lines

SNAP = 3.0  # pdfplumber's defaults, in points
JOIN = 3.0
MIN_EDGE = 3.0
INTERSECT = 3.0
CROSS_SHARE = 0.5  # of a cell's width (height) a rule through it covers, to cut it
MIN_PART = 6.0  # points: the least height (width) of a part of a cut cell
RULE_REACH = 1.5  # times the cell's width (height): the least length of a rule that cuts it

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class Segment:
    """A straight ruling line, horizontal (top == bottom) or vertical (x0 == x1)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def orientation(self) -> str:
        return "h" if abs(self.bottom - self.top) <= abs(self.x1 - self.x0) else "v"


def segments_to_edges(segments: Iterable[Segment]) -> list[dict[str, object]]:
    edges: list[dict[str, object]] = []
    for s in segments:
        if s.orientation == "h":
            y = (s.top + s.bottom) / 2
            x0, x1 = sorted((s.x0, s.x1))
            edges.append(_edge(x0, y, x1, y, "h"))
        else:
            x = (s.x0 + s.x1) / 2
            top, bottom = sorted((s.top, s.bottom))
            edges.append(_edge(x, top, x, bottom, "v"))
    return edges


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, object]:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def segments_to_cell_groups(segments: Sequence[Segment]) -> list[list[Box]]:
    """Cell boxes (x0, top, x1, bottom) grouped into contiguous tables, top to bottom."""
    edges = merge_edges(segments_to_edges(segments), SNAP, SNAP, JOIN, JOIN)
    edges = [e for e in edges if float(e["width" if e["orientation"] == "h" else "height"]) >= MIN_EDGE]
    if len(edges) < 4:
        return []
    edges = edges + close_open_ends(edges)
    intersections = edges_to_intersections(edges, INTERSECT, INTERSECT)
    cells = split_crossed(intersections_to_cells(intersections), edges)
    return [unnested(list(group)) for group in cells_to_tables(cells)]


def unnested(group: list[Box]) -> list[Box]:
    """A table's cells with none inside another: a cell holding others (a lattice of broken rules
    makes one from a far corner; so does a cut along a rule that spans only part of it) keeps only
    what they leave of it, strip by strip between their sides (every pair compared: a table with
    a cell lost to broken rules may hold a nested pair too, so areas adding up to less than the
    table's prove nothing)."""
    boxes = np.asarray(group, dtype=float).reshape(-1, 4)
    x0, top, x1, bottom = (boxes[:, k] for k in range(4))
    area = (x1 - x0) * (bottom - top)
    slack = 1.0
    # holds[i, j]: cell i holds cell j, a smaller one, within `slack` (every pair at once)
    holds = (
        (x0[:, None] - slack <= x0[None, :])
        & (x1[None, :] <= x1[:, None] + slack)
        & (top[:, None] - slack <= top[None, :])
        & (bottom[None, :] <= bottom[:, None] + slack)
        & (area[None, :] < area[:, None] - slack)
    )
    if not holds.any():
        return group
    out: list[Box] = []
    for i, box in enumerate(group):
        inner = [group[j] for j in np.flatnonzero(holds[i])]
        out.extend(_uncovered(box, inner) if inner else [box])
    return out


def _uncovered(box: Box, inner: list[Box]) -> list[Box]:
    """The parts of `box` no cell of `inner` covers: strips between the inner cells' sides, each
    cut where inner cells cover it and kept in the runs between."""
    x0, top, x1, bottom = box
    xs = sorted({x0, x1, *(v for b in inner for v in (b[0], b[2]) if x0 + MIN_PART <= v <= x1 - MIN_PART)})
    out: list[Box] = []
    for a, b in itertools.pairwise(xs):
        middle = (a + b) / 2
        covered = sorted((c[1], c[3]) for c in inner if c[0] <= middle <= c[2])
        y = top
        for t, u in covered:
            if t - y >= MIN_PART:
                out.append((a, y, b, t))
            y = max(y, u)
        if bottom - y >= MIN_PART:
            out.append((a, y, b, bottom))
    return out


def split_crossed(cells: list[Box], edges: list[dict[str, object]]) -> list[Box]:
    """Cells cut along a rule that runs through them from a neighbour.

    A lattice cell needs a rule at each of its four corners, so a row rule whose end a streak or a
    drop-out took away (on a scan) leaves the two rows it parted one cell in that column, and
    their labels one text. A rule that crosses most of a cell and goes on past its side into the
    next cell parts two rows (or columns) still: the cell is cut there. (An underline stays
    inside its cell; a merged cell has no rule inside it.)"""
    rules, columns = _rules(edges, "h"), _rules(edges, "v")
    rule_at, column_at = [r[0] for r in rules], [c[0] for c in columns]
    seen: set[tuple[int, ...]] = set()
    out: list[Box] = []
    for x0, top, x1, bottom in cells:
        # only rules strictly inside the cell can cut it (mostly none: a quick look by position)
        inside_h = rules[
            bisect.bisect_left(rule_at, top + MIN_PART) : bisect.bisect_right(rule_at, bottom - MIN_PART)
        ]
        inside_v = columns[
            bisect.bisect_left(column_at, x0 + MIN_PART) : bisect.bisect_right(column_at, x1 - MIN_PART)
        ]
        ys = [y for y, a, b in inside_h if _crosses(y, a, b, top, bottom, x0, x1)]
        xs = [x for x, a, b in inside_v if _crosses(x, a, b, x0, x1, top, bottom)]
        for t, u in _parts(top, bottom, ys):
            for a, b in _parts(x0, x1, xs):
                key = (round(a), round(t), round(b), round(u))
                if key not in seen:  # a part the lattice found itself too
                    seen.add(key)
                    out.append((a, t, b, u))
    return out


def _rules(edges: list[dict[str, object]], orientation: str) -> list[tuple[float, float, float]]:
    """(where, start, end) of each rule of one orientation, by where."""
    out = []
    for e in edges:
        if e["orientation"] == orientation:
            x0, top, x1, bottom = (cast(float, e[k]) for k in ("x0", "top", "x1", "bottom"))
            out.append((top, x0, x1) if orientation == "h" else (x0, top, bottom))
    return sorted(out)


def _crosses(
    at: float, start: float, end: float, low: float, high: float, side0: float, side1: float
) -> bool:
    """A rule at `at` from `start` to `end` runs inside the cell (between `low` and `high` across
    it, `side0` to `side1` along it) over CROSS_SHARE of its length, and on past one of its sides
    for a good part of a neighbour (the strokes of a toner patch cut no cell: they are short)."""
    if not low + MIN_PART <= at <= high - MIN_PART:
        return False
    along = side1 - side0
    inside = min(end, side1) - max(start, side0)
    return inside >= CROSS_SHARE * along and end - start >= RULE_REACH * along


def _parts(low: float, high: float, cuts: list[float]) -> list[tuple[float, float]]:
    bounds = [low]
    for c in cuts:  # each at least MIN_PART inside the cell (`_crosses`)
        if c - bounds[-1] >= MIN_PART:
            bounds.append(c)
    return list(itertools.pairwise([*bounds, high]))


def close_open_ends(edges: list[dict[str, object]]) -> list[dict[str, object]]:
    """Synthetic rules where a table is cut open by a page break.

    A table that runs off the bottom of a page is often printed without its closing rule, so its
    last row (and every merged label cell reaching it) would have no bottom edge and be lost.
    Where two or more vertical rules end at the same height with no horizontal rule there, a
    rule is added across them; the same at the top of the continuation on the next page.
    Not where a vertical rule runs on through that height: the table goes on there, and the
    ends are gaps in its rules (a copier's drop-out streak), not its edge (a rule added there
    cut a row of a photocopied 表三 in two, and lost its figures).
    """
    h_edges = [e for e in edges if e["orientation"] == "h"]
    v_edges = [e for e in edges if e["orientation"] == "v"]

    def has_rule(x: float, y: float) -> bool:
        return any(
            abs(float(h["top"]) - y) <= SNAP and float(h["x0"]) - SNAP <= x <= float(h["x1"]) + SNAP  # type: ignore[arg-type]
            for h in h_edges
        )

    added: list[dict[str, object]] = []
    for end in ("top", "bottom"):
        open_ends = sorted(
            (float(v[end]), float(v["x0"]))  # type: ignore[arg-type]
            for v in v_edges
            if not has_rule(float(v["x0"]), float(v[end]))  # type: ignore[arg-type]
        )
        groups: list[list[tuple[float, float]]] = []
        for y, x in open_ends:
            if groups and y - groups[-1][-1][0] <= SNAP:
                groups[-1].append((y, x))
            else:
                groups.append([(y, x)])
        for group in groups:
            y = sum(p[0] for p in group) / len(group)
            if len(group) >= 2 and not any(
                float(v["top"]) < y - SNAP and float(v["bottom"]) > y + SNAP  # type: ignore[arg-type]
                for v in v_edges
            ):
                # across every vertical rule that reaches this height, so partial rules join up
                xs = [
                    float(v["x0"])  # type: ignore[arg-type]
                    for v in v_edges
                    if float(v["top"]) - SNAP <= y <= float(v["bottom"]) + SNAP  # type: ignore[arg-type]
                ]
                added.append(_edge(min(xs), y, max(xs), y, "h"))
    return added


def _cluster(values: Iterable[float], tolerance: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    i = bisect.bisect_left(edges, value - 1.5)
    return min(i, len(edges) - 1)


def boxes_to_table(
    boxes: Sequence[tuple[float, float, float, float]], glyphs: Sequence[Glyph], page: int
) -> Table | None:
    """One group of cell boxes → a Table with spans and text; None when it is not a real grid."""
    xs = _cluster(v for b in boxes for v in (b[0], b[2]))
    ys = _cluster(v for b in boxes for v in (b[1], b[3]))
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 2 or n_rows < 1 or len(boxes) < 2:
        return None  # a framed paragraph or a single box, not a table
    placed: list[tuple[int, int, int, int, BBox]] = []
    grid: dict[tuple[int, int], int] = {}
    for x0, top, x1, bottom in boxes:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        k = len(placed)
        placed.append((r0, c0, r1 - r0, c1 - c0, BBox(x0, top, x1, bottom)))
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid.setdefault((r, c), k)
    texts: list[list[Glyph]] = [[] for _ in placed]
    for g in glyphs:
        # a glyph belongs where it starts: text that overflows a cell's right border stays in it
        cx, cy = g.bbox.x0 + 0.3 * g.bbox.width, (g.bbox.top + g.bbox.bottom) / 2
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            continue
        c = bisect.bisect_right(xs, cx) - 1
        r = bisect.bisect_right(ys, cy) - 1
        k_or_none = grid.get((min(r, n_rows - 1), min(c, n_cols - 1)))
        if k_or_none is not None:
            texts[k_or_none].append(g)
    cells = []
    for (r, c, rs, cs, bbox), cell_glyphs in zip(placed, texts, strict=True):
        lines = glyphs_to_lines(cell_glyphs)
        confidence = min((w.confidence for line in lines for w in line.words), default=1.0)
        # Justified cell text prints gaps between CJK characters that are not spaces.
        text = drop_cjk_gaps(join_lines([line.text for line in lines]))
        cells.append(Cell(r, c, rs, cs, text, bbox, page, confidence))
    bbox = BBox(xs[0], ys[0], xs[-1], ys[-1])
    return Table(n_rows, n_cols, tuple(cells), (page,), bbox)


def segments_to_tables(segments: Sequence[Segment], glyphs: Sequence[Glyph], page: int) -> list[Table]:
    tables = []
    for group in segments_to_cell_groups(segments):
        table = boxes_to_table(group, glyphs, page)
        if table is not None:
            tables.append(table)
    return [
        t
        for t in tables
        if not any(_area(u.bbox) > _area(t.bbox) and _inside(t.bbox, u.bbox) for u in tables)
    ]


def _area(box: BBox) -> float:
    return box.width * box.height


def _inside(inner: BBox, outer: BBox, slack: float = 2.0) -> bool:
    """A "table" inside another is a fragment of its rules (seen on scans: a 5 pt sliver in a
    cell), and, taken as a table of its own, it would stop the real one joining the next page."""
    return outer.contains_point(inner.x0, inner.top, slack) and outer.contains_point(
        inner.x1, inner.bottom, slack
    )
