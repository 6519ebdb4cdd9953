"""A Report as a Word document (python-docx), for the LibreOffice producer.

What an office's Word file has: East Asian fonts on every run, exact line spacing, first-line indents,
merged table cells (gridSpan / vMerge), header rows marked to repeat when the table look repeats them,
rows that may not split unless the look allows a cut row, and a PAGE field in the footer.

A table whose rules were removed (the rules_removed loss) has no borders (none), or only a top and bottom
rule and one under its header band (three_line); `probe=True` writes all of its borders instead, for
measuring where its rows fell. A table not printed (Omitted) writes only its caption.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from samplegen.grid import Grid
from samplegen.html_report import em_width
from samplegen.model import Closing, Heading, Meta, MetaLine, Omitted, Para, Report, Table, Title
from samplegen.pagesetup import PageSetup, family, steer_spaces

PAGE_NUMBER = {"dash": ("-", "-"), "spaced": ("- ", " -"), "plain": ("", ""), "di": ("第", "页")}


class _Writer:
    def __init__(self, report: Report, setup: PageSetup, probe: bool = False) -> None:
        self.r, self.s, self.setup, self.probe = report, report.style, setup, probe
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.s.body_size)
        _fonts(normal.element.get_or_add_rPr(), family(setup.body))
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        sec = self.doc.sections[0]
        w, h = setup.size
        sec.page_width, sec.page_height = Pt(w), Pt(h)
        left, right, top, bottom = setup.margins
        sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = (
            Pt(left),
            Pt(right),
            Pt(top),
            Pt(bottom),
        )
        sec.footer_distance = Pt(bottom / 2)
        sec.header_distance = Pt(top / 2)
        self._footer()

    def _footer(self) -> None:
        how = PAGE_NUMBER.get(self.s.page_numbers)
        p = self.doc.sections[0].footer.paragraphs[0]
        if how is None:
            return
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, after = how
        self._run(p, before, self.setup.body, self.s.body_size - 1.5)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = self._run(p, "1", self.setup.body, self.s.body_size - 1.5)
        field.append(run._r)
        p._p.append(field)
        self._run(p, after, self.setup.body, self.s.body_size - 1.5)

    def _run(self, p: Paragraph, text: str, font: str, size: float, bold: bool = False) -> Run:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        _fonts(run._r.get_or_add_rPr(), family(font))
        return run

    def para(self, size: float | None = None) -> Paragraph:
        p = self.doc.add_paragraph()
        p.paragraph_format.line_spacing = Pt((size or self.s.body_size) * self.s.leading)
        return p

    def write(self, path: Path) -> None:
        spaces = steer_spaces(self.r.blocks, self.setup.steers)
        for i, b in enumerate(self.r.blocks):
            if i in spaces:
                self.steer(spaces[i])
            self.block(b)
        self.doc.save(str(path))

    def steer(self, space: float) -> None:
        """A page break, then an empty paragraph `space` pt tall (exact line height; 1 pt at least)."""
        p = self.doc.add_paragraph()
        p.paragraph_format.page_break_before = True
        p.paragraph_format.line_spacing = Pt(max(space, 1.0))
        self._run(p, "", self.setup.body, 1.0)

    def block(self, b: object) -> None:
        s = self.s
        if isinstance(b, Title):
            size = min(s.title_size, self.setup.text_width / (max(em_width(t) for t in b.lines) * 1.06))
            for i, line in enumerate(b.lines):
                p = self.para(size * 1.0)
                p.paragraph_format.line_spacing = Pt(size * 1.45)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if i == 0:
                    p.paragraph_format.space_before = Pt(size * 0.6)
                if i == len(b.lines) - 1:
                    p.paragraph_format.space_after = Pt(size * 1.1)
                self._run(p, line, self.setup.title, size, s.title_bold)
        elif isinstance(b, Meta):
            size = s.body_size - 2
            for i in range(0, len(b.pairs), 2):
                p = self.para(size)
                p.paragraph_format.tab_stops.add_tab_stop(Pt(self.setup.text_width / 2))
                self._run(p, "\t".join(f"{k}：{v}" for k, v in b.pairs[i : i + 2]), self.setup.body, size)
            p.paragraph_format.space_after = Pt(size)
        elif isinstance(b, MetaLine):
            p = self.para(s.body_size - 2)
            p.paragraph_format.space_after = Pt(s.body_size * 0.8)
            self._run(p, b.text, self.setup.body, s.body_size - 2)
        elif isinstance(b, Heading):
            size = s.body_size + (0.5 if b.level == 1 else 0.0)
            p = self.para(size)
            p.paragraph_format.keep_with_next = True
            if s.indent_first or b.level > 1:
                p.paragraph_format.left_indent = Pt(s.body_size * 2)
            self._run(p, b.text, self.setup.head, size, s.heading_bold)
        elif isinstance(b, Para):
            p = self.para()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if b.indent and s.indent_first:
                p.paragraph_format.first_line_indent = Pt(s.body_size * 2)
            p.paragraph_format.space_after = Pt(s.body_size * s.para_gap)
            if b.lead:
                self._run(p, b.lead, self.setup.head, s.body_size, s.heading_bold)
            self._run(p, b.text, self.setup.body, s.body_size)
        elif isinstance(b, Closing):
            for i, line in enumerate(b.lines):
                p = self.para()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.right_indent = Pt(s.body_size * 2)
                if i == 0:
                    p.paragraph_format.space_before = Pt(s.body_size * s.leading * 1.2)
                self._run(p, line, self.setup.body, s.body_size)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Omitted):
            self.caption(b.caption)

    def caption(self, text: str) -> None:
        if text:
            p = self.para()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(self.s.body_size)
            p.paragraph_format.keep_with_next = True
            self._run(p, text, self.setup.head, self.s.body_size, True)

    def table(self, b: Table) -> None:
        g = b.grid
        self.caption(b.caption)
        t = self.doc.add_table(rows=g.n_rows, cols=len(g.widths))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        total = sum(g.widths)
        width = self.setup.text_width * g.width_frac
        for col, w in zip(t.columns, g.widths, strict=True):
            col.width = Pt(width * w / total)
        rules = "grid" if self.probe else g.rules
        _table_props(t, self.s.line_width, self.s.cell_pad, rules)
        for r, row in enumerate(t.rows):
            tr_pr = row._tr.get_or_add_trPr()
            if g.repeat_header and r < g.header_rows:
                tr_pr.append(_on("w:tblHeader"))
            if not g.row_cut:
                tr_pr.append(_on("w:cantSplit"))
        for c in g.cells:
            cell = t.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            self._cell(cell, c.text, c.align, c.bold, c.shade, g)
            if rules == "three_line" and 0 < g.header_rows == c.row + c.rowspan:
                _cell_bottom(cell, self.s.line_width)
        self.para().paragraph_format.line_spacing = Pt(self.s.body_size * 0.8)

    def _cell(self, cell: _Cell, text: str, align: str, bold: bool, shade: bool, g: Grid) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.paragraph_format.line_spacing = Pt(g.font_size * 1.3)
        p.paragraph_format.first_line_indent = Pt(0)
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(text.split("\n")):
            run = self._run(p, line, self.setup.body, g.font_size, bold)
            if i:
                run._r.addprevious(OxmlElement("w:br"))
        if shade:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), "D1D1D1")
            cell._tc.get_or_add_tcPr().append(shd)


def _on(tag: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    return el


def _fonts(rpr: Any, name: str) -> None:
    """The same family for Latin and East Asian text (Word picks w:eastAsia for CJK characters)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _border(parent: BaseOxmlElement, edge: str, width: float | None) -> None:
    """One border of `width` pt (eighths of a point in the file), or none (nil) when width is None."""
    el = OxmlElement(f"w:{edge}")
    if width is None:
        el.set(qn("w:val"), "nil")
    else:
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(max(2, round(width * 8))))
        el.set(qn("w:color"), "000000")
    parent.append(el)


