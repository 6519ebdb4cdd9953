"""Print a Report as an A4 text PDF (reportlab): wrapped paragraphs, headings, ruled tables across pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from samplegen.fonts import font, text_width, wrap
from samplegen.grid import Grid
from samplegen.model import (
    Block,
    Closing,
    Heading,
    Meta,
    MetaLine,
    Omitted,
    Para,
    Report,
    Style,
    Table,
    Title,
)
from samplegen.pageturn import PageTurn, begin_page
from samplegen.rules import draw_rules
from samplegen.tablelayout import Metrics, TableLayout, TablePage, layout_table

PAGE_W, PAGE_H = A4


@dataclass(frozen=True)
class TablePrint:
    """Where one table was printed: the pages of its rows, and the rows a page break falls before."""

    name: str
    page: int  # the page its first row is printed on (for an omitted table: where it would have been)
    row_pages: tuple[int, ...]  # page of each grid row's first piece; empty when the table is not printed
    breaks: tuple[int, ...]

    @property
    def main_page(self) -> int:
        """The page holding most of its rows."""
        if not self.row_pages:
            return self.page
        return max(sorted(set(self.row_pages)), key=self.row_pages.count)


@dataclass(frozen=True)
class RenderInfo:
    pages: int
    notes: tuple[str, ...]
    tables: tuple[TablePrint, ...] = ()

    def table(self, name: str) -> TablePrint:
        return next(t for t in self.tables if t.name == name)


class _Pager:
    """Mutable cursor over one document being printed (local to a render call)."""

    def __init__(self, path: Path | BinaryIO, style: Style, meta_title: str, turn: PageTurn | None) -> None:
        self.c = Canvas(
            path if not isinstance(path, Path) else str(path), pagesize=A4, invariant=1, pageCompression=1
        )
        self.c.setTitle(meta_title)
        self.c.setCreator("samplegen (reportlab)")
        self.s = style
        left, right, top, bottom = style.margins
        self.x0, self.x1, self.top, self.bottom = left, PAGE_W - right, PAGE_H - top, bottom
        self.y = self.top
        self.page = 1
        self.body = font(style.body_font)
        self.head = font(style.head_font)
        self.title = font(style.title_font)
        self.turn = turn
        self.tables: list[TablePrint] = []
        begin_page(self.c, turn, self.page)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def new_page(self) -> None:
        self._page_number()
        self.c.showPage()
        self.page += 1
        self.y = self.top
        begin_page(self.c, self.turn, self.page)

    def finish(self) -> int:
        self._page_number()
        self.c.save()
        return self.page

    def _page_number(self) -> None:
        fmt = {"dash": "-{}-", "spaced": "- {} -", "plain": "{}", "di": "第{}页"}.get(self.s.page_numbers)
        if fmt:
            text = fmt.format(self.page)
            size = self.s.body_size - 1.5
            self.text(
                PAGE_W / 2 - text_width(text, self.body, size) / 2, self.bottom / 2, text, self.body, size
            )

    def ensure(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def text(self, x: float, y: float, text: str, fontname: str, size: float, bold: bool = False) -> None:
        t = self.c.beginText(x, y)
        t.setFont(fontname, size)
        if bold:  # fill+stroke fakes a bold face; the mode outlives BT/ET, so it is reset inside the object
            self.c.setLineWidth(size * 0.035)
            t.setTextRenderMode(2)
        t.textOut(text)
        if bold:
            t.setTextRenderMode(0)
        self.c.drawText(t)


def render(report: Report, path: Path | BinaryIO, turn: PageTurn | None = None) -> RenderInfo:
    """Print the report to `path` (a file or a binary stream); `turn` prints one page turned."""
    meta_title = (report.title or "", "政府信息公开工作年度报告", "")[report.index % 3]
    p = _Pager(path, report.style, meta_title, turn)
    notes: list[str] = []
    for block in report.blocks:
        notes.extend(_block(p, block))
    return RenderInfo(p.finish(), tuple(notes), tuple(p.tables))


def _block(p: _Pager, b: Block) -> list[str]:
    if isinstance(b, Title):
        _title(p, b)
    elif isinstance(b, Meta):
        _meta(p, b)
    elif isinstance(b, MetaLine):
        _meta_line(p, b)
    elif isinstance(b, Heading):
        _heading(p, b)
    elif isinstance(b, Para):
        _para(p, b)
    elif isinstance(b, Closing):
        _closing(p, b)
    elif isinstance(b, Omitted):
        _caption(p, b.caption, 0.0)
        p.tables.append(TablePrint(b.name, p.page, (), ()))
    else:
        return _table(p, b)
    return []


def _title(p: _Pager, b: Title) -> None:
    s = p.s
    p.y -= s.title_size * 0.6
    for line in b.lines:
        p.y -= s.title_size * 1.45
        w = text_width(line, p.title, s.title_size)
        p.text(PAGE_W / 2 - w / 2, p.y, line, p.title, s.title_size, s.title_bold)
    p.y -= s.title_size * 1.1


def _meta(p: _Pager, b: Meta) -> None:
    size = p.s.body_size - 2
    half = p.width / 2
    for i in range(0, len(b.pairs), 2):
        p.y -= size * 1.7
        for j, (k, v) in enumerate(b.pairs[i : i + 2]):
            p.text(p.x0 + j * half, p.y, f"{k}：{v}", p.body, size)
    p.y -= size * 0.8
    p.c.setLineWidth(0.6)
    p.c.line(p.x0, p.y, p.x1, p.y)
    p.y -= size


def _meta_line(p: _Pager, b: MetaLine) -> None:
    size = p.s.body_size - 2
    p.y -= size * 1.7
    p.text(p.x0, p.y, b.text, p.body, size)
    p.y -= size * 0.8


def _heading(p: _Pager, b: Heading) -> None:
    s = p.s
    size = s.body_size + (0.5 if b.level == 1 else 0.0)
    lead = size * s.leading
    p.ensure(lead * 3)
    indent = s.body_size * 2 if s.indent_first or b.level > 1 else 0.0
    for line in wrap(b.text, p.head, size, p.width - indent):
        p.ensure(lead)
        p.y -= lead
        p.text(p.x0 + indent, p.y, line, p.head, size, s.heading_bold)
        indent = 0.0


def _para(p: _Pager, b: Para) -> None:
    s = p.s
    size, lead = s.body_size, s.body_size * s.leading
    indent = size * 2 if b.indent and s.indent_first else 0.0
    lead_w = text_width(b.lead, p.head, size) if b.lead else 0.0
    if b.lead:
        p.ensure(lead * 2)
    lines = wrap(b.text, p.body, size, p.width, first_indent=indent + lead_w)
    for i, line in enumerate(lines):
        p.ensure(lead)
        p.y -= lead
        x = p.x0 + (indent if i == 0 else 0.0)
        if i == 0 and b.lead:
            p.text(x, p.y, b.lead, p.head, size, s.heading_bold)
            x += lead_w
        p.text(x, p.y, line, p.body, size)
    p.y -= size * s.para_gap


def _closing(p: _Pager, b: Closing) -> None:
    s = p.s
    lead = s.body_size * s.leading
    p.ensure(lead * (len(b.lines) + 1.5))
    p.y -= lead * 1.2
    right = p.x1 - s.body_size * 2
    widest = max(text_width(line, p.body, s.body_size) for line in b.lines)
    for line in b.lines:
        p.y -= lead
        w = text_width(line, p.body, s.body_size)
        p.text(right - widest + (widest - w) / 2, p.y, line, p.body, s.body_size)


def _table(p: _Pager, b: Table) -> list[str]:
    s, g = p.s, b.grid
    size = g.font_size
    m = Metrics(p.body, size, size * 1.3, s.cell_pad, s.cell_pad * 0.7, size * 1.3 + s.cell_pad * 2.4)
    _caption(p, b.caption, m.min_h * 3)
    p.y -= s.body_size * 0.6
    width = p.width * g.width_frac
    x = p.x0 + (p.width - width) / 2
    lay = layout_table(g, width, p.y - p.bottom, p.top - p.bottom, m)
    first = p.page + (1 if lay.new_page_first else 0)
    row_pages: dict[int, int] = {}
    for i, page in enumerate(lay.pages):
        if i > 0 or lay.new_page_first:
            p.new_page()
        if i == 0:
            p.y -= lay.lead
        _draw_table_page(p, x, page, m, s.line_width, g.rules)
        p.y -= page.height
        for r in page.rows:
            row_pages.setdefault(r, p.page)
    p.y -= s.body_size * 0.8
    pages = tuple(row_pages[r] for r in range(g.n_rows))
    p.tables.append(TablePrint(g.name, first, pages, lay.breaks))
    return _table_notes(g.name, lay, first, b.grid)


def _caption(p: _Pager, caption: str, below: float) -> None:
    """A table's title line, kept on the page with `below` points of what follows."""
    s = p.s
    if caption:
        p.ensure(s.body_size * 2 + below)
        p.y -= s.body_size * 2
        w = text_width(caption, p.head, s.body_size)
        p.text(max(p.x0, PAGE_W / 2 - w / 2), p.y, caption, p.head, s.body_size, True)


