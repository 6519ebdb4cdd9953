"""Typed data passed between the stages.

Every stage reads and returns these frozen dataclasses; nothing else crosses a stage boundary.
Coordinates are PDF points with the origin at the top-left of the page (pdfplumber's convention),
whatever produced them (text layer or OCR), so later stages never ask where a word came from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import Literal

Method = Literal["text", "ocr"]
Status = Literal["ok", "partial", "failed"]


@dataclass(frozen=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)

    def contains_point(self, x: float, y: float, slack: float = 0.0) -> bool:
        return self.x0 - slack <= x <= self.x1 + slack and self.top - slack <= y <= self.bottom + slack

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class Straighten:
    """An OCR page was laid out on its image turned level: the way back to the page as stored.

    The scan's content is turned `angle` degrees counter-clockwise about (cx, cy) (points, on
    screen, y down); `to_page` turns a box found on the level image back by the same angle and
    returns the upright box around it.
    """

    angle: float
    cx: float
    cy: float

    def to_page(self, box: BBox) -> BBox:
        if not self.angle:
            return box
        a = math.radians(self.angle)
        cos, sin = math.cos(a), math.sin(a)
        xs, ys = [], []
        for x, y in ((box.x0, box.top), (box.x1, box.top), (box.x0, box.bottom), (box.x1, box.bottom)):
            dx, dy = x - self.cx, y - self.cy
            xs.append(self.cx + dx * cos + dy * sin)
            ys.append(self.cy - dx * sin + dy * cos)
        return BBox(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Word:
    """A run of characters without a visible gap; `confidence` is 1.0 for the text layer."""

    text: str
    bbox: BBox
    size: float
    confidence: float = 1.0


@dataclass(frozen=True)
class Line:
    """Words on one baseline, left to right; `text` has one space where a gap was printed."""

    text: str
    bbox: BBox
    size: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Cell:
    """One cell of a ruled grid; a merged cell is one Cell with spans > 1."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    bbox: BBox
    page: int
    confidence: float = 1.0
    # Raw engine output where OCR could not produce a trusted value (kept, never invented).
    raw_ocr: str | None = None
    # Other readings OCR found plausible, most likely first (the table identities may pick one).
    alternatives: tuple[str, ...] = ()

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row < self.row + self.row_span and self.col <= col < self.col + self.col_span


