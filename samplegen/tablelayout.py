"""Pure geometry of a ruled table: cell wrapping, row heights, page breaks, merged cells split by a break.

Coordinates are in points, y measured downwards from the top of the table's part on each page.
"""

from __future__ import annotations

from dataclasses import dataclass

from samplegen.fonts import text_width, wrap
from samplegen.grid import Grid, GridCell


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    shade: bool
    # a header cell cut by a forced break has no rule at the break: it continues on the next page
    open_top: bool = False
    open_bottom: bool = False


@dataclass(frozen=True)
class Line:
    x: float
    baseline: float
    text: str
    bold: bool


@dataclass(frozen=True)
class TablePage:
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]
    height: float
    head_bottom: float | None = None  # y under the header rows printed on this page (three-line rules)
    rows: tuple[int, ...] = ()  # grid rows with a piece on this page


@dataclass(frozen=True)
class Placement:
    row: int
    part: str  # whole | head | tail
    y: float
    h: float


@dataclass(frozen=True)
class TableLayout:
    new_page_first: bool  # the table starts on a fresh page
    pages: tuple[TablePage, ...]
    cut_row: int | None  # a row cut across a page break
    split_labels: tuple[str, ...]  # merged labels split by a page break
    header_repeated: bool
    lead: float = (
        0.0  # blank space above the first part: a forced break puts the rows above it at a page foot
    )
    breaks: tuple[
        int, ...
    ] = ()  # the first row printed after each page break (not counting a repeated header)


@dataclass(frozen=True)
class Metrics:
    fontname: str
    size: float
    lead: float
    pad_x: float
    pad_y: float
    min_h: float


def layout_table(grid: Grid, width: float, first_avail: float, page_avail: float, m: Metrics) -> TableLayout:
    xs = _col_x(grid, width, m)
    lines = {c: _cell_lines(c, xs, m) for c in grid.cells}
    heights = _row_heights(grid, lines, m)
    pag = _paginate(grid, heights, lines, first_avail, page_avail, m)
    out: list[TablePage] = []
    split: list[str] = []
    for p, placed in enumerate(pag.pages):
        boxes, texts = _draw_page(grid, xs, lines, placed, pag.pages, p, m, split)
        head = [pl.y + pl.h for pl in placed if pl.row < grid.header_rows]
        height = sum(pl.h for pl in placed)
        rows = tuple(dict.fromkeys(pl.row for pl in placed))
        out.append(TablePage(tuple(boxes), tuple(texts), height, max(head) if head else None, rows))
    repeated = grid.repeat_header and grid.header_rows > 0 and len(pag.pages) > 1
    split_labels = tuple(dict.fromkeys(split))
    return TableLayout(
        pag.new_first, tuple(out), pag.cut, split_labels, repeated, pag.lead, tuple(pag.breaks)
    )


def _col_x(grid: Grid, width: float, m: Metrics) -> list[float]:
    """Column edges from the relative widths, widened so that no figure has to wrap."""
    total = sum(grid.widths)
    widths = [w / total * width for w in grid.widths]
    need = [0.0] * len(widths)
    for c in grid.cells:
        if c.colspan == 1 and c.text and not any("\u4e00" <= ch <= "\u9fff" for ch in c.text):
            need[c.col] = max(need[c.col], text_width(c.text, m.fontname, m.size) + 2 * m.pad_x + 1)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    if short > 0:
        spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
        take = min(1.0, short / spare) if spare else 0.0
        widths = [n if n > w else w - (w - n) * take for n, w in zip(need, widths, strict=True)]
    xs = [0.0]
    for w in widths:
        xs.append(xs[-1] + w)
    return xs


def _cell_lines(c: GridCell, xs: list[float], m: Metrics) -> list[str]:
    w = xs[c.col + c.colspan] - xs[c.col] - 2 * m.pad_x
    return wrap(c.text, m.fontname, m.size, max(w, m.size)) if c.text else []


