"""The PDF reader: each page read on its own, from its text layer or, where needed, by OCR.

A page that fails becomes a page with an error and no content, so one bad page degrades its
report to `partial` instead of losing the file. Whether a page needs OCR is decided from
measurements of its text layer (decide.py, layer_check.py).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.core.config import ReadOptions
from pipeline.core.model import Opening, Page, PipelineError, StopAt
from pipeline.extract.decide import FORCED, Decision, evidence_to_decision
from pipeline.extract.font_repair import DocumentRepair, build
from pipeline.extract.glyph_source import font_codes, glyph_reader, ocr_reader
from pipeline.extract.guard import precheck, sniff_pdf
from pipeline.extract.layer_check import page_evidence
from pipeline.extract.pdf import TextLayerStats, document_metadata, open_document, page_glyphs, page_segments
from pipeline.layout.lines import Glyph
from pipeline.layout.page import failed_page, glyphs_to_page
from pipeline.layout.turn import turn_glyphs, turn_segments, turned_size


class PdfReader:
    """`extract.document.Reader` for PDF files (text, scanned or mixed)."""

    name = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def refuse(self, path: Path, options: ReadOptions) -> PipelineError | None:
        return sniff_pdf(path) or precheck(
            str(path), options.password, options.max_pages, options.max_image_pixels
        )

    def read_opening(self, path: Path, options: ReadOptions, stop_at: StopAt) -> Opening | PipelineError:
        return read_opening(str(path), options, stop_at)

    def read_pages(self, path: Path, options: ReadOptions, start: int, stop: int) -> list[Page]:
        return read_pages(str(path), options, start, stop)


def read_text_page(page: pdfium.PdfPage, number: int) -> tuple[Page, TextLayerStats, list[Glyph]]:
    """A page from its text layer; a page whose text is drawn turned is laid out turned upright."""
    glyphs, stats = page_glyphs(page)
    return lay_out_text_page(page, number, glyphs, stats.turn, "text_layer_ok"), stats, glyphs


def lay_out_text_page(page: pdfium.PdfPage, number: int, glyphs: list[Glyph], turn: int, reason: str) -> Page:
    segments = page_segments(page)
    size = page.get_size()
    if turn:
        upright = turned_size(size, turn)
        laid = turn_glyphs(glyphs, turn, size)
        built = glyphs_to_page(number, upright, laid, turn_segments(segments, turn, size), "text", reason)
        return replace(built, rotation=turn)
    return glyphs_to_page(number, size, glyphs, segments, "text", reason)


class Repairs:
    """The document's font repair (font_repair.py), made once, when a page first asks for it, for
    the glyphs of pages `wanted` (all if None)."""

    def __init__(
        self, doc: pdfium.PdfDocument, path: str, options: ReadOptions, wanted: range | None = None
    ) -> None:
        self.doc, self.path, self.options, self.wanted = doc, path, options, wanted
        self.done: DocumentRepair | PipelineError | None = None

    def get(self, index: int) -> DocumentRepair | PipelineError:
        if self.done is None:
            from pipeline.ocr.engines import engine_for

            engine = engine_for(self.options.ocr_engine)
            if isinstance(engine, PipelineError):
                self.done = engine
            else:
                timeout = self.options.ocr_timeout
                deadline = time.monotonic() + timeout * max(1, len(self.doc))
                codes = font_codes(self.path, self.options.password)
                self.done = build(
                    self.doc,
                    codes,
                    ocr_reader(self.doc, engine, timeout),
                    deadline,
                    first=index,
                    second_look=glyph_reader(self.doc, engine, timeout),
                    wanted=self.wanted,
                )
        return self.done


def _repaired(
    page: pdfium.PdfPage, index: int, glyphs: list[Glyph], turn: int, repairs: Repairs
) -> Page | str:
    """The page read from its text layer repaired through the document's glyph readings, or why not."""
    repair = repairs.get(index)
    if isinstance(repair, PipelineError):
        return repair.message
    fixed = repair.repair(index, glyphs)
    if isinstance(fixed, str):
        return fixed
    if not fixed.mapped:  # its suspect characters are in sound fonts (a real ° drawn wide)
        return lay_out_text_page(page, index + 1, glyphs, turn, "text_layer_ok")
    built = lay_out_text_page(page, index + 1, fixed.glyphs, turn, "repaired_text")
    return replace(built, notes=(fixed.note(len(repair.broken)),))


