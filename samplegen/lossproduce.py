"""Injected losses and forced page breaks printed through the outside producers (produce.py).

reportlab prints every loss itself (render.py, lossprint.py). The producers that lay pages out themselves
(Chromium, WeasyPrint, LibreOffice, and ghostscript re-distilling one of them) print them this way:

  table_deleted, header_garbled   changes to the report's model: the HTML or DOCX prints them as reportlab does
  rules_removed                   the table's borders: none, or three-line (top, bottom, under the header band);
                                  a ruled twin is printed to measure where its rows fell (the same characters
                                  on each page)
  header_alone, header_split,     the page end steered (steer.py) to fall right after the rows above the
  header_band_alone, --breaks     break, the header not repeated; kept only when the PDF read back shows the
                                  break there
  page_turned                     the page holding most of the table gets a /Rotate (pypdfium2, after the
                                  producer and any ghostscript re-distill): `how` is always rotate_key

A loss the producer did not print where it should (a steered break the producer put elsewhere, a layout the
ruled twin does not share page for page) is not recorded: the report is printed again without it (generate.py). A forced
body break that did not happen is left out of `page_breaks`. What the truth lists is what the PDF shows.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from samplegen.grid import Grid
from samplegen.losses import BREAK_KINDS, KINDS
from samplegen.model import Block, Heading, Loss, Omitted, Report, Table
from samplegen.radicals import fold
from samplegen.render import TablePrint
from samplegen.steer import Target
from samplegen.tablebreaks import Part, breaks_of

# the loss kinds each producer prints (all of them: see the module docstring for how)
PRINTS: dict[str, tuple[str, ...]] = {
    "reportlab": KINDS,
    "chromium": KINDS,
    "weasyprint": KINDS,
    "libreoffice": KINDS,
    "gs": KINDS,
}


def for_producer(loss: Loss | None, producer: str) -> Loss | None:
    """The loss as `producer` prints it: a page is turned by its /Rotate unless reportlab draws it."""
    if loss is None or loss.kind != "page_turned" or producer == "reportlab":
        return loss
    return dataclasses.replace(loss, how="rotate_key")


def forced_breaks(report: Report) -> list[tuple[str, int]]:
    """(table, row) of every page break the report asks for: its break loss, or its forced body breaks."""
    loss = report.loss
    if loss is not None and loss.kind in BREAK_KINDS:
        assert loss.break_before is not None
        return [(loss.table, loss.break_before)]
    return list(report.page_breaks)


def steer_targets(
    planned: list[Target], grids: Sequence[Grid], forced: list[tuple[str, int]]
) -> list[Target]:
    """The steering plan with each forced break in place of its table's planned target."""
    names = [g.name for g in grids]
    mine = {names.index(name): Target(names.index(name), row - 1, False) for name, row in forced}
    kept = [t for t in planned if t.table not in mine]
    return sorted([*kept, *mine.values()], key=lambda t: t.table)


def broke_before(parts: Sequence[Part], grids: Sequence[Grid], name: str, row: int) -> bool:
    """Whether the PDF read back breaks table `name` right before grid row `row` (no row cut there)."""
    return any(b.table == name and b.after == row - 1 and not b.cut for b in breaks_of(parts, grids))


def table_prints(
    parts: Sequence[Part], grids: Sequence[Grid], blocks: Sequence[Block], pdf: Path
) -> list[TablePrint]:
    """Where each table was printed, as render.py reports it, from the parts read back; a table whose rows
    were not all found gets no row pages. An omitted table is where its caption or heading is printed."""
    out = []
    for j, g in enumerate(grids):
        mine = [p for p in parts if p.table == j]
        first: dict[int, int] = {}
        starts = []
        for part in mine:
            rows = [x.row for x in part.pieces if x.kind in ("whole", "head") and x.row >= 0]
            if rows and first:
                starts.append(min(rows))
            for r in rows:
                first.setdefault(r, part.page)
        complete = all(r in first for r in range(g.n_rows))
        row_pages = tuple(first[r] for r in range(g.n_rows)) if complete else ()
        out.append(TablePrint(g.name, mine[0].page if mine else 0, row_pages, tuple(starts)))
    for i, b in enumerate(blocks):
        if isinstance(b, Omitted):
            out.append(TablePrint(b.name, _omitted_page(blocks, i, pdf), (), ()))
    return out


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _omitted_page(blocks: Sequence[Block], at: int, pdf: Path) -> int:
    """The page of the omitted table's caption, or of the heading above it (0 when neither is found)."""
    b = blocks[at]
    assert isinstance(b, Omitted)
    before = next((x for x in reversed(blocks[:at]) if isinstance(x, Heading | Table)), None)
    needle = _key(b.caption) if b.caption else (_key(before.text) if isinstance(before, Heading) else "")
    if not needle:
        return 0
    doc = pdfium.PdfDocument(pdf)
    try:
        for n, page in enumerate(doc, start=1):
            text = page.get_textpage().get_text_bounded()
            if needle in _key(text):
                return n
    finally:
        doc.close()
    return 0


def printed_where(loss: Loss, tables: Sequence[TablePrint]) -> bool:
    """Whether the loss's table was located well enough for its truth entry (lossprint.loss_record)."""
    t = next((t for t in tables if t.name == loss.table), None)
    if t is None:
        return False
    if loss.kind == "table_deleted":
        return t.page > 0
    return bool(t.row_pages)


def same_pages(a: Path, b: Path) -> bool:
    """Whether two PDFs print the same characters on each page (the ruled twin of a table whose rules were
    removed, and the table as printed: LibreOffice moves rows by the width of the rules they lost, the
    browsers lay both out alike), so each of the table's rows is on the same page in both."""
    with pdfplumber.open(a) as one, pdfplumber.open(b) as two:
        if len(one.pages) != len(two.pages):
            return False
        for p, q in zip(one.pages, two.pages, strict=True):
            if sorted(c["text"] for c in p.chars) != sorted(c["text"] for c in q.chars):
                return False
    return True


def turn_page(pdf: Path, page: int, angle: int) -> None:
    """Give 1-based `page` a /Rotate of `angle` (clockwise as displayed), rewriting the file with PDFium."""
    doc = pdfium.PdfDocument(pdf)
    try:
        doc[page - 1].set_rotation(angle)
        tmp = pdf.with_suffix(".turned.pdf")
        doc.save(tmp)
    finally:
        doc.close()
    tmp.replace(pdf)


def without_unprinted_breaks(report: Report, parts: Sequence[Part], grids: Sequence[Grid]) -> Report:
    """The report with only the forced body breaks the PDF shows."""
    kept = tuple(w for w in report.page_breaks if broke_before(parts, grids, *w))
    return report if kept == report.page_breaks else dataclasses.replace(report, page_breaks=kept)
