"""One file, top to bottom — the only place the per-file flow is written:

    identify (stat, sha256) → refuse (not readable, not a report, far too large)
      → pages (the reader: text layer or OCR per page)  → Document (tables joined across pages)
      → outline → facts → checks → fields               → ReportResult (the rows of the report)

`process_file` never raises: whatever goes wrong becomes an error row and a `failed` or
`partial` status. The archive runner (run/) and the Python API use the same functions: a large
scanned file is read up to its first OCR page (`open_report` gives a `Split`), its other pages
elsewhere in chunks (`read_page_range`), and `assemble` builds the report from the parts exactly
as a whole read would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.core.config import CHUNK_PAGES, SPLIT_PAGES, ReadOptions, stored_confidence
from pipeline.core.identity import file_sha256
from pipeline.core.model import (
    Document,
    Fact,
    Opening,
    Page,
    PageRecord,
    PipelineError,
    ReportResult,
    SourceFile,
    Status,
    StopAt,
    never_stop,
)
from pipeline.extract.document import pages_to_document, reader_for
from pipeline.facts.checks import apply_checks, facts_to_checks
from pipeline.facts.completeness import completeness
from pipeline.facts.formats import detect_format
from pipeline.facts.prose import paragraphs_to_facts
from pipeline.facts.reconcile import reconciled
from pipeline.facts.tables import tables_to_facts
from pipeline.layout.page import failed_page
from pipeline.outline.meta import outline_to_meta
from pipeline.outline.segment import document_to_outline


@dataclass(frozen=True)
class SplitPolicy:
    """Which files have their pages spread over processes, and how (--split-pages, --chunk-pages)."""

    pages: int = SPLIT_PAGES  # split files of more than this many pages; 0: never
    chunk: int = CHUNK_PAGES  # pages per chunk

    def stops_at(self, index: int, count: int) -> bool:
        """Stop before page `index` (0-based) of `count`, if that page needs OCR? Only in a large
        file, and only while more than one chunk would be left to spread."""
        return 0 < self.pages < count and count - index > max(1, self.chunk)


@dataclass(frozen=True)
class Split:
    """A file read up to its first OCR page: the rest of its pages are read elsewhere."""

    path: Path
    source: SourceFile  # identified (sha256) and past the refusals
    opening: Opening  # the pages read, every page's size, the metadata
    seconds: float  # the time on it so far

    def page_ranges(self, size: int) -> tuple[tuple[int, int], ...]:
        """The pages left unread, [start, stop) 0-based, in chunks of `size`."""
        count, step = len(self.opening.sizes), max(1, size)
        return tuple(
            (start, min(start + step, count)) for start in range(len(self.opening.pages), count, step)
        )


PagesOrError = list[Page] | PipelineError  # a chunk's pages, or why they could not be read


def process_file(
    path: Path | str,
    root: Path | None = None,
    options: ReadOptions = ReadOptions(),
    pages_on: Executor | None = None,
    policy: SplitPolicy = SplitPolicy(pages=1),
) -> ReportResult:
    """One file → everything it contributes to the dataset. Never raises.

    With `pages_on` (any `concurrent.futures.Executor`: a process pool, a Dask client's
    executor), the OCR pages of a file of more than `policy.pages` pages are read there in
    chunks; the report is the one a read in turn gives.
    """
    path = Path(path)
    first = open_report(path, root or path.parent, options, policy.stops_at if pages_on else never_stop)
    if isinstance(first, ReportResult):
        return first
    assert pages_on is not None  # only a reader told where to stop gives a Split
    ranges = first.page_ranges(policy.chunk)
    futures = [pages_on.submit(read_page_range, path, options, start, stop) for start, stop in ranges]
    return assemble(first, [(r, _pages_of(f)) for r, f in zip(ranges, futures, strict=True)], 0.0)


def open_report(path: Path, root: Path, options: ReadOptions, stop_at: StopAt) -> ReportResult | Split:
    """Identify `path`, refuse what cannot be a report, then read its pages in turn up to the
    first page `i` that needs OCR with `stop_at(i, count)`: a `Split` if it stopped there, else
    the report. Never raises: a refusal, an unreadable file or a bug becomes a `failed` report."""
    start = time.perf_counter()
    rel = str(path.relative_to(root)) if path != root else path.name
    source = SourceFile("", rel, 0, 0.0)
    try:
        stat = path.stat()
        source = SourceFile("", rel, stat.st_size, stat.st_mtime)
        source = SourceFile(file_sha256(path), rel, stat.st_size, stat.st_mtime)
        reader = reader_for(path)
        if reader is None:
            return failed_result(source, _unsupported(path), start)
        problem = reader.refuse(path, options)
        if problem:
            return failed_result(source, problem, start)
        opening = reader.read_opening(path, options, stop_at)
        if isinstance(opening, PipelineError):
            return failed_result(source, opening, start)
        if not opening.complete:
            return Split(path, source, opening, time.perf_counter() - start)
        doc = pages_to_document(list(opening.pages), opening.metadata)
        return document_result(source, doc, time.perf_counter() - start)
    except OSError as exc:  # vanished or unreadable between listing and reading
        error = PipelineError("open", "unreadable_file", f"cannot read the file: {exc}")
        return failed_result(source, error, start)
    except Exception as exc:  # the boundary: a bug on one file must not stop the batch
        return internal_error(source, exc, start)


def read_page_range(path: Path, options: ReadOptions, start: int, stop: int) -> list[Page]:
    """Pages [start, stop) of a file (0-based), each by its own text-or-OCR decision."""
    reader = reader_for(path)
    if reader is None:
        return [failed_page(i + 1, (0.0, 0.0), _unsupported(path)) for i in range(start, stop)]
    return reader.read_pages(path, options, start, stop)


def assemble(
    split: Split, parts: Sequence[tuple[tuple[int, int], PagesOrError]], seconds: float
) -> ReportResult:
    """The report of a split file once every chunk is in: what a read in turn gives, except that
    the pages of a chunk that could not be read are failed pages with its error. Never raises.

    `seconds` is the time spent on the chunks; the report's `seconds` adds the opening's and the
    assembly's. If no page at all could be read, the report fails with the first chunk's error.
    """
    start = time.perf_counter()
    try:
        in_order = sorted(parts, key=lambda part: part[0][0])
        errors = [part for _, part in in_order if isinstance(part, PipelineError)]
        if in_order and len(errors) == len(in_order) and not split.opening.pages:
            first = errors[0]
            message = f"no page could be read; the first chunk's worker: {first.message}"
            error = PipelineError(first.stage, first.error, message)
            return failed_result(split.source, error, start - split.seconds - seconds)
        pages = list(split.opening.pages)
        for (begin, end), part in in_order:
            if isinstance(part, PipelineError):
                pages += [_lost_page(i, split.opening.sizes[i], part) for i in range(begin, end)]
            else:
                pages += part
        doc = pages_to_document(pages, split.opening.metadata)
        return document_result(split.source, doc, split.seconds + seconds + time.perf_counter() - start)
    except Exception as exc:  # the boundary, as in open_report: a bug fails this report only
        return internal_error(split.source, exc, start)


def document_result(source: SourceFile, doc: Document, seconds: float) -> ReportResult:
    """An extracted Document → the report's rows: outline, facts, checks, fields, completeness,
    status. Whatever is missing or doubtful is an error row, and the report `partial`."""
    outline = document_to_outline(doc)
    methods = {p.number: p.method for p in doc.pages}
    facts, kinds = tables_to_facts(doc.tables, methods)
    facts = reconciled(facts)  # OCR figures misread, read two ways or not at all: what the sums settle
    facts += paragraphs_to_facts(outline.paragraphs, methods)
    checks = facts_to_checks(facts)
    facts = [_stored(f) for f in apply_checks(facts, checks)]
    text = "\n".join(p.text for p in outline.paragraphs)
    fmt = detect_format(facts, kinds, bool(outline.paragraphs or outline.sections), text)
    meta, field_errors = outline_to_meta(outline, fmt, datetime.now(UTC).date(), source.path)
    coverage, shortfalls = completeness(fmt, facts, doc.tables, kinds, outline)
    errors = list(doc.errors)
    if doc.pages and not any(p.chars for p in doc.pages):
        errors.append(PipelineError("extract", "no_text", "no page yielded any text"))
    errors += field_errors + shortfalls
    pages = tuple(
        PageRecord(
            p.number,
            p.method,
            p.chars,
            p.ocr_reason,
            p.ocr_confidence,
            p.seconds,
            len(p.tables),
            p.rotation,
            p.notes,
        )
        for p in doc.pages
    )
    return ReportResult(
        source,
        report_status(errors, failed=not doc.pages),
        meta,
        pages,
        tuple(facts),
        outline.sections,
        tuple(checks),
        tuple(errors),
        seconds,
        datetime.now(UTC),
        coverage,
    )


def _stored(fact: Fact) -> Fact:
    confidence = stored_confidence(fact.confidence)
    return fact if confidence == fact.confidence else replace(fact, confidence=confidence)


def report_status(errors: Sequence[PipelineError], failed: bool) -> Status:
    if failed:
        return "failed"
    return "partial" if errors else "ok"


def internal_error(source: SourceFile, exc: Exception, start: float) -> ReportResult:
    return failed_result(
        source, PipelineError("pipeline", "internal_error", f"{type(exc).__name__}: {exc}"), start
    )


def failed_result(source: SourceFile, error: PipelineError, start: float) -> ReportResult:
    return ReportResult(
        source, "failed", None, (), (), (), (), (error,), time.perf_counter() - start, datetime.now(UTC)
    )


def _lost_page(index: int, size: tuple[float, float], error: PipelineError) -> Page:
    """A stand-in for a page whose chunk gave no result (its worker killed, crashed)."""
    return failed_page(
        index + 1,
        size,
        PipelineError(error.stage, error.error, f"page {index + 1}: {error.message}", index + 1),
    )


def _pages_of(future: Future[list[Page]]) -> PagesOrError:
    try:
        return future.result()
    except Exception as exc:  # the executor lost the task (a dead process): those pages fail
        return PipelineError("worker", "worker_crashed", f"{type(exc).__name__}: {exc}")


def _unsupported(path: Path) -> PipelineError:
    return PipelineError(
        "open", "unsupported_file", f"no reader for {path.suffix or 'a file without a suffix'}"
    )