def read_opening(path: str, options: ReadOptions, stop_at: StopAt) -> Opening | PipelineError:
    """Pages in turn up to the first page `i` that needs OCR with `stop_at(i, count)`: that page
    and the rest are left unread."""
    doc = open_document(path, options.password)
    if isinstance(doc, PipelineError):
        return doc
    try:
        count = len(doc)
        pages: list[Page] = []
        repairs = Repairs(doc, path, options)
        for i in range(count):
            page = _read_page(doc, i, path, options, repairs, defer_ocr=stop_at(i, count))
            if page is None:
                break
            pages.append(page)
        sizes = tuple(_size(doc, i) for i in range(count))
        return Opening(tuple(pages), sizes, document_metadata(doc))
    finally:
        doc.close()


def read_pages(path: str, options: ReadOptions, start: int, stop: int) -> list[Page]:
    """Pages [start, stop) of a PDF (0-based), each by its own text-or-OCR decision: the unit of
    work when a file's pages are spread over processes."""
    doc = open_document(path, options.password)
    if isinstance(doc, PipelineError):
        return [failed_page(i + 1, (0.0, 0.0), replace(doc, page=i + 1)) for i in range(start, stop)]
    try:
        repairs = Repairs(doc, path, options, range(start, stop))
        return [_read(doc, i, path, options, repairs) for i in range(start, stop)]
    finally:
        doc.close()


def _read(doc: pdfium.PdfDocument, index: int, path: str, options: ReadOptions, repairs: Repairs) -> Page:
    page = _read_page(doc, index, path, options, repairs, defer_ocr=False)
    assert page is not None  # only a deferred OCR page is left unread
    return page


def _read_page(
    doc: pdfium.PdfDocument, index: int, path: str, options: ReadOptions, repairs: Repairs, defer_ocr: bool
) -> Page | None:
    """One page by its text-or-OCR decision; None for a page that needs OCR if `defer_ocr`."""
    start = time.perf_counter()
    try:
        page = doc[index]
    except pdfium.PdfiumError as exc:  # the page tree is damaged here: this page only is lost
        err = PipelineError(
            "extract", "page_failed", f"page {index + 1}: PDFium cannot load it ({exc})", index + 1
        )
        return replace(failed_page(index + 1, (0.0, 0.0), err), seconds=time.perf_counter() - start)
    try:
        built, stats, glyphs = read_text_page(page, index + 1)
        decision = _decide(page, index, path, stats, glyphs, options)
        # a repairable page is tried here, even when OCR pages are deferred: the document pass is
        # made once, by this process, not again by every chunk of pages split off
        fixed = _repaired(page, index, glyphs, stats.turn, repairs) if decision.repairable else None
        if decision.ocr and defer_ocr and not isinstance(fixed, Page):
            return None
        if isinstance(fixed, Page):
            built = fixed
        elif fixed is not None:
            built = _ocr(page, index, decision.reason, options)
            built = replace(built, notes=(*built.notes, f"text layer not repaired: {fixed}"))
        elif decision.ocr:
            built = _ocr(page, index, decision.reason, options)
        else:
            built = replace(built, ocr_reason=decision.reason)
    except MemoryError:  # over the worker's cap (run/workers.py): this page only is lost
        message = f"page {index + 1}: an allocation went over the worker's memory limit (--max-memory)"
        built = failed_page(
            index + 1, page.get_size(), PipelineError("extract", "memory", message, index + 1)
        )
    except Exception as exc:  # one unreadable page must not lose the others
        err = PipelineError(
            "extract", "page_failed", f"page {index + 1}: {type(exc).__name__}: {exc}", index + 1
        )
        built = failed_page(index + 1, page.get_size(), err)
    finally:
        page.close()
    return replace(built, seconds=time.perf_counter() - start)


def _size(doc: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    """A page's size in points; (0, 0) for a page PDFium cannot load."""
    try:
        width, height = doc.get_page_size(index)
    except pdfium.PdfiumError:
        return 0.0, 0.0
    return width, height


def _decide(
    page: pdfium.PdfPage,
    index: int,
    path: str,
    stats: TextLayerStats,
    glyphs: list[Glyph],
    options: ReadOptions,
) -> Decision:
    """The per-page text-or-OCR decision (decide.py)."""
    if options.ocr == "always":
        return FORCED
    return evidence_to_decision(
        page_evidence(path, page, index, glyphs, stats, options.password), options.ocr
    )


def _ocr(page: pdfium.PdfPage, index: int, reason: str, options: ReadOptions) -> Page:
    """The page read from its image; OCR modules load only when a page needs them."""
    from pipeline.ocr.engines import engine_for
    from pipeline.ocr.page import ocr_page

    engine = engine_for(options.ocr_engine)
    if isinstance(engine, PipelineError):
        return replace(
            failed_page(index + 1, page.get_size(), replace(engine, page=index + 1), "ocr"), ocr_reason=reason
        )
    return ocr_page(page, index + 1, engine, reason, options.ocr_timeout)
