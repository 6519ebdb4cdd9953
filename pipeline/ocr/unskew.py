"""Boxes laid out on a levelled scan → boxes on the page as stored (provenance in PDF points).

OCR pages are laid out on their straightened image so that rules are straight and a table's
columns line up across pages for the join; once the document is assembled, every box is
turned back onto the original page, where a reader will look for the figure.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.model import Cell, Document, Line, Page, Straighten, Table, Word


def _line(line: Line, s: Straighten) -> Line:
    words = tuple(Word(w.text, s.to_page(w.bbox), w.size, w.confidence) for w in line.words)
    return replace(line, bbox=s.to_page(line.bbox), words=words)


def _cell(cell: Cell, frames: dict[int, Straighten]) -> Cell:
    s = frames.get(cell.page)
    return replace(cell, bbox=s.to_page(cell.bbox)) if s else cell


def _table(table: Table, frames: dict[int, Straighten]) -> Table:
    first = frames.get(table.pages[0])
    cells = tuple(_cell(c, frames) for c in table.cells)
    return replace(table, cells=cells, bbox=first.to_page(table.bbox) if first else table.bbox)


def page_to_page_frame(page: Page) -> Page:
    s = page.straighten
    if s is None:
        return page
    frames = {page.number: s}
    lines = tuple(_line(line, s) for line in page.lines)
    tables = tuple(_table(t, frames) for t in page.tables)
    return replace(page, lines=lines, tables=tables, straighten=None)


def document_to_page_frame(doc: Document) -> Document:
    frames = {p.number: p.straighten for p in doc.pages if p.straighten is not None}
    if not frames:
        return doc
    pages = tuple(page_to_page_frame(p) for p in doc.pages)
    return replace(doc, pages=pages, tables=tuple(_table(t, frames) for t in doc.tables))
