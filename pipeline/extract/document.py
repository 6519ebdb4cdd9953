"""The reader seam: a file → its pages (one `Reader` per input type) → the `Document`.

A reader turns one type of file into pages. It is asked for the pages in turn, up to a page
that needs OCR where the caller wants to spread the rest over processes (`read_opening`), and
for any range of pages on its own (`read_pages`), opening the file itself each time so that it
can run in another process. Whatever read them, pages become one `Document` here: tables
joined across pages, then the boxes of OCR pages turned back onto the pages as stored.

A new input type (images, HTML, DOCX) is one module with a class like `pdf_reader.PdfReader`,
added to `READERS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pipeline.core.config import ReadOptions
from pipeline.core.model import Document, Opening, Page, PipelineError, StopAt, never_stop
from pipeline.extract.pdf_reader import PdfReader
from pipeline.layout.page import tables_in_order
from pipeline.ocr.unskew import document_to_page_frame


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot

    def refuse(self, path: Path, options: ReadOptions) -> PipelineError | None:
        """Why this file cannot be read (not of this type, too large), before any parsing."""
        ...

    def read_opening(self, path: Path, options: ReadOptions, stop_at: StopAt) -> Opening | PipelineError:
        """Pages in turn, up to the first page `i` that needs OCR with `stop_at(i, count)`."""
        ...

    def read_pages(self, path: Path, options: ReadOptions, start: int, stop: int) -> list[Page]:
        """Pages [start, stop) (0-based); a page that cannot be read is a failed page."""
        ...


READERS: tuple[Reader, ...] = (PdfReader(),)


def reader_for(path: Path) -> Reader | None:
    """The reader of a file, by its name's suffix (any case); None for a type nobody reads."""
    suffix = path.suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def input_suffixes() -> tuple[str, ...]:
    """The file types an archive run picks up."""
    return tuple(s for r in READERS for s in r.suffixes)


def pages_to_document(pages: list[Page], metadata: dict[str, str]) -> Document:
    """Pages (read in any order) → the Document: tables joined across pages, then the boxes of
    OCR pages, laid out on their levelled images, turned back onto the pages as stored."""
    pages = sorted(pages, key=lambda p: p.number)
    errors = tuple(p.error for p in pages if p.error)
    return document_to_page_frame(Document(tuple(pages), tuple(tables_in_order(pages)), metadata, errors))


def read_document(path: Path, options: ReadOptions = ReadOptions()) -> Document | PipelineError:
    """A whole file → its Document, every page read in turn here (no refusals: see `process`)."""
    reader = reader_for(path)
    if reader is None:
        return PipelineError(
            "open", "unsupported_file", f"no reader for {path.suffix or 'files without a suffix'}"
        )
    opening = reader.read_opening(path, options, never_stop)
    if isinstance(opening, PipelineError):
        return opening
    return pages_to_document(list(opening.pages), opening.metadata)
