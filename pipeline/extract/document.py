"""Stage 1: a PDF file → `Document` (positioned lines and table grids per page).

Each page is read on its own; a page that fails becomes a page with an error and no content,
so one bad page degrades its report to `partial` instead of losing the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from pipeline.core.model import Document, Method, Page, PipelineError, Table
from pipeline.extract.decide import FORCED, Decision, evidence_to_decision, parse_mode
from pipeline.extract.layer_check import page_evidence
from pipeline.extract.pagemap import PageMap
from pipeline.extract.pdf import TextLayerStats, document_metadata, open_document, page_glyphs, page_segments
from pipeline.layout.grid import Segment, segments_to_tables
from pipeline.layout.join import join_tables
from pipeline.layout.lines import Glyph, glyphs_to_lines, is_page_furniture, outside
from pipeline.ocr.unskew import document_to_page_frame

if TYPE_CHECKING:
    from pipeline.ocr.engines import OcrEngine

MIN_RULES = 4  # fewer straight rules than this cannot make a table: skip the lattice search


@dataclass(frozen=True)
class ExtractOptions:
    password: str | None = None
    ocr: str = "auto"  # auto | always | never
    ocr_timeout: float = 120.0  # seconds per OCR page
    engine: OcrEngine | None = None  # None: tesseract


def glyphs_to_page(
    number: int,
    size: tuple[float, float],
    glyphs: list[Glyph],
    segments: list[Segment],
    method: Method,
    ocr_reason: str,
) -> Page:
    """Lay out one page from positioned glyphs and ruling lines (shared by text and OCR)."""
    width, height = size
    has_grid = len(segments) >= MIN_RULES and {s.orientation for s in segments} == {"h", "v"}
    tables = segments_to_tables(segments, glyphs, number) if has_grid else []
    body = outside(glyphs, [t.bbox for t in tables])
    lines = tuple(line for line in glyphs_to_lines(body) if not is_page_furniture(line, height))
    chars = sum(len(g.text.strip()) for g in glyphs)
    return Page(number, width, height, lines, tuple(tables), method, chars, ocr_reason)


def read_text_page(page: pdfium.PdfPage, number: int) -> tuple[Page, TextLayerStats, list[Glyph]]:
    glyphs, stats = page_glyphs(page)
    segments = page_segments(page)
    built = glyphs_to_page(number, page.get_size(), glyphs, segments, "text", "text_layer_ok")
    return built, stats, glyphs


def failed_page(
    number: int, size: tuple[float, float], error: PipelineError, method: Method = "text"
) -> Page:
    width, height = size
    return Page(number, width, height, (), (), method, 0, "page_failed", error=error)


def pdf_to_document(
    path: str, options: ExtractOptions, page_map: PageMap | None = None
) -> Document | PipelineError:
    doc = open_document(path, options.password)
    if isinstance(doc, PipelineError):
        return doc
    try:
        if page_map is None:
            pages = [_read(doc, i, path, options) for i in range(len(doc))]
        else:
            pages = page_map(partial(read_pages, path, options), len(doc))
        metadata = document_metadata(doc)
    finally:
        doc.close()
    return pages_to_document(pages, metadata)


@dataclass(frozen=True)
class Opening:
    """A file's pages read in turn until one that needs OCR where the caller wanted to stop (or
    to the end): what a worker reads of a large scanned file before it hands the rest on as
    chunks of pages (split.py)."""

    pages: tuple[Page, ...]  # pages [0, len(pages))
    sizes: tuple[tuple[float, float], ...]  # of every page of the file (width, height)
    metadata: dict[str, str]

    @property
    def complete(self) -> bool:
        return len(self.pages) == len(self.sizes)


StopAt = Callable[[int, int], bool]  # (0-based page index, page count) → stop there if it needs OCR


def read_opening(path: str, options: ExtractOptions, stop_at: StopAt) -> Opening | PipelineError:
    """Pages in turn, as `pdf_to_document` reads them, up to the first page `i` that needs OCR
    with `stop_at(i, count)`: that page and the rest are left unread."""
    doc = open_document(path, options.password)
    if isinstance(doc, PipelineError):
        return doc
    try:
        count = len(doc)
        pages: list[Page] = []
        for i in range(count):
            page = _read_page(doc, i, path, options, defer_ocr=stop_at(i, count))
            if page is None:
                break
            pages.append(page)
        sizes = tuple(doc.get_page_size(i) for i in range(count))
        return Opening(tuple(pages), sizes, document_metadata(doc))
    finally:
        doc.close()


def read_pages(path: str, options: ExtractOptions, start: int, stop: int) -> list[Page]:
    """Pages [start, stop) of a PDF (0-based), each by its own text-or-OCR decision: the unit of
    work for a runner that spreads a file's pages over processes (a `pagemap.PageReader`)."""
    doc = open_document(path, options.password)
    if isinstance(doc, PipelineError):
        return [failed_page(i + 1, (0.0, 0.0), replace(doc, page=i + 1)) for i in range(start, stop)]
    try:
        return [_read(doc, i, path, options) for i in range(start, stop)]
    finally:
        doc.close()


