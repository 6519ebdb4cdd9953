"""Page geometry and fonts of a report printed by an outside producer (browser, WeasyPrint, LibreOffice).

The reportlab path keeps its own A4 geometry (render.py); these producers lay the page out themselves, so
the generator only chooses what a real office would: paper, margins, fonts, and (for page-break coverage)
a blank space that pushes one table down so that it breaks after a chosen row.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from samplegen.model import Block, Heading, Table

MM = 72 / 25.4
PAPER = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
# fontconfig family names of the installed CJK fonts: two Ming/Song (serif) faces and two sans faces
FAMILIES = {
    "uming": "AR PL UMing CN",
    "noto-serif": "Noto Serif CJK SC",
    "wqy-zenhei": "WenQuanYi Zen Hei",
    "noto-sans": "Noto Sans CJK SC",
}
SERIF = ("uming", "noto-serif")
SANS = ("wqy-zenhei", "noto-sans")


@dataclass(frozen=True)
class Steer:
    """A forced page break before the heading of table `table` (0-based among the report's tables) and a
    blank space `space` pt above that heading: the space is chosen so the page ends after a given row."""

    table: int
    space: float


@dataclass(frozen=True)
class PageSetup:
    paper: str  # A4 | Letter
    margins: tuple[float, float, float, float]  # left, right, top, bottom (pt)
    body: str  # keys of FAMILIES
    head: str
    title: str
    steers: tuple[Steer, ...] = ()

    @property
    def size(self) -> tuple[float, float]:
        return PAPER[self.paper]

    @property
    def text_width(self) -> float:
        return self.size[0] - self.margins[0] - self.margins[1]

    @property
    def text_height(self) -> float:
        return self.size[1] - self.margins[2] - self.margins[3]


def draw_page_setup(rng: random.Random) -> PageSetup:
    """Paper, margins and fonts as offices choose them: mostly A4 and a serif body, headings often sans."""
    body = rng.choice((*SERIF, *SERIF, *SANS))
    return PageSetup(
        paper=rng.choices(("A4", "Letter"), weights=(3, 1))[0],
        margins=(
            rng.uniform(15, 32) * MM,
            rng.uniform(15, 32) * MM,
            rng.uniform(15, 37) * MM,
            rng.uniform(15, 35) * MM,
        ),
        body=body,
        head=rng.choice((body, *SANS)),
        title=rng.choice((body, *SANS, "noto-serif")),
    )


def family(key: str) -> str:
    return FAMILIES[key]


def describe(setup: PageSetup) -> str:
    left, right, top, bottom = (round(m / MM) for m in setup.margins)
    return (
        f"{setup.paper}, margins {left}/{right}/{top}/{bottom} mm (left/right/top/bottom), body font "
        f"{family(setup.body)}, headings {family(setup.head)}, title {family(setup.title)}"
    )


def steer_index(blocks: Sequence[Block], table: int) -> int:
    """Index of the block the steering space goes above: the heading right before the table, or the
    table itself (its caption travels with it); -1 when the report has fewer tables."""
    at = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    if table >= len(at):
        return -1
    i = at[table]
    return i - 1 if i > 0 and isinstance(blocks[i - 1], Heading) else i


def steer_spaces(blocks: Sequence[Block], steers: Sequence[Steer]) -> dict[int, float]:
    """Block index -> the blank space to print above it after a forced page break."""
    at = {steer_index(blocks, st.table): st.space for st in steers}
    return {i: h for i, h in at.items() if i >= 0}


def tables_of(blocks: Sequence[Block]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]