def _need(n_lines: int, m: Metrics) -> float:
    return max(m.min_h, n_lines * m.lead + 2 * m.pad_y)


def _row_heights(grid: Grid, lines: dict[GridCell, list[str]], m: Metrics) -> list[float]:
    h = [m.min_h] * grid.n_rows
    for c in grid.cells:
        if c.rowspan == 1:
            h[c.row] = max(h[c.row], _need(len(lines[c]), m))
    for c in grid.cells:
        if c.rowspan > 1:
            rows = range(c.row, c.row + c.rowspan)
            deficit = _need(len(lines[c]), m) - sum(h[r] for r in rows)
            for r in rows if deficit > 0 else ():
                h[r] += deficit / c.rowspan
    return h


def _cuttable(grid: Grid, row: int, lines: dict[GridCell, list[str]]) -> int:
    """Line count of a row that may be cut (every cell starting there is single-row), else 0."""
    starting = [c for c in grid.cells if c.row == row]
    if any(c.rowspan > 1 for c in starting):
        return 0
    return max((len(lines[c]) for c in starting), default=0)


@dataclass
class _Pagination:
    new_first: bool
    lead: float
    pages: list[list[Placement]]
    breaks: list[int]
    cut: int | None = None


def _paginate(
    grid: Grid,
    heights: list[float],
    lines: dict[GridCell, list[str]],
    first_avail: float,
    page_avail: float,
    m: Metrics,
) -> _Pagination:
    head = list(range(grid.header_rows))
    forced = grid.break_before
    above = sum(heights[:forced]) if forced is not None else 0.0
    # a forced break puts the rows above it at the foot of the first page they fit on; when they fit on
    # no page, the table starts as usual and the break is a manual one (blank space under the row above)
    at_foot = forced is not None and above <= page_avail
    if at_foot:
        new_first = first_avail < above
        lead = (page_avail if new_first else first_avail) - above
        start, avail = forced or 0, above
    else:
        head_h = sum(heights[r] for r in head)
        first_body = heights[grid.header_rows] if grid.n_rows > grid.header_rows else 0.0
        new_first = first_avail < head_h + first_body
        lead, start = 0.0, grid.header_rows
        avail = page_avail if new_first else first_avail
    out = _Pagination(new_first, lead, [[]], [])
    y = 0.0

    def put(row: int, part: str, h: float) -> None:
        nonlocal y, avail
        out.pages[-1].append(Placement(row, part, y, h))
        y, avail = y + h, avail - h

    def new_page(row: int) -> None:
        nonlocal y, avail
        out.pages.append([])
        out.breaks.append(row)
        y, avail = 0.0, page_avail
        if grid.repeat_header and row >= grid.header_rows:
            for r in head:
                put(r, "whole", heights[r])

    for r in range(start):
        put(r, "whole", heights[r])
    if at_foot:
        new_page(start)
    for r in range(start, grid.n_rows):
        if r == forced and not at_foot and r not in out.breaks:
            new_page(r)
        if heights[r] <= avail + 0.01:
            put(r, "whole", heights[r])
            continue
        n = _cuttable(grid, r, lines) if grid.row_cut and out.cut is None else 0
        k = int((avail - 2 * m.pad_y) // m.lead)
        if n >= 2 and 1 <= k < n:
            rest = max(len(lines[c]) - k for c in grid.cells if c.row == r)
            put(r, "head", k * m.lead + 2 * m.pad_y)
            new_page(r)
            put(r, "tail", _need(rest, m))
            out.cut = r
        else:
            new_page(r)
            put(r, "whole", heights[r])
    return out


def _fragments(c: GridCell, pages: list[list[Placement]]) -> list[tuple[int, float, float]]:
    """(page, y, h) of each piece of a cell; header cells appear once per page they are printed on."""
    out = []
    rows = range(c.row, c.row + c.rowspan)
    for p, placed in enumerate(pages):
        mine = [pl for pl in placed if pl.row in rows]
        if mine:
            out.append((p, mine[0].y, mine[-1].y + mine[-1].h - mine[0].y))
    return out


def _draw_page(
    grid: Grid,
    xs: list[float],
    lines: dict[GridCell, list[str]],
    placed: list[Placement],
    pages: list[list[Placement]],
    p: int,
    m: Metrics,
    split: list[str],
) -> tuple[list[Box], list[Line]]:
    boxes: list[Box] = []
    texts: list[Line] = []
    rows_here = {pl.row: pl for pl in placed}
    for c in grid.cells:
        if not any(r in rows_here for r in range(c.row, c.row + c.rowspan)):
            continue
        frags = _fragments(c, pages)
        idx = next(i for i, f in enumerate(frags) if f[0] == p)
        _, fy, fh = frags[idx]
        x, w = xs[c.col], xs[c.col + c.colspan] - xs[c.col]
        # header cells are printed once per page, unless a forced break cut the header band itself
        cut_at = grid.break_before
        band_cut = c.row < grid.header_rows and cut_at is not None and c.row < cut_at < c.row + c.rowspan
        boxes.append(Box(x, fy, w, fh, c.shade, band_cut and idx > 0, band_cut and idx < len(frags) - 1))
        if band_cut:
            chosen = _split_label(lines[c], frags, idx, False, m)
        elif c.row < grid.header_rows:
            chosen = _centered(lines[c], fh, m)
        elif c.rowspan == 1 and rows_here[c.row].part != "whole":
            chosen = _cut_part(lines[c], rows_here[c.row], pages, m)
        elif len(frags) == 1:
            chosen = _centered(lines[c], fh, m)
        else:
            if lines[c]:
                split.append(c.text.replace("\n", ""))
            chosen = _split_label(lines[c], frags, idx, grid.label_repeat, m)
        for offset, text in chosen:
            tw = text_width(text, m.fontname, m.size)
            tx = x + m.pad_x if c.align == "left" else x + (w - tw) / 2
            texts.append(Line(tx, fy + offset + m.size * 0.9 + (m.lead - m.size) / 2, text, c.bold))
    return boxes, texts


def _centered(lines: list[str], h: float, m: Metrics) -> list[tuple[float, str]]:
    top = max(m.pad_y, (h - len(lines) * m.lead) / 2)
    return [(top + i * m.lead, t) for i, t in enumerate(lines)]


def _cut_part(
    lines: list[str], pl: Placement, pages: list[list[Placement]], m: Metrics
) -> list[tuple[float, str]]:
    head = next(x for page in pages for x in page if x.row == pl.row and x.part == "head")
    k = int((head.h - 2 * m.pad_y + 0.01) // m.lead)
    part = lines[:k] if pl.part == "head" else lines[k:]
    return [(m.pad_y + i * m.lead, t) for i, t in enumerate(part)]


def _split_label(
    lines: list[str], frags: list[tuple[int, float, float]], idx: int, repeat: bool, m: Metrics
) -> list[tuple[float, str]]:
    """A merged label cut by a page break: printed again in each piece, or flowing across the pieces."""
    fits = all(len(lines) * m.lead + 2 * m.pad_y <= f[2] for f in frags)
    if repeat and fits:
        return _centered(lines, frags[idx][2], m)
    total = sum(f[2] for f in frags)
    pos = max(m.pad_y, (total - len(lines) * m.lead) / 2)
    starts = [sum(f[2] for f in frags[:i]) for i in range(len(frags))]
    out = []
    for text in lines:
        j = max(i for i, s in enumerate(starts) if s <= pos)
        end = starts[j] + frags[j][2]
        if pos + m.lead > end - m.pad_y / 2 and j + 1 < len(frags):
            j, pos = j + 1, starts[j + 1] + m.pad_y
        if j == idx:
            out.append((pos - starts[j], text))
        pos += m.lead
    return out
