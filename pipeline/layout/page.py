"""Positioned glyphs and ruling lines → one laid-out `Page`; the pages' tables in reading order.

The same for a text-layer page and an OCR page: both hand over glyphs (characters or OCR words,
in points) and rule segments, and get back body lines outside the tables and the table grids.
"""

from __future__ import annotations

from pipeline.core.model import Line, Method, Page, PipelineError, Table
from pipeline.layout.grid import Segment, segments_to_tables
from pipeline.layout.join import join_tables
from pipeline.layout.lines import Glyph, glyphs_to_lines, is_page_furniture, outside

MIN_RULES = 4  # fewer straight rules than this cannot make a table: skip the lattice search
OVERFLOW_CHARS = 4  # a line of at most this many characters …
OVERFLOW_LINES = 3  # … starting within this many of its own heights under a table may be overflow


def glyphs_to_page(
    number: int,
    size: tuple[float, float],
    glyphs: list[Glyph],
    segments: list[Segment],
    method: Method,
    ocr_reason: str,
) -> Page:
    """Lay out one page from positioned glyphs and ruling lines."""
    width, height = size
    has_grid = len(segments) >= MIN_RULES and {s.orientation for s in segments} == {"h", "v"}
    tables = segments_to_tables(segments, glyphs, number) if has_grid else []
    body = outside(glyphs, [t.bbox for t in tables])
    lines = tuple(line for line in glyphs_to_lines(body) if not is_page_furniture(line, height))
    chars = sum(len(g.text.strip()) for g in glyphs)
    return Page(number, width, height, lines, tuple(tables), method, chars, ocr_reason)


def failed_page(
    number: int, size: tuple[float, float], error: PipelineError, method: Method = "text"
) -> Page:
    """A page that could not be read: no content, the error kept (its report is `partial`)."""
    width, height = size
    return Page(number, width, height, (), (), method, 0, "page_failed", error=error)


def tables_in_order(pages: list[Page]) -> list[Table]:
    """All tables of the document, joined where one continues on the next page."""
    parts: list[tuple[Table, bool, bool]] = []
    for page in pages:
        for i, table in enumerate(page.tables):
            # by the line's middle: an OCR line box may overlap the table's top rule by a few points
            middles = [
                (line.bbox.top + line.bbox.bottom) / 2 for line in page.lines if not _overflow(line, table)
            ]
            first = i == 0 and not any(y < table.bbox.top for y in middles)
            last = i == len(page.tables) - 1 and not any(y > table.bbox.bottom for y in middles)
            parts.append((table, first, last))
    return join_tables(parts)


def _overflow(line: Line, table: Table) -> bool:
    """A few characters just under a table, inside its label column: the rest of a tall label cell
    that a page break cut (a producer lets the text of a vertical label run out of its cell)."""
    columns = [c.bbox for c in table.cells if c.col == 0 and c.row + c.row_span == table.n_rows]
    below = -line.size / 2 <= line.bbox.top - table.bbox.bottom <= OVERFLOW_LINES * max(line.size, 1.0)
    inside = any(box.x0 - 1 <= line.bbox.x0 and line.bbox.x1 <= box.x1 + 1 for box in columns)
    return below and inside and len(line.text.replace(" ", "")) <= OVERFLOW_CHARS
