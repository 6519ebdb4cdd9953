"""Stage 1: a PDF file → `Document` (positioned lines and table grids per page).

Each page is read on its own; a page that fails becomes a page with an error and no content,
so one bad page degrades its report to `partial` instead of losing the file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial

import pypdfium2 as pdfium

from .grid import Segment, segments_to_tables
from .join import join_tables
from .layout import Glyph, glyphs_to_lines, is_page_furniture, outside
from .model import Document, Method, Page, PipelineError, Table
from .pagemap import PageMap
from .pdf import TextLayerStats, document_metadata, open_document, page_glyphs, page_segments

MIN_RULES = 4  # fewer straight rules than this cannot make a table: skip the lattice search


@dataclass(frozen=True)
class ExtractOptions:
    password: str | None = None
    ocr: str = "auto"  # auto | always | never


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
            pages = [_read_page(doc, i) for i in range(len(doc))]
        else:
            pages = page_map(partial(read_pages, path, options.password), len(doc))
        metadata = document_metadata(doc)
    finally:
        doc.close()
    return Document(
        tuple(pages), tuple(tables_in_order(pages)), metadata, tuple(p.error for p in pages if p.error)
    )


def read_pages(path: str, password: str | None, start: int, stop: int) -> list[Page]:
    """Pages [start, stop) of a file, opened on its own (a `PageReader` for pagemap.py)."""
    doc = open_document(path, password)
    if isinstance(doc, PipelineError):
        raise RuntimeError(doc.message)
    try:
        return [_read_page(doc, i) for i in range(start, stop)]
    finally:
        doc.close()


def _read_page(doc: pdfium.PdfDocument, index: int) -> Page:
    start = time.perf_counter()
    page = doc[index]
    try:
        built, _stats, _glyphs = read_text_page(page, index + 1)
    except Exception as exc:  # one unreadable page must not lose the others
        err = PipelineError(
            "extract", "page_failed", f"page {index + 1}: {type(exc).__name__}: {exc}", index + 1
        )
        built = failed_page(index + 1, page.get_size(), err)
    finally:
        page.close()
    return replace(built, seconds=time.perf_counter() - start)


def tables_in_order(pages: list[Page]) -> list[Table]:
    """All tables of the document, joined where one continues on the next page."""
    parts: list[tuple[Table, bool, bool]] = []
    for page in pages:
        for i, table in enumerate(page.tables):
            first = i == 0 and not any(line.bbox.bottom <= table.bbox.top for line in page.lines)
            last = i == len(page.tables) - 1 and not any(
                line.bbox.top >= table.bbox.bottom for line in page.lines
            )
            parts.append((table, first, last))
    return join_tables(parts)
