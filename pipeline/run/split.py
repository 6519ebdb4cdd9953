"""Large scanned files read as chunks of pages by the run's workers, assembled in the parent.

A scanned report costs seconds of OCR per page, so read whole it keeps one worker busy for
minutes while others idle. In a run, the job of a file is `read_or_split`: it reads the file
as `process_file` does (identity, refusals, pages in turn), but in a file of more than
`SplitPolicy.pages` pages it stops at the first page that needs OCR — while more than one chunk
of pages would be left — and hands back what it has (`Split`: the hash, the pages before it,
every page's size, the metadata). The parent cuts the rest into `Chunk`s, which any worker of
the same pool reads (`read_chunk`: `extract.read_pages`, each page by its own text-or-OCR
decision) under the same time and memory limits. When every chunk is in, `assemble` builds the
report exactly as `process_file` would (`pages_to_document` + `analyze`); a chunk whose worker
was killed loses only its pages: they become failed pages with the worker's reason as their
error, and the report is `partial`.

The split is decided in the worker, not in the parent: the worker reads the pages up to the
first OCR page anyway, so the decision costs nothing and uses the real per-page decision
(decide.py); and the parent never parses an untrusted PDF itself (a page of `tests/hostile.py`'s
parser loop takes PDFium 2 s just to load, and no limit could stop the parent).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.model import Page, PipelineError, ReportResult, SourceFile
from pipeline.extract.document import Opening, failed_page, pages_to_document, read_opening, read_pages
from pipeline.process import (
    IngestOptions,
    document_result,
    extract_options,
    failed_result,
    internal_error,
    read_checked,
)
from pipeline.run.inventory import FileTask
from pipeline.run.workers import Failed


@dataclass(frozen=True)
class SplitPolicy:
    """Which files are split, and how (--split-pages, --chunk-pages)."""

    pages: int = 4  # split files of more than this many pages; 0: never
    chunk: int = 1  # pages per chunk

    def stops_at(self, index: int, count: int) -> bool:
        """Should a worker stop before page `index` (0-based) of `count`, if that page needs OCR?
        Only in a large file, and only while more than one chunk would be left to spread."""
        return 0 < self.pages < count and count - index > max(1, self.chunk)


@dataclass(frozen=True)
class Split:
    """A file the worker stopped reading: the rest of its pages go out as chunks."""

    source: SourceFile  # identified (sha256) and past the refusals
    opening: Opening  # the pages read, every page's size, the metadata
    seconds: float  # the worker's time on it so far


@dataclass(frozen=True)
class Chunk:
    """Pages [start, stop) (0-based) of a split file: a work unit like a whole file."""

    task: FileTask
    start: int
    stop: int


Unit = FileTask | Chunk
UnitResult = ReportResult | Split | list[Page]


def run_unit(unit: Unit, root: str, options: IngestOptions, policy: SplitPolicy) -> UnitResult:
    """What a worker runs: a whole file (or its opening, if it splits), or a chunk of pages."""
    if isinstance(unit, Chunk):
        return read_chunk(unit, Path(root), options)
    return read_or_split(unit, Path(root), options, policy)


def read_or_split(
    task: FileTask, root: Path, options: IngestOptions, policy: SplitPolicy
) -> ReportResult | Split:
    """The report of one file, as `process_file` gives it, or a `Split` of a large scanned one."""

    def opening(source: SourceFile, start: float) -> ReportResult | Split:
        read = read_opening(str(root / task.primary.path), extract_options(options), policy.stops_at)
        if isinstance(read, PipelineError):
            return failed_result(source, read, start)
        if not read.complete:
            return Split(source, read, time.perf_counter() - start)
        doc = pages_to_document(list(read.pages), read.metadata)
        return document_result(source, doc, time.perf_counter() - start)

    return read_checked(root / task.primary.path, root, options, opening)


def read_chunk(chunk: Chunk, root: Path, options: IngestOptions) -> list[Page]:
    return read_pages(str(root / chunk.task.primary.path), extract_options(options), chunk.start, chunk.stop)


def chunks_of(task: FileTask, split: Split, size: int) -> tuple[Chunk, ...]:
    """The pages the worker left unread, in chunks of `size`."""
    count, step = len(split.opening.sizes), max(1, size)
    first = len(split.opening.pages)
    return tuple(Chunk(task, start, min(start + step, count)) for start in range(first, count, step))


Part = list[Page] | Failed  # a chunk's pages, or why its worker gave none


def assemble(split: Split, parts: Sequence[tuple[Chunk, Part]], seconds: float) -> ReportResult:
    """The report of a split file once every chunk is in: what `process_file` gives, except that
    the pages of a chunk whose worker failed are failed pages. Never raises.

    `seconds` is the workers' time on the chunks; the report's `seconds` adds the opening's and
    the assembly's. If no page at all could be read, the report fails with the worker's reason.
    """
    start = time.perf_counter()
    try:
        in_order = sorted(parts, key=lambda part: part[0].start)
        failures = [part for _, part in in_order if isinstance(part, Failed)]
        if in_order and len(failures) == len(in_order) and not split.opening.pages:
            first = failures[0]
            message = f"no page could be read; the first chunk's worker: {first.message}"
            began = start - split.seconds - seconds  # the report's time: all its workers' time
            return failed_result(split.source, PipelineError("worker", first.reason, message), began)
        pages = list(split.opening.pages)
        for chunk, part in in_order:
            pages += lost_pages(chunk, split.opening, part) if isinstance(part, Failed) else part
        doc = pages_to_document(pages, split.opening.metadata)
        return document_result(split.source, doc, split.seconds + seconds + time.perf_counter() - start)
    except Exception as exc:  # the boundary, as in process_file: a bug fails this report only
        return internal_error(split.source, exc, start)


def lost_pages(chunk: Chunk, opening: Opening, failed: Failed) -> list[Page]:
    """Stand-ins for the pages of a chunk whose worker gave no result (killed, crashed)."""
    return [
        failed_page(i + 1, opening.sizes[i], _worker_error(failed, i + 1))
        for i in range(chunk.start, chunk.stop)
    ]


def _worker_error(failed: Failed, page: int) -> PipelineError:
    return PipelineError("worker", failed.reason, f"page {page}: {failed.message}", page)