def pages_to_document(pages: list[Page], metadata: dict[str, str]) -> Document:
    """Pages (read in any order) → the Document: tables joined across pages, then the boxes of
    OCR pages, laid out on their levelled images, turned back onto the pages as stored."""
    pages = sorted(pages, key=lambda p: p.number)
    errors = tuple(p.error for p in pages if p.error)
    return document_to_page_frame(Document(tuple(pages), tuple(tables_in_order(pages)), metadata, errors))


def _read(doc: pdfium.PdfDocument, index: int, path: str, options: ExtractOptions) -> Page:
    page = _read_page(doc, index, path, options, defer_ocr=False)
    assert page is not None  # only a deferred OCR page is left unread
    return page


def _read_page(
    doc: pdfium.PdfDocument, index: int, path: str, options: ExtractOptions, defer_ocr: bool
) -> Page | None:
    """One page by its text-or-OCR decision; None for a page that needs OCR if `defer_ocr`."""
    start = time.perf_counter()
    page = doc[index]
    try:
        built, stats, glyphs = read_text_page(page, index + 1)
        decision = _decide(page, index, path, stats, glyphs, options)
        if decision.ocr and defer_ocr:
            return None
        built = (
            _ocr(page, index, decision.reason, options)
            if decision.ocr
            else replace(built, ocr_reason=decision.reason)
        )
    except Exception as exc:  # one unreadable page must not lose the others
        err = PipelineError(
            "extract", "page_failed", f"page {index + 1}: {type(exc).__name__}: {exc}", index + 1
        )
        built = failed_page(index + 1, page.get_size(), err)
    finally:
        page.close()
    return replace(built, seconds=time.perf_counter() - start)


def _decide(
    page: pdfium.PdfPage,
    index: int,
    path: str,
    stats: TextLayerStats,
    glyphs: list[Glyph],
    options: ExtractOptions,
) -> Decision:
    """The per-page text-or-OCR decision (decide.py)."""
    mode = parse_mode(options.ocr)
    if mode == "always":
        return FORCED
    return evidence_to_decision(page_evidence(path, page, index, glyphs, stats, options.password), mode)


def _ocr(page: pdfium.PdfPage, index: int, reason: str, options: ExtractOptions) -> Page:
    """The page read from its image; OCR modules load only when a page needs them."""
    from pipeline.ocr.engines import TesseractEngine
    from pipeline.ocr.page import OcrOptions, ocr_page

    engine = options.engine or TesseractEngine()
    return ocr_page(page, index + 1, engine, reason, OcrOptions(timeout=options.ocr_timeout))


def tables_in_order(pages: list[Page]) -> list[Table]:
    """All tables of the document, joined where one continues on the next page."""
    parts: list[tuple[Table, bool, bool]] = []
    for page in pages:
        # by the line's middle: an OCR line box may overlap the table's top rule by a few points
        middles = [(line.bbox.top + line.bbox.bottom) / 2 for line in page.lines]
        for i, table in enumerate(page.tables):
            first = i == 0 and not any(y < table.bbox.top for y in middles)
            last = i == len(page.tables) - 1 and not any(y > table.bbox.bottom for y in middles)
            parts.append((table, first, last))
    return join_tables(parts)
