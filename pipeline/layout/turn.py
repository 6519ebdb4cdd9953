"""A page whose text is drawn turned (a landscape table set sideways on a portrait page, a page
scanned upside down) → its glyphs and rules on the page turned upright.

`turn` is how far the page as displayed must be turned clockwise (90, 180, 270) for its text to
read left to right; every box is mapped with the page, whose width and height swap for a quarter
turn. Lines and table grids are then found as on any upright page.
"""

from __future__ import annotations

from pipeline.core.model import BBox
from pipeline.layout.grid import Segment
from pipeline.layout.lines import Glyph

Size = tuple[float, float]


def turned_size(size: Size, turn: int) -> Size:
    width, height = size
    return (height, width) if turn in (90, 270) else (width, height)


def turn_point(x: float, y: float, turn: int, size: Size) -> tuple[float, float]:
    """A point of the page (top-left origin, y down) on the page turned `turn` degrees clockwise."""
    width, height = size
    if turn == 90:
        return height - y, x
    if turn == 180:
        return width - x, height - y
    if turn == 270:
        return y, width - x
    return x, y


def turn_box(box: BBox, turn: int, size: Size) -> BBox:
    (ax, ay), (bx, by) = turn_point(box.x0, box.top, turn, size), turn_point(box.x1, box.bottom, turn, size)
    return BBox(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def turn_glyphs(glyphs: list[Glyph], turn: int, size: Size) -> list[Glyph]:
    """Glyphs on the upright page; a glyph's size is its height there (the font's size)."""
    out = []
    for g in glyphs:
        box = turn_box(g.bbox, turn, size)
        out.append(Glyph(g.text, box, max(box.height, 1.0), g.confidence))
    return out


def turn_segments(segments: list[Segment], turn: int, size: Size) -> list[Segment]:
    out = []
    for s in segments:
        box = turn_box(BBox(s.x0, s.top, s.x1, s.bottom), turn, size)
        out.append(Segment(box.x0, box.top, box.x1, box.bottom))
    return out