def _table_props(t: DocxTable, line_width: float, pad: float, rules: str = "grid") -> None:
    """Borders of the report's rule width (every cell, three-line or none), and its cell padding
    (twentieths of a point)."""
    tbl_pr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        width: float | None = line_width
        if rules == "none" or (rules == "three_line" and edge not in ("top", "bottom")):
            width = None
        elif rules == "three_line":
            width = line_width * 1.6
        _border(borders, edge, width)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", pad * 0.7), ("left", pad), ("bottom", pad * 0.7), ("right", pad)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(size * 20)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _cell_bottom(cell: _Cell, width: float) -> None:
    """The rule under a three-line table's header band: the bottom border of the cells that end it."""
    borders = OxmlElement("w:tcBorders")
    _border(borders, "bottom", width)
    tc_pr = cell._tc.get_or_add_tcPr()
    later = [el for el in tc_pr if el.tag in {qn(f"w:{n}") for n in _AFTER_TC_BORDERS}]
    if later:  # the schema's order: tcBorders before shd, vAlign …
        later[0].addprevious(borders)
    else:
        tc_pr.append(borders)


_AFTER_TC_BORDERS = ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def write_docx(report: Report, setup: PageSetup, path: Path, probe: bool = False) -> None:
    _Writer(report, setup, probe).write(path)
