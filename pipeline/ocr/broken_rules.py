"""Rules found in pieces, made whole: collinear pieces joined across gaps, parallel pieces a
few pixels apart taken as one rule, ends that stop short of a crossing rule carried on to it, and
the sides of cells left open ruled where fainter ink runs along them.

Pure functions on pixel segments (x0, top, x1, bottom; top == bottom or x0 == x1): the rule
search (scan_grid.py) finds the pieces, these decide which belong together.
"""

from __future__ import annotations

import itertools

from pipeline.ocr.raster import Gray

PxSegment = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels; top == bottom or x0 == x1

FILL_COVERAGE = 0.5  # of a cell's side covered by weak evidence: the side is ruled


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


def merge_close(segments: list[PxSegment], horizontal: bool, near: int, gap: int) -> list[PxSegment]:
    """Parallel rules nearer than a line of text, side by side along their length, taken as one
    rule (where the longer runs): the edge of a shaded fill beside the rule it lies on, a piece
    of a rule found a few pixels off the rest."""
    items = sorted(
        (s[0], s[1], s[2]) if horizontal else (s[1], s[0], s[3]) for s in segments
    )  # (a0, line, a1) sorted along the rule
    items.sort(key=lambda t: t[0] - t[2])  # longest first: the others join it
    merged: list[list[int]] = []
    for a0, line, a1 in items:
        for m in merged:
            if abs(line - m[1]) <= near and a0 <= m[2] + gap and a1 >= m[0] - gap:
                m[0], m[2] = min(m[0], a0), max(m[2], a1)
                break
        else:
            merged.append([a0, line, a1])
    if horizontal:
        return [(a0, line, a1, line) for a0, line, a1 in merged]
    return [(line, a0, line, a1) for a0, line, a1 in merged]


def reach_rules(
    h: list[PxSegment], v: list[PxSegment], reach: int, tol: int, corners: bool = False
) -> tuple[list[PxSegment], list[PxSegment]]:
    """Ends of rules that stop short of a crossing rule (within `reach` of it) carried on to it:
    a broken rule loses its last piece as often as any other, and a vertical rule that ends in
    mid-air closes its cells on a rule of its own, a sliver's width from the real one. With
    `corners`, only onto a crossing rule that ends there too: a frame's corner a copier cleared."""

    def carried(end: int, at: int, across: list[PxSegment], horizontal: bool, low: bool) -> int:
        """`end` carried on to the nearest crossing rule beyond it, unless one is there already."""
        lines = []
        for seg in across:
            lo, hi = (seg[0], seg[2]) if horizontal else (seg[1], seg[3])  # along the crossing rule
            if lo - tol <= at <= hi + tol and (not corners or min(abs(at - lo), abs(at - hi)) <= tol):
                lines.append(seg[1] if horizontal else seg[0])
        if any(abs(line - end) <= tol for line in lines):
            return end
        beyond = [line for line in lines if 0 < (end - line if low else line - end) <= reach]
        return min(beyond, key=lambda line: abs(line - end)) if beyond else end

    v_out = [(x, carried(y0, x, h, True, True), x, carried(y1, x, h, True, False)) for x, y0, _, y1 in v]
    h_out = [(carried(x0, y, v, False, True), y, carried(x1, y, v, False, False), y) for x0, y, x1, _ in h]
    return h_out, v_out


def fill_lattice(
    h: list[PxSegment], v: list[PxSegment], weak: tuple[Gray, Gray], tol: int, least: int, reach: int
) -> tuple[list[PxSegment], list[PxSegment]]:
    """The sides of cells a table's partial rules leave open that are ruled after all: where a
    rule line found elsewhere crosses a cell's side between two rules of the other direction
    that reach it (or stop within `reach` of it: their last piece may be lost as well), and no
    piece of it was found there, the side is ruled if weaker evidence (`weak`: fainter ink
    along the line) covers most of it. A merged cell's inside shows none (its text is taken out
    of the evidence)."""

    def sides(
        lines: list[PxSegment], across: list[PxSegment], horizontal: bool, evidence: Gray
    ) -> list[PxSegment]:
        added: list[PxSegment] = []
        positions = sorted({seg[1] if horizontal else seg[0] for seg in lines})
        for at in [p for k, p in enumerate(positions) if k == 0 or p - positions[k - 1] > tol]:
            mine = [
                (seg[0], seg[2]) if horizontal else (seg[1], seg[3])
                for seg in lines
                if abs((seg[1] if horizontal else seg[0]) - at) <= tol
            ]
            ends = sorted(
                {
                    seg[0] if horizontal else seg[1]
                    for seg in across
                    if (seg[1] if horizontal else seg[0]) - reach
                    <= at
                    <= (seg[3] if horizontal else seg[2]) + reach
                }
            )
            for a, b in itertools.pairwise(ends):
                if b - a < least or any(lo <= a + tol and hi >= b - tol for lo, hi in mine):
                    continue
                band = (
                    evidence[max(0, at - 2) : at + 3, a:b]
                    if horizontal
                    else evidence[a:b, max(0, at - 2) : at + 3]
                )
                covered = (band.max(axis=0) if horizontal else band.max(axis=1)) > 0
                if covered.size and float(covered.mean()) >= FILL_COVERAGE:
                    added.append((a, at, b, at) if horizontal else (at, a, at, b))
        return added

    return sides(h, v, True, weak[0]), sides(v, h, False, weak[1])
