"""Page breaks forced inside a table's body: nothing is lost, so every cell must be read and no alarm raised.

Natural pagination breaks a table wherever the text before it ends, which over a set leaves some row
positions rare or never hit (表四, with one body row, never breaks: it moves whole to the next page). A chosen
share of the reports that carry no loss get each table broken before one of its body rows, spread so that
over a set every position occurs. The positions inside or right after a header band leave a header-only
fragment: those are the losses header_alone, header_split and header_band_alone (samplegen/losses.py).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from samplegen.grid import Grid
from samplegen.losses import printed_grids
from samplegen.model import Report, Table
from samplegen.render import RenderInfo

GOLDEN = (5**0.5 - 1) / 2


def body_rows(grid: Grid) -> list[int]:
    """Rows a break may fall before without leaving a header-only fragment above it."""
    if grid.name != "t2":
        return list(range(grid.header_rows + 1, grid.n_rows))
    # 表二: each sub-table opens with a heading row and a column row; a break may come before a heading
    headings = {c.row for c in grid.cells if c.colspan == len(grid.widths)}
    return [r for r in range(1, grid.n_rows) if r - 1 not in headings and r - 2 not in headings]


def draw_breaks(report: Report, share: float) -> tuple[tuple[str, int], ...]:
    """(table, row) for every table of the report with body rows, or () for the reports left alone.

    The row is the report index's step along the golden-ratio sequence: a run of reports that are all broken
    (share 1), even every third one, spreads its breaks evenly over a table's rows, so a few dozen reports
    cover every position. Reports picked at random (share < 1, or one variant of a table whose row count
    varies) cover them only as a random sample does.
    """
    rng = random.Random(f"samplegen-break:{report.seed}:{report.index}")
    if rng.random() >= share:
        return ()
    out = []
    for name, grid in sorted(printed_grids(report).items()):
        rows = body_rows(grid)
        if rows:
            start = random.Random(f"samplegen-break:{report.seed}:{name}").random()  # one per set and table
            step = (report.index * GOLDEN + start) % 1.0
            out.append((name, rows[int(step * len(rows))]))
    return tuple(out)


def apply_breaks(report: Report, where: tuple[tuple[str, int], ...]) -> Report:
    rows = dict(where)
    blocks = tuple(
        Table(dataclasses.replace(b.grid, break_before=rows[b.grid.name]), b.caption)
        if isinstance(b, Table) and b.grid.name in rows
        else b
        for b in report.blocks
    )
    return dataclasses.replace(report, blocks=blocks, page_breaks=where)


def break_record(where: tuple[str, int], info: RenderInfo) -> dict[str, Any]:
    name, row = where
    t = info.table(name)
    return {"table": name, "before_row": row, "page": t.row_pages[row - 1], "next_page": t.row_pages[row]}