def _draw_table_page(p: _Pager, x: float, page: TablePage, m: Metrics, line_width: float, rules: str) -> None:
    c = p.c
    for box in page.boxes:
        if box.shade:
            c.setFillGray(0.82)
            c.rect(x + box.x, p.y - box.y - box.h, box.w, box.h, stroke=0, fill=1)
            c.setFillGray(0)
    draw_rules(c, x, p.y, page, rules, line_width)
    for line in page.lines:
        p.text(x + line.x, p.y - line.baseline, line.text, m.fontname, m.size, line.bold)


def _table_notes(name: str, lay: TableLayout, first: int, grid: Grid) -> list[str]:
    if len(lay.pages) == 1:
        return []
    last = first + len(lay.pages) - 1
    notes = [
        f"{name} is split across pages {first}-{last}"
        + ("; its header rows are repeated" if lay.header_repeated else "; the header is not repeated")
    ]
    if lay.cut_row is not None:
        label = next((c.text for c in grid.cells if c.row == lay.cut_row and c.col <= 2), "")
        notes.append(f"{name}: row '{label.replace(chr(10), '')}' is cut across the page break")
    if lay.split_labels:
        how = "printed again" if grid.label_repeat else "continued"
        notes.append(f"{name}: merged label(s) {', '.join(lay.split_labels)} split by the page break ({how})")
    return notes
