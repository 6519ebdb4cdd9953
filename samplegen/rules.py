"""The ruling lines of one printed piece of a table: every cell boxed, the three-line style, or none.

Real reports print all three: Word's boxed grid, the academic three-line table (a rule above, one under
the header, one below), and borderless tables whose columns are only aligned text.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from samplegen.tablelayout import TablePage

STYLES = ("grid", "three_line", "none")


def draw_rules(c: Canvas, x: float, top: float, page: TablePage, style: str, width: float) -> None:
    """Stroke the rules of `page` whose top-left corner is at (x, top) in PDF space (y upwards)."""
    if style == "none":
        return
    c.setLineWidth(width)
    if style == "three_line":
        _three_line(c, x, top, page, width)
        return
    for box in page.boxes:
        y0 = top - box.y - box.h
        if not (box.open_top or box.open_bottom):
            c.rect(x + box.x, y0, box.w, box.h, stroke=1, fill=0)
            continue
        # a header cell cut by the page break: its sides, and no rule where it continues
        left, right, y1 = x + box.x, x + box.x + box.w, top - box.y
        c.line(left, y0, left, y1)
        c.line(right, y0, right, y1)
        if not box.open_top:
            c.line(left, y1, right, y1)
        if not box.open_bottom:
            c.line(left, y0, right, y0)


def _three_line(c: Canvas, x: float, top: float, page: TablePage, width: float) -> None:
    if not page.boxes:
        return
    left = x + min(b.x for b in page.boxes)
    right = x + max(b.x + b.w for b in page.boxes)
    c.setLineWidth(width * 1.6)
    c.line(left, top, right, top)
    c.line(left, top - page.height, right, top - page.height)
    if page.head_bottom is not None and page.head_bottom < page.height:
        c.setLineWidth(width)
        c.line(left, top - page.head_bottom, right, top - page.head_bottom)
