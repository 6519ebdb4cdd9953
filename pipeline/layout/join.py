"""Join a table that continues on the next page into one grid.

A table continues when it is the last thing on its page, the next page starts with a table (only
page furniture in between) and both have the same columns. On the join, a repeated header is
dropped, and cells cut by the page break are glued back: a label cell that runs to the bottom of
the first part joins the label cell at the top of the second part when that one is empty or a
fragment (it does not start a new numbered item), and a row with no values of its own at the top
of the second part is the tail of the row above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.core.model import Cell, Table
from pipeline.core.numbers import is_value_text
from pipeline.core.text import join_lines, numbering_of, squash, text_similarity

COLUMN_TOLERANCE = 0.03  # share of the table width two column rulings may differ by


MIN_SHARED_RULES = 0.6  # share of column rulings two parts must have in common to be one table
# how alike a continuation's first rows must read to the header block to be its repetition: a scan's
# OCR reads a repeated header a character or two differently (申请人情况 → 惠请人情况)
REPEATED_HEADER_SIMILARITY = 0.85


def common_columns(a: Table, b: Table) -> tuple[Table, Table] | None:
    """Both parts on one column grid (the union of their rulings), when they are one table.

    Each part only draws the column rulings its own rows need (a page may hold no row of the
    （三）/（四） groups, so it lacks that ruling); they are one table when their outer edges
    agree and most rulings are shared.
    """
    xa, xb = _column_edges(a), _column_edges(b)
    tolerance = COLUMN_TOLERANCE * max(a.bbox.width, b.bbox.width, 1.0)
    if abs(xa[0] - xb[0]) > tolerance or abs(xa[-1] - xb[-1]) > tolerance:
        return None
    shared = sum(1 for x in xb if any(abs(x - y) <= tolerance for y in xa))
    # a header band cut off by the break rules only its merged header cells: every ruling it has is
    # one of the body's, however few (表四's first header row alone: 2 columns of the body's 15)
    fragment = any(
        not _has_values(t) and all(_near(x, other, tolerance) for x in mine)
        for t, mine, other in ((a, xa, xb), (b, xb, xa))
    )
    if shared < MIN_SHARED_RULES * max(len(xa), len(xb)) and not fragment:
        return None
    union: list[float] = []
    for x in sorted(xa + xb):
        if not union or x - union[-1] > tolerance:
            union.append(x)
    return _regrid(a, xa, union, tolerance), _regrid(b, xb, union, tolerance)


def _has_values(t: Table) -> bool:
    return any(c.text and is_value_text(c.text) for c in t.cells)


def _near(x: float, edges: list[float], tolerance: float) -> bool:
    return any(abs(x - y) <= tolerance for y in edges)


def _regrid(t: Table, edges: list[float], union: list[float], tolerance: float) -> Table:
    index = [min(range(len(union)), key=lambda i: abs(union[i] - x)) for x in edges]
    cells = []
    for c in t.cells:
        start, end = index[c.col], index[c.col + c.col_span]
        cells.append(replace(c, col=start, col_span=end - start))
    return replace(t, n_cols=len(union) - 1, cells=tuple(cells))


def _column_edges(t: Table) -> list[float]:
    edges: dict[int, float] = {}
    for c in t.cells:
        edges.setdefault(c.col, c.bbox.x0)
        edges.setdefault(c.col + c.col_span, c.bbox.x1)
    return [edges[k] for k in sorted(edges)]


def _header_rows(t: Table) -> int:
    """Rows above the first row that holds a number: the header block."""
    for r in range(t.n_rows):
        if any(c.text and is_value_text(c.text) for c in t.row_cells(r)):
            return r
    return 0


def _drop_repeated_header(a: Table, b: Table) -> Table:
    n = _header_rows(a)
    if n == 0 or b.n_rows <= n:
        return b
    a_head = "".join(squash(c.text) for c in _reading_order(a) if c.row < n)
    b_top = [c.text for c in _reading_order(b) if c.row < n]
    if not a_head or any(t and is_value_text(t) for t in b_top):
        return b
    b_head = "".join(squash(t) for t in b_top)
    if text_similarity(a_head, b_head) < REPEATED_HEADER_SIMILARITY:
        return b
    cells = tuple(replace(c, row=c.row - n) for c in b.cells if c.row >= n)
    return replace(b, n_rows=b.n_rows - n, cells=cells)


def _reading_order(t: Table) -> list[Cell]:
    return sorted(t.cells, key=lambda c: (c.row, c.col))


def _cell_above(a: Table, last: int, bc: Cell) -> Cell | None:
    """The cell of `a` that ends on its last row exactly above `bc` (same columns)."""
    for c in a.cells:
        if c.covers(last, bc.col) and c.row + c.row_span - 1 == last:
            return c if (c.col, c.col_span) == (bc.col, bc.col_span) else None
    return None


def _glues(ac: Cell, bc: Cell, continuation: bool, header_split: bool) -> bool:
    """Whether cell `bc` at the top of the second part is the rest of cell `ac` above the break.

    In a header band cut by the break (header rows on both sides), a label cell with a label
    fragment under it in the same columns is one cell cut in two (自然 / 人): a whole header row
    under a whole one would have left the cut tall cells of its band empty below the break."""
    if bc.text and is_value_text(bc.text):
        return False
    if continuation:
        return True
    is_label = bool(ac.text) and not is_value_text(ac.text)
    fragment = numbering_of(bc.text) is None
    return is_label and fragment and (ac.row_span > 1 or bc.row_span > 1 or not bc.text or header_split)


def _is_header_row(cells: list[Cell]) -> bool:
    return any(c.text for c in cells) and not any(c.text and is_value_text(c.text) for c in cells)


def _first_value_col(*parts: Table) -> int | None:
    """The leftmost column where either part prints a number (the parts share one column grid)."""
    cols = [c.col for t in parts for c in t.cells if c.text and is_value_text(c.text)]
    return min(cols) if cols else None


def _header_then_data(a: Table, b: Table, last: int) -> bool:
    """`a` ends in a header row (words in its value columns) and `b` opens with a data row (no
    words in its value columns: numbers or blanks): the table broke right under its header, and
    nothing of b's first row — a blank value least of all — is the rest of a header cell. (A
    header band split over the break opens `b` with header words: that row is glued as before.)"""
    first = _first_value_col(a, b)
    if first is None:
        return False

    def words(row: list[Cell]) -> bool:
        return any(c.col >= first and c.text and not is_value_text(c.text) for c in row)

    return words(a.row_cells(last)) and not words(b.row_cells(0))


def join_pair(a: Table, b: Table) -> Table:
    """`b` continues `a` on the next page; return the one table."""
    b = _drop_repeated_header(a, b)
    last = a.n_rows - 1
    top_row = [c for c in b.cells if c.row == 0]
    partners = {id(bc): _cell_above(a, last, bc) for bc in top_row}
    if _header_then_data(a, b, last):
        partners = dict.fromkeys(partners)  # nothing above the break belongs to this row
    # The first row of b is the rest of a's last row when it has text but no values of its own and
    # every one of its cells lines up with a cell of that row.
    continuation = (
        any(c.text for c in top_row)
        and not any(c.text and is_value_text(c.text) for c in top_row)
        and all(partners.values())
    )
    header_split = _is_header_row(a.row_cells(last)) and _is_header_row(top_row)
    merged: dict[int, Cell] = {}  # id of a's cell → the glued cell
    consumed: set[int] = set()
    for bc in top_row:
        ac = partners[id(bc)]
        if ac is None or not _glues(ac, bc, continuation, header_split):
            continue
        span = ac.row_span + bc.row_span - (1 if continuation else 0)
        text = join_lines([ac.text, bc.text])
        merged[id(ac)] = replace(ac, text=text, row_span=span, confidence=min(ac.confidence, bc.confidence))
        consumed.add(id(bc))
    offset = a.n_rows - (1 if continuation else 0)
    cells = [merged.get(id(c), c) for c in a.cells]
    for bc in b.cells:
        if id(bc) in consumed:
            continue
        if continuation and bc.row == 0 and not bc.text:
            continue  # a blank with no partner above: the row above already covers it
        cells.append(replace(bc, row=bc.row + offset))
    n_rows = offset + b.n_rows
    return Table(
        n_rows, a.n_cols, tuple(cells), a.pages + tuple(p for p in b.pages if p not in a.pages), a.bbox
    )


def join_tables(parts: Sequence[tuple[Table, bool, bool]]) -> list[Table]:
    """`parts`: each page's tables in order, with (table, is_first_on_page, is_last_on_page)."""
    out: list[Table] = []
    previous_last = False
    for table, first, last in parts:
        pair = None
        if out and previous_last and first and table.pages[0] == out[-1].pages[-1] + 1:
            pair = common_columns(out[-1], table)
        if pair is not None:
            out[-1] = join_pair(*pair)
        else:
            out.append(table)
        previous_last = last
    return out
