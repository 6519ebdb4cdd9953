"""A page printed turned: by its /Rotate entry, or by drawing its content turned on a rotated page.

Angles are the clockwise turn of the page as a viewer displays it (the meaning of /Rotate): a reader must
turn it back by the same angle counter-clockwise to read it upright.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = A4
ANGLES = (90, 180, 270)
HOWS = ("rotate_key", "content")

# portrait user space -> the turned page's space, as (a, b, c, d, e, f) of x' = ax + cy + e, y' = bx + dy + f
_TRANSFORMS = {
    90: (0.0, -1.0, 1.0, 0.0, 0.0, PAGE_W),  # the top of the page ends up on the right
    180: (-1.0, 0.0, 0.0, -1.0, PAGE_W, PAGE_H),
    270: (0.0, 1.0, -1.0, 0.0, PAGE_H, 0.0),  # the top of the page ends up on the left
}


@dataclass(frozen=True)
class PageTurn:
    page: int  # 1-based
    angle: int  # one of ANGLES
    how: str  # one of HOWS


def begin_page(c: Canvas, turn: PageTurn | None, page: int) -> None:
    """Set up a page that is about to be drawn: turned if it is the one, upright otherwise."""
    if turn is None:
        return
    if page != turn.page:  # both settings outlive showPage: undo them after the turned page
        c.setPageRotation(0)
        c.setPageSize(A4)
    else:
        if turn.angle != 180:  # reportlab gives a /Rotate 90 page a MediaBox of the size turned: portrait
            c.setPageSize((PAGE_H, PAGE_W))
        if turn.how == "rotate_key":
            c.setPageRotation(turn.angle)
        else:
            c.transform(*_TRANSFORMS[turn.angle])
