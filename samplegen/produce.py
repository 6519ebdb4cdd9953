"""Print one report through one producer: the HTML or DOCX it needs, the program, the steered page breaks,
the ghostscript re-distill, and what the truth says about the layout.

A Workshop holds what the programs keep between reports of one generate() run: a Chromium profile and a
LibreOffice profile (both private, in a temporary folder removed at the end).
"""

from __future__ import annotations

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
from samplegen.model import Report
from samplegen.pagesetup import PageSetup, describe, draw_page_setup, tables_of
from samplegen.render import render
from samplegen.steer import Target, plan_breaks, steered_print
from samplegen.tablebreaks import describe_parts, read_parts, record, resolved
from samplegen.truth import render_note

GS_SETTINGS = ("default", "printer", "prepress", "ebook")
GS_BASES = ("chromium", "weasyprint", "libreoffice", "reportlab")


@dataclass(frozen=True)
class Produced:
    producer: str
    base: str | None  # what the ghostscript re-distill started from
    pages: int
    notes: tuple[str, ...]
    render_note: str
    layout: dict[str, object] = field(default_factory=dict)


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
        self, report: Report, producer: str, pdf: Path, rng: random.Random, cycle: int, phase: int
    ) -> Produced:
        """Print `report` to `pdf`. `cycle` and `phase` choose the steered break rows (plan_breaks)."""
        if producer == "gs":
            return self._gs(report, pdf, rng, cycle, phase)
        if producer == "reportlab":
            info = render(report, pdf)
            return Produced("reportlab", None, info.pages, info.notes, render_note(report, info))
        setup = draw_page_setup(rng)
        grids = [t.grid for t in tables_of(report.blocks)]
        targets = plan_breaks(grids, cycle, phase)
        work = self.root / report.name
        work.mkdir(exist_ok=True)

        def print_pdf(s: PageSetup, out: Path) -> None:
            self._print(producer, report, s, out, work)

        used, kept = steered_print(print_pdf, setup, grids, targets, pdf)
        parts, _ = read_parts(pdf, grids)
        shutil.rmtree(work, ignore_errors=True)
        pages = _pages(pdf)
        notes = tuple(describe_parts(parts, grids)) if resolved(parts) else ()
        layout: dict[str, object] = {
            "paper": used.paper,
            "steered": [_target(t, grids) for t in kept],
            "table_parts": record(parts, grids),
        }
        return Produced(
            producer, None, pages, notes, _note(producer, report, used, pages, kept, grids), layout
        )

    def _print(self, producer: str, report: Report, setup: PageSetup, pdf: Path, work: Path) -> None:
        if producer in ("chromium", "weasyprint"):
            html = work / f"{report.name}.html"
            html.write_text(report_html(report, setup), encoding="utf-8")
            if producer == "chromium":
                producers.chromium_pdf(html, pdf, self.root / "chromium-profile")
            else:
                producers.weasyprint_pdf(html, pdf)
        elif producer == "libreoffice":
            docx = work / f"{report.name}.docx"
            write_docx(report, setup, docx)
            producers.libreoffice_pdf(docx, pdf, self.root / "libreoffice-profile")
        else:
            raise producers.ProducerError(f"unknown producer {producer!r}")

    def _gs(self, report: Report, pdf: Path, rng: random.Random, cycle: int, phase: int) -> Produced:
        bases = [b for b in GS_BASES if producers.missing(b) is None]
        base = bases[cycle % len(bases)]
        settings = rng.choice(GS_SETTINGS)
        first = self.root / f"{report.name}-{base}.pdf"
        made = self.produce(report, base, first, rng, cycle, phase)
        producers.gs_redistill(first, pdf, settings)
        first.unlink(missing_ok=True)
        note = f"ghostscript pdfwrite re-distill (-dPDFSETTINGS=/{settings}) of: {made.render_note}"
        return Produced("gs", base, _pages(pdf), made.notes, note, made.layout)


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
