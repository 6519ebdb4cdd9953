"""Steering page breaks: print once, measure where the rows fell, print again with a blank space above a
table so that the page ends right after a chosen row (or inside the next one).

Over a set, the chosen rows cycle through every position of every table (plan_breaks), so the producers'
own table fragmentation is exercised at each of them: header-only fragments, split header bands, cut rows.
The first print forces a page break before each steered table, so each one starts a fresh page and the
spaces are independent; the second print keeps the breaks and adds the spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from samplegen.grid import Grid
from samplegen.pagesetup import PageSetup, Steer
from samplegen.tablebreaks import Part, read_parts

FIRST_SPACE = 1.0  # pt: the space printed in the measuring pass (a Word paragraph cannot be 0 pt tall)
CLEAN_GAP = 2.0  # pt left below the chosen row: no further row fits


@dataclass(frozen=True)
class Target:
    table: int  # index among the report's tables
    after: int  # the grid row the page should end with
    inside_next: bool  # leave room for half of the next row (a row cut, where the producer cuts rows)


def plan_breaks(grids: list[Grid], cycle: int, phase: int) -> list[Target]:
    """At most one target per table: over consecutive `cycle` values the row runs through every position
    0..n_rows-2 and one more slot in which the table is left where the text puts it (so unbroken tables
    occur too); `phase` (the format's place) shifts the run so that formats sharing a table cover
    different positions. Every fourth report asks for a break inside the next row."""
    out = []
    for t, g in enumerate(grids):
        slots = g.n_rows  # n_rows - 1 break positions, and the natural layout
        row = (cycle + phase * slots // 3 + 7 * t) % slots
        if row < g.n_rows - 1:
            out.append(Target(t, row, cycle % 4 == 3))
    return out


def steered_print(
    print_pdf: Callable[[PageSetup, Path], None],
    setup: PageSetup,
    grids: list[Grid],
    targets: list[Target],
    pdf: Path,
) -> tuple[PageSetup, list[Target]]:
    """Print `pdf` with each target met as nearly as the producer allows; returns the setup used and the
    targets kept (a row beyond the first page of its table cannot be brought to a page end)."""
    if not targets:
        print_pdf(setup, pdf)
        return setup, []
    first = replace(setup, steers=tuple(Steer(t.table, FIRST_SPACE) for t in targets))
    print_pdf(first, pdf)
    parts, _ = read_parts(pdf, grids)
    limit = setup.size[1] - setup.margins[3]
    steers, kept = [], []
    for t in targets:
        space = _space(parts, t, limit)
        if space is not None:
            steers.append(Steer(t.table, space))
            kept.append(t)
    final = replace(setup, steers=tuple(steers))
    print_pdf(final, pdf)
    return final, kept


def _space(parts: list[Part], t: Target, limit: float) -> float | None:
    mine = [p for p in parts if p.table == t.table]
    if not mine:
        return None
    pieces = list(mine[0].pieces)
    at = [i for i, p in enumerate(pieces) if p.row == t.after and p.kind == "whole"]
    if not at:
        return None
    row = pieces[at[0]]
    nxt = pieces[at[0] + 1] if at[0] + 1 < len(pieces) else None
    gap = CLEAN_GAP
    if t.inside_next and nxt is not None:
        gap = max(CLEAN_GAP, (nxt.bottom - nxt.top) * 0.5)
    space = FIRST_SPACE + limit - row.bottom - gap
    return space if space >= FIRST_SPACE else None
