"""The pipeline, top to bottom: one PDF → `ReportResult`; a folder → the Parquet dataset.

    extract (text layer, OCR where needed) → segment → fields + facts → checks → rows → write

`process_file` never raises: whatever goes wrong becomes an error row and a `failed` or
`partial` status, so a batch always completes. Its parts serve the archive runner too, which
reads large scanned files in chunks of pages over its workers (split.py); `ingest` runs a whole
folder (run.py: incremental, parallel, crash-safe; see docs/batch.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline.analyze import analyze
from pipeline.core.model import Document, PipelineError, ReportResult, SourceFile, Status
from pipeline.extract.document import ExtractOptions, pdf_to_document
from pipeline.extract.guard import precheck
from pipeline.extract.pagemap import PageMap
from pipeline.run.inventory import file_sha256

if TYPE_CHECKING:
    from pipeline.run.archive import RunOptions
    from pipeline.run.log import EventSink, RunSummary
    from pipeline.store.journal import Step
    from pipeline.store.lock import LockBusy

PDF_MAGIC = b"%PDF-"
T = TypeVar("T")


@dataclass(frozen=True)
class IngestOptions:
    """How one file is read (sent to the workers with each file)."""

    ocr: str = "auto"
    password: str | None = None
    ocr_timeout: float = 120.0  # seconds per OCR page; a slower page is dropped with an error
    max_pages: int = 1000
    max_image_pixels: int = 150_000_000


def find_pdfs(src: Path) -> list[Path]:
    """Every *.pdf under `src` (any case), in a stable order; `src` may be a single file."""
    if src.is_file():
        return [src]
    return sorted(p for p in src.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def sniff(path: Path) -> PipelineError | None:
    """Reject what is not a PDF before a parser sees it."""
    size = path.stat().st_size
    if size == 0:
        return PipelineError("open", "empty_file", "the file is empty (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        return PipelineError(
            "open", "not_a_pdf", f"no PDF header in the first 1024 bytes (starts with {head[:8]!r})"
        )
    return None


def _status(errors: list[PipelineError], failed: bool) -> Status:
    if failed:
        return "failed"
    return "partial" if errors else "ok"


def process_file(
    path: Path, root: Path, options: IngestOptions, page_map: PageMap | None = None
) -> ReportResult:
    """One PDF → everything it contributes to the dataset. Never raises.

    `page_map` spreads the per-page work (see pagemap.py); by default pages are read in turn.
    """

    def whole(source: SourceFile, start: float) -> ReportResult:
        doc = pdf_to_document(str(path), extract_options(options), page_map)
        if isinstance(doc, PipelineError):
            return failed_result(source, doc, start)
        return document_result(source, doc, time.perf_counter() - start)

    return read_checked(path, root, options, whole)


def read_checked(
    path: Path, root: Path, options: IngestOptions, read: Callable[[SourceFile, float], T]
) -> T | ReportResult:
    """Identify `path` (stat, sha256), refuse what is not a PDF or far too large (`sniff`,
    `guard.precheck`), then `read(source, start)` it. Never raises: a refusal, an unreadable file
    or a bug becomes a `failed` report."""
    start = time.perf_counter()
    rel = str(path.relative_to(root)) if path != root else path.name
    source = SourceFile("", rel, 0, 0.0)
    try:
        stat = path.stat()
        source = SourceFile("", rel, stat.st_size, stat.st_mtime)
        source = SourceFile(file_sha256(path), rel, stat.st_size, stat.st_mtime)
        problem = sniff(path) or precheck(
            str(path), options.password, options.max_pages, options.max_image_pixels
        )
        if problem:
            return failed_result(source, problem, start)
        return read(source, start)
    except OSError as exc:  # vanished or unreadable between listing and reading
        return failed_result(
            source, PipelineError("open", "unreadable_file", f"cannot read the file: {exc}"), start
        )
    except Exception as exc:  # the boundary: a bug on one file must not stop the batch
        return internal_error(source, exc, start)


def extract_options(options: IngestOptions) -> ExtractOptions:
    return ExtractOptions(password=options.password, ocr=options.ocr, ocr_timeout=options.ocr_timeout)


def document_result(source: SourceFile, doc: Document, seconds: float) -> ReportResult:
    """An extracted Document → the report's rows (analysis, status)."""
    found = analyze(doc)
    return ReportResult(
        source,
        _status(list(found.errors), failed=not doc.pages),
        found.meta,
        found.pages,
        found.facts,
        found.sections,
        found.checks,
        found.errors,
        seconds,
        datetime.now(UTC),
    )


def internal_error(source: SourceFile, exc: Exception, start: float) -> ReportResult:
    return failed_result(
        source, PipelineError("pipeline", "internal_error", f"{type(exc).__name__}: {exc}"), start
    )


def failed_result(source: SourceFile, error: PipelineError, start: float) -> ReportResult:
    return ReportResult(
        source, "failed", None, (), (), (), (), (error,), time.perf_counter() - start, datetime.now(UTC)
    )


def ingest(
    src: Path,
    out: Path,
    options: IngestOptions = IngestOptions(),
    run: RunOptions | None = None,
    on_event: EventSink | None = None,
    on_step: Step | None = None,
) -> RunSummary | LockBusy:
    """Bring the dataset in `out` up to date with the PDFs under `src` (see run.py)."""
    # Imported here: the archive machinery (pyarrow, pandas) would triple a worker's start-up.
    from pipeline.run.archive import RunOptions, run_archive

    return run_archive(src, out, options, run or RunOptions(), on_event, on_step)
