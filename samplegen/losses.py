"""Injected losses: a chosen share of reports print one table the way real archives lose tables.

Each kind is a change to what the PDF prints, made in the report's own model and carried out by the layout
and rendering code (never by editing a finished PDF):

  table_deleted      the table is not printed at all; its section heading (or 统计表 caption) still is
  header_alone       a forced page break after the first header row: that row alone at the foot of a page
  header_split       a forced break inside a multi-row header band (表三/表四 after their second row, 表二
                     between a later sub-table's heading row and its column row); tall cells open at the break
  header_band_alone  a forced break after the whole header band (of any 表二 sub-table): the values on the
                     next page, no header
  header_garbled     one header label printed wrong the way OCR and typists do (申请人情况 → 中请人情况)
  rules_removed      the table printed borderless or in the three-line style
  page_turned        the page holding most of the table printed turned 90°, 180° or 270°

The truth keeps every cell the report should have printed, and says what was lost (samplegen/lossprint.py).
Whether report i carries a loss, and which, depends only on (seed, i, format, share, kinds): the report's
content is drawn first, exactly as without losses, and the loss from an RNG of its own.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

from samplegen.grid import Grid, GridCell
from samplegen.labels import GARBLED
from samplegen.model import Block, Loss, Omitted, Report, Table
from samplegen.pageturn import HOWS

KINDS = (
    "table_deleted",
    "header_alone",
    "header_split",
    "header_band_alone",
    "header_garbled",
    "rules_removed",
    "page_turned",
)
BREAK_KINDS = ("header_alone", "header_split", "header_band_alone")
MULTI_ROW_HEADERS = ("t2", "t3", "t4")  # 表二's sub-table heading + column row, 表三/表四's three-row band
RULES_LEFT = ("none", "three_line")
TURN_ANGLES = (90, 270, 90, 270, 180)  # sideways pages are the common case


def check_kinds(kinds: Sequence[str]) -> None:
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ValueError(f"unknown loss kinds {bad}; choose from {KINDS}")


def draw_loss(report: Report, share: float, kinds: Sequence[str] = KINDS) -> Loss | None:
    """The loss report carries (None for most reports when share < 1, and for reports with no table)."""
    rng = random.Random(f"samplegen-loss:{report.seed}:{report.index}")
    if rng.random() >= share:
        return None
    grids = printed_grids(report)
    options = {kind: names for kind in kinds if (names := _targets(kind, grids))}
    if not options:
        return None
    kind = rng.choice(sorted(options, key=KINDS.index))
    name = rng.choice(options[kind])
    return _loss(rng, kind, name, grids[name])


def apply_loss(report: Report, loss: Loss) -> Report:
    """The report as printed with its loss: the lost table's block changed, the truth untouched."""
    blocks = tuple(_with_loss(b, loss) for b in report.blocks)
    return dataclasses.replace(report, blocks=blocks, loss=loss)


def printed_grids(report: Report) -> dict[str, Grid]:
    return {b.grid.name: b.grid for b in report.blocks if isinstance(b, Table)}


def _targets(kind: str, grids: dict[str, Grid]) -> list[str]:
    """The tables of this report the kind can hit."""
    if kind in ("header_split", "header_band_alone"):
        return [n for n in grids if n in MULTI_ROW_HEADERS]
    if kind == "header_garbled":
        return [n for n, g in grids.items() if _garble_sites(g)]
    return list(grids)


def _loss(rng: random.Random, kind: str, name: str, grid: Grid) -> Loss:
    if kind in BREAK_KINDS:
        return Loss(kind, name, break_before=_break_row(rng, kind, grid))
    if kind == "header_garbled":
        cell, label = rng.choice(_garble_sites(grid))
        return Loss(kind, name, at=(cell.row, cell.col), label=label, printed=GARBLED[name][label])
    if kind == "rules_removed":
        return Loss(kind, name, rules=rng.choice(RULES_LEFT))
    if kind == "page_turned":
        return Loss(kind, name, angle=rng.choice(TURN_ANGLES), how=rng.choice(HOWS))
    return Loss(kind, name)


def _break_row(rng: random.Random, kind: str, grid: Grid) -> int:
    """The row a forced page break falls before."""
    if kind == "header_alone":
        return 1
    if grid.name != "t2":
        return 2 if kind == "header_split" else grid.header_rows
    # 表二 opens each sub-table with a heading row and a column row: after the first sub-table's heading row
    # alone (header_alone), or inside (header_split) or right after (header_band_alone) a later one's band
    headings = sorted(c.row for c in grid.cells if c.colspan == len(grid.widths))
    if kind == "header_split":
        return rng.choice(headings[1:]) + 1
    return rng.choice(headings) + 2


def _fold(text: str) -> str:
    return "".join(text.split())


def _garble_sites(grid: Grid) -> list[tuple[GridCell, str]]:
    """Header cells whose label this table's garble list knows, with that label."""
    known = GARBLED.get(grid.name, {})
    return [(c, _fold(c.text)) for c in grid.cells if _fold(c.text) in known]


def _garbled(text: str, printed: str) -> str:
    """`text` with its letters replaced by `printed`'s, keeping spaces and line breaks where they were."""
    letters = iter(printed)
    return "".join(ch if ch.isspace() else next(letters) for ch in text)


def _with_loss(block: Block, loss: Loss) -> Block:
    if not isinstance(block, Table) or block.grid.name != loss.table:
        return block
    grid = block.grid
    if loss.kind == "table_deleted":
        return Omitted(grid.name, block.caption)
    if loss.kind in BREAK_KINDS:  # a repeated header would print the lost rows again on the next page
        grid = dataclasses.replace(grid, break_before=loss.break_before, repeat_header=False)
    elif loss.kind == "header_garbled":
        cells = tuple(
            dataclasses.replace(c, text=_garbled(c.text, loss.printed)) if (c.row, c.col) == loss.at else c
            for c in grid.cells
        )
        grid = dataclasses.replace(grid, cells=cells)
    elif loss.kind == "rules_removed":
        grid = dataclasses.replace(grid, rules=loss.rules)
    return Table(grid, block.caption)  # page_turned: the renderer turns the page
