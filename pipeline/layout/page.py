"""Positioned glyphs and ruling lines → one laid-out `Page`; the pages' tables in reading order.

The same for a text-layer page and an OCR page: both hand over glyphs (characters or OCR words,
in points) and rule segments, and get back body lines outside the tables and the table grids.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.core.model import BBox, Line, Method, Page, PipelineError, Table, Word
from pipeline.layout.grid import Segment, segments_to_tables
from pipeline.layout.join import join_tables
from pipeline.layout.lines import Glyph, glyphs_to_lines, is_page_furniture, outside

MIN_RULES = 4  # fewer straight rules than this cannot make a table: skip the lattice search
OVERFLOW_CHARS = 4  # a line of at most this many characters …
OVERFLOW_LINES = 3  # … starting within this many of its own heights under a table may be overflow

_WORDS = re.compile(r"[\u4e00-\u9fff\d]")  # a Chinese character or a digit: text, not specks


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
    lines = [line for line in glyphs_to_lines(body) if not is_page_furniture(line, height)]
    if tables:
        tables[-1], lines = take_overflow(tables[-1], lines)
    chars = sum(len(g.text.strip()) for g in glyphs)
    return Page(number, width, height, tuple(lines), tuple(tables), method, chars, ocr_reason)


def take_overflow(table: Table, lines: list[Line]) -> tuple[Table, list[Line]]:
    """A table cut by the page break, with the text of its last, open row run out under it (a
    producer lets a tall cell's text overflow): those lines back into the row's cells.

    Overflow is a line or two of short words just under the table, each word under a cell of the
    last row (or in the label column), with nothing else below them on the page: a table that is
    followed by text is not cut by the break.
    """
    under = [line for line in lines if line.bbox.top > table.bbox.bottom - line.size / 2]
    spill = [line for line in under if _overflow(line, table)]
    if not spill or len(spill) != len(under) or len(spill) > OVERFLOW_LINES:
        return table, lines
    last_row = [c for c in table.cells if c.row + c.row_span == table.n_rows]
    added: dict[int, str] = {}
    for word in (w for line in sorted(spill, key=lambda line: line.bbox.top) for w in line.words):
        middle = (word.bbox.x0 + word.bbox.x1) / 2
        for k, cell in enumerate(last_row):
            if cell.bbox.x0 <= middle <= cell.bbox.x1:
                added[k] = added.get(k, "") + word.text.replace(" ", "")
    cells = {id(c): replace(c, text=c.text + added[k]) for k, c in enumerate(last_row) if k in added}
    table = replace(table, cells=tuple(cells.get(id(c), c) for c in table.cells))
    return table, [line for line in lines if line not in spill]


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
            # by the line's middle: an OCR line box may overlap the table's top rule by a few points;
            # a line with no Chinese and no digit between a table and the page's edge is no text
            # that ends it (a folio in a toner patch read '(CD' kept 表三 from its continuation)
            middles = [
                (line.bbox.top + line.bbox.bottom) / 2 for line in page.lines if _WORDS.search(line.text)
            ]
            first = i == 0 and not any(y < table.bbox.top for y in middles)
            last = i == len(page.tables) - 1 and not any(y > table.bbox.bottom for y in middles)
            parts.append((table, first, last))
    return join_tables(parts)


def _overflow(line: Line, table: Table) -> bool:
    """Short words just under a table, each under a cell of its last row or in its label column
    (up to where the second column starts: the cut label cell itself may have no closed box — its
    outer rule can run on below the table's last rule)."""
    below = line.bbox.top - table.bbox.bottom <= OVERFLOW_LINES * max(line.size, 1.0)
    label_right = min((c.bbox.x0 for c in table.cells if c.col == 1), default=table.bbox.x0)
    boxes = [c.bbox for c in table.cells if c.row + c.row_span == table.n_rows]
    boxes.append(BBox(table.bbox.x0, table.bbox.top, label_right, table.bbox.bottom))

    def under_a_cell(word: Word) -> bool:
        short = len(word.text.replace(" ", "")) <= OVERFLOW_CHARS
        return short and any(b.x0 - 1 <= word.bbox.x0 and word.bbox.x1 <= b.x1 + 1 for b in boxes)

    return below and bool(line.words) and all(under_a_cell(w) for w in line.words)