@dataclass(frozen=True)
class Table:
    """A ruled table as a grid; a table printed over several pages is one Table."""

    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    pages: tuple[int, ...]
    bbox: BBox  # on the first page it occupies

    def cell_at(self, row: int, col: int) -> Cell | None:
        return self._grid.get((row, col))

    @cached_property
    def _grid(self) -> dict[tuple[int, int], Cell]:
        grid: dict[tuple[int, int], Cell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    grid.setdefault((r, c), cell)
        return grid

    def row_cells(self, row: int) -> list[Cell]:
        """Cells that start in `row`, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)


@dataclass(frozen=True)
class PipelineError:
    """A failure kept as data; `error` is a stable class name users can group by."""

    stage: str
    error: str
    message: str
    page: int | None = None


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]  # body text outside tables, in reading order
    tables: tuple[Table, ...]  # ruled tables found on this page, before joining across pages
    method: Method
    chars: int
    ocr_reason: str
    ocr_confidence: float | None = None
    seconds: float = 0.0
    error: PipelineError | None = None
    # Set while an OCR page's boxes are on its levelled image; None once they are on the page.
    straighten: Straighten | None = None
    # Degrees the page (as displayed) was turned clockwise to be read; its boxes are on the page
    # turned so (a scan fed in sideways or upside down).
    rotation: int = 0
    notes: tuple[str, ...] = ()  # what reading the page did that a reader should know (a seal masked)


@dataclass(frozen=True)
class Document:
    """What extraction knows about one PDF: its pages and the tables joined across pages."""

    pages: tuple[Page, ...]
    tables: tuple[Table, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    errors: tuple[PipelineError, ...] = ()


@dataclass(frozen=True)
class Opening:
    """A file's pages read in turn, up to the first page that needs OCR where the caller asked to
    stop (or to the end): what a worker reads of a large scanned file before it hands the rest
    on as chunks of pages."""

    pages: tuple[Page, ...]  # pages [0, len(pages))
    sizes: tuple[tuple[float, float], ...]  # of every page of the file (width, height)
    metadata: dict[str, str]

    @property
    def complete(self) -> bool:
        return len(self.pages) == len(self.sizes)


StopAt = Callable[[int, int], bool]  # (0-based page index, page count) → stop there if it needs OCR


def never_stop(index: int, count: int) -> bool:
    return False


@dataclass(frozen=True)
class Section:
    ordinal: int
    level: int
    number: str
    heading: str
    kind: str | None
    text: str
    page_start: int
    page_end: int


@dataclass(frozen=True)
class Paragraph:
    """Body text between headings, with the page it starts on (prose figures cite it)."""

    text: str
    page: int
    section_ordinal: int | None
    topic: str | None = None  # the kind of the enclosing level-1 section


@dataclass(frozen=True)
class Outline:
    title: str | None
    title_page: int | None
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    closing_lines: tuple[str, ...]  # the last lines of the body, where a signature and date sit
    preamble_lines: tuple[str, ...]  # lines above the title (metadata blocks)
    opening_lines: tuple[str, ...] = ()  # the first lines of the body (a metadata line if no title)
    # the least OCR confidence of the title's words, and of each closing line's (1.0: a text layer)
    title_confidence: float = 1.0
    closing_confidences: tuple[float, ...] = ()


@dataclass(frozen=True)
class Fact:
    table: str
    row: str | None
    col: str | None
    row_label: str
    col_label: str
    value: float | None
    raw: str
    unit: str | None
    page: int
    method: Method
    confidence: float
    bbox: BBox | None = None
    source: str | None = None  # the sentence a prose figure came from
    alternatives: tuple[str, ...] = ()  # other OCR readings of `raw`, most likely first
    flags: tuple[str, ...] = ()  # why the figure is doubtful (core/config.FLAGS), in the order found

    def flagged(self, *flags: str) -> Fact:
        """This fact with `flags` added (each once)."""
        if not flags:
            return self
        return replace(self, flags=tuple(dict.fromkeys((*self.flags, *flags))))


@dataclass(frozen=True)
class Check:
    table: str
    check: str
    expected: float
    actual: float
    passed: bool
    cells: tuple[tuple[str, str], ...] = ()  # (row, col) keys involved


@dataclass(frozen=True)
class ReportMeta:
    title: str | None
    office: str | None
    year: int | None
    published: date | None
    format: str
    # where each was read: title, signature, metadata, body, file_name, period, closing
    office_source: str | None = None
    year_source: str | None = None
    published_source: str | None = None


@dataclass(frozen=True)
class Coverage:
    """How much of what a report must print was read: cells of the tables its format requires
    (t2/t3/t4; a pre-2019 统计表 it announces), how many have a fact, how many of those are doubtful."""

    expected: int
    found: int
    flagged: int

    @property
    def complete(self) -> bool:
        return self.found == self.expected and not self.flagged


@dataclass(frozen=True)
class SourceFile:
    report_id: str
    path: str  # relative to the ingested folder
    size: int
    mtime: float


@dataclass(frozen=True)
class PageRecord:
    page: int
    method: Method
    chars: int
    ocr_reason: str
    ocr_confidence: float | None
    seconds: float
    tables: int
    rotation: int = 0  # degrees the page was turned clockwise to be read
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportResult:
    """Everything one PDF contributes to the dataset; what the writer turns into rows."""

    source: SourceFile
    status: Status
    meta: ReportMeta | None
    pages: tuple[PageRecord, ...]
    facts: tuple[Fact, ...]
    sections: tuple[Section, ...]
    checks: tuple[Check, ...]
    errors: tuple[PipelineError, ...]
    seconds: float
    finished_at: datetime
    coverage: Coverage | None = None  # None for a failed report


@dataclass(frozen=True)
class PathStat:
    """One path of an input file as found on disk: what the cheap unchanged-file check compares."""

    path: str  # relative to the ingested folder
    size: int
    mtime_us: int  # st_mtime_ns // 1000, so that it round-trips exactly through timestamp[us]
