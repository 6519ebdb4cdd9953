"""Print one report through one producer: the HTML or DOCX it needs, the program, the steered page breaks,
the ghostscript re-distill, and what the truth says about the layout.

A Workshop holds what the programs keep between reports of one generate() run: a Chromium profile and a
LibreOffice profile (both private, in a temporary folder removed at the end).

A report carrying an injected loss or forced body breaks is printed as lossproduce.py says; `Produced`
says where its tables were printed (as render.py would) and whether its loss was printed.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pypdfium2 as pdfium

from samplegen import producers
from samplegen.docx_report import write_docx
from samplegen.grid import Grid
from samplegen.html_report import report_html
from samplegen.losses import BREAK_KINDS
from samplegen.lossprint import print_report
from samplegen.lossproduce import (
    broke_before,
    forced_breaks,
    printed_where,
    same_pages,
    steer_targets,
    table_prints,
    turn_page,
    without_unprinted_breaks,
)
from samplegen.model import Report
from samplegen.pagesetup import PageSetup, describe, draw_page_setup, tables_of
from samplegen.render import TablePrint, render
from samplegen.steer import Target, plan_breaks, steered_print
from samplegen.tablebreaks import describe_parts, read_parts, record, resolved
from samplegen.truth import render_note

GS_SETTINGS = ("default", "printer", "prepress", "ebook")
GS_BASES = ("chromium", "weasyprint", "libreoffice", "reportlab")


def gs_base(cycle: int) -> str:
    """The producer whose PDF a ghostscript report re-distills: the available ones taken in turn."""
    bases = [b for b in GS_BASES if producers.missing(b) is None]
    return bases[cycle % len(bases)]


@dataclass(frozen=True)
class Produced:
    producer: str
    base: str | None  # what the ghostscript re-distill started from
    pages: int
    notes: tuple[str, ...]
    render_note: str
    layout: dict[str, object] = field(default_factory=dict)
    report: Report | None = None  # as printed: forced body breaks the PDF does not show are left out
    tables: tuple[TablePrint, ...] = ()  # where each table was printed (render.py's RenderInfo.tables)
    loss_printed: bool = True  # False: the report's loss is not in the PDF as it should be (print it without)


class Workshop:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="samplegen-producers-"))

    def __enter__(self) -> Workshop:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def produce(
        self,
        report: Report,
        producer: str,
        pdf: Path,
        rng: random.Random,
        cycle: int,
        phase: int,
        turn: bool = True,
    ) -> Produced:
        """Print `report` to `pdf`. `cycle` and `phase` choose the steered break rows (plan_breaks);
        `turn` False leaves a page_turned loss's page upright (ghostscript turns it after re-distilling)."""
        if producer == "gs":
            return self._gs(report, pdf, rng, cycle, phase)
        loss = report.loss
        if producer == "reportlab":
            info = print_report(report, pdf) if turn else render(report, pdf)
            return Produced(
                "reportlab", None, info.pages, info.notes, render_note(report, info), {}, report, info.tables
            )
        setup = draw_page_setup(rng)
        grids = [t.grid for t in tables_of(report.blocks)]
        targets = steer_targets(plan_breaks(grids, cycle, phase), grids, forced_breaks(report))
        work = self.root / report.name
        work.mkdir(exist_ok=True)
        unruled = loss is not None and loss.kind == "rules_removed"

        def print_pdf(s: PageSetup, out: Path) -> None:
            self._print(producer, report, s, out, work, probe=unruled)

        # a table printed without rules cannot be measured: steer and measure on its ruled twin
        measured = work / "ruled-twin.pdf" if unruled else pdf
        used, kept = steered_print(print_pdf, setup, grids, targets, measured)
        parts, _ = read_parts(measured, grids)
        printed = True
        if unruled:
            self._print(producer, report, used, pdf, work, probe=False)
            printed = same_pages(measured, pdf)
        tables = tuple(table_prints(parts, grids, report.blocks, pdf))
        shutil.rmtree(work, ignore_errors=True)
        if loss is not None:
            printed = printed and printed_where(loss, tables)
            if loss.kind in BREAK_KINDS:
                assert loss.break_before is not None
                printed = printed and broke_before(parts, grids, loss.table, loss.break_before)
        report = without_unprinted_breaks(report, parts, grids)
        if printed and turn and loss is not None and loss.kind == "page_turned":
            turn_page(pdf, _main_page(tables, loss.table), loss.angle)
        pages = _pages(pdf)
        notes = tuple(describe_parts(parts, grids)) if resolved(parts) else ()
        layout: dict[str, object] = {
            "paper": used.paper,
            "steered": [_target(t, grids) for t in kept],
            "table_parts": record(parts, grids),
        }
        note = _note(producer, report, used, pages, kept, grids)
        return Produced(producer, None, pages, notes, note, layout, report, tables, printed)

    def _print(
        self, producer: str, report: Report, setup: PageSetup, pdf: Path, work: Path, probe: bool = False
    ) -> None:
        if producer in ("chromium", "weasyprint"):
            html = work / f"{report.name}.html"
            html.write_text(report_html(report, setup, probe), encoding="utf-8")
            if producer == "chromium":
                producers.chromium_pdf(html, pdf, self.root / "chromium-profile")
            else:
                producers.weasyprint_pdf(html, pdf)
        elif producer == "libreoffice":
            docx = work / f"{report.name}.docx"
            write_docx(report, setup, docx, probe)
            producers.libreoffice_pdf(docx, pdf, self.root / "libreoffice-profile")
        else:
            raise producers.ProducerError(f"unknown producer {producer!r}")

    def _gs(self, report: Report, pdf: Path, rng: random.Random, cycle: int, phase: int) -> Produced:
        """Re-distill what the base producer printed; a page_turned loss's page is turned afterwards
        (pdfwrite's page auto-rotation would otherwise set it upright again). A re-distill that
        no longer looks like its print (ghostscript 10.00 draws some of reportlab's subset
        TrueType fonts with other glyphs: the print itself is garbage, its truth unknowable) is
        made again from the next base producer."""
        settings = rng.choice(GS_SETTINGS)
        for attempt in range(len(GS_BASES)):
            base = gs_base(cycle + attempt)
            first = self.root / f"{report.name}-{base}.pdf"
            made = self.produce(report, base, first, rng, cycle, phase, turn=False)
            producers.gs_redistill(first, pdf, settings)
            alike = producers.looks_alike(first, pdf)
            first.unlink(missing_ok=True)
            if alike:
                break
        else:
            raise producers.ProducerError(f"no ghostscript re-distill of {report.name} looks like its print")
        loss = report.loss
        if made.loss_printed and loss is not None and loss.kind == "page_turned":
            turn_page(pdf, _main_page(made.tables, loss.table), loss.angle)
        note = f"ghostscript pdfwrite re-distill (-dPDFSETTINGS=/{settings}) of: {made.render_note}"
        return dataclasses.replace(made, producer="gs", base=base, pages=_pages(pdf), render_note=note)


def _main_page(tables: tuple[TablePrint, ...], name: str) -> int:
    return next(t for t in tables if t.name == name).main_page


def _pages(pdf: Path) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _target(t: Target, grids: list[Grid]) -> str:
    how = "inside the next row" if t.inside_next else "after it"
    return f"{grids[t.table].name} row {t.after} ({how})"


def _note(
    producer: str, report: Report, setup: PageSetup, pages: int, kept: list[Target], grids: list
) -> str:
    s = report.style
    how = {
        "chromium": "headless Chromium print-to-PDF of the report's HTML",
        "weasyprint": "WeasyPrint of the report's HTML",
        "libreoffice": "LibreOffice (soffice --convert-to pdf) of a DOCX written with python-docx",
    }[producer]
    steered = "; page ends steered to " + ", ".join(_target(t, grids) for t in kept) if kept else ""
    return (
        f"{how} ({pages} pages): {describe(setup)}; body {s.body_size:g}pt; table rules "
        f"{s.line_width:.2f}pt; page numbers {s.page_numbers}{steered}"
    )
