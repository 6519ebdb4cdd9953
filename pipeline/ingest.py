"""The pipeline, top to bottom: one PDF → `ReportResult`; a folder → the Parquet dataset.

    extract (text layer, OCR where needed) → segment → fields + facts → checks → rows → write

`process_file` never raises: whatever goes wrong becomes an error row and a `failed` or
`partial` status, so a batch always completes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .analyze import analyze
from .extract import ExtractOptions, pdf_to_document
from .model import PipelineError, ReportResult, SourceFile, Status
from .schema import Row, result_to_rows
from .store import new_batch_id, new_run_id, recover, write_batch

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class IngestOptions:
    ocr: str = "auto"
    password: str | None = None
    batch_size: int = 50
    ocr_timeout: float = 120.0  # seconds per OCR page; a slower page is dropped with an error


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    files: int
    ok: int
    partial: int
    failed: int
    skipped: int
    pages: int
    facts: int
    checks_failed: int
    seconds: float


def find_pdfs(src: Path) -> list[Path]:
    """Every *.pdf under `src` (any case), in a stable order; `src` may be a single file."""
    if src.is_file():
        return [src]
    return sorted(p for p in src.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def process_file(path: Path, root: Path, options: IngestOptions) -> ReportResult:
    """One PDF → everything it contributes to the dataset. Never raises."""
    start = time.perf_counter()
    rel = str(path.relative_to(root)) if path != root else path.name
    stat = path.stat()
    source = SourceFile("", rel, stat.st_size, stat.st_mtime)
    try:
        source = SourceFile(file_sha256(path), rel, stat.st_size, stat.st_mtime)
        problem = sniff(path)
        if problem:
            return _failed(source, problem, start)
        doc = pdf_to_document(
            str(path),
            ExtractOptions(password=options.password, ocr=options.ocr, ocr_timeout=options.ocr_timeout),
        )
        if isinstance(doc, PipelineError):
            return _failed(source, doc, start)
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
            time.perf_counter() - start,
            datetime.now(UTC),
        )
    except Exception as exc:  # the boundary: a bug on one file must not stop the batch
        return _failed(
            source, PipelineError("pipeline", "internal_error", f"{type(exc).__name__}: {exc}"), start
        )


def _failed(source: SourceFile, error: PipelineError, start: float) -> ReportResult:
    return ReportResult(
        source, "failed", None, (), (), (), (), (error,), time.perf_counter() - start, datetime.now(UTC)
    )


def _batches(items: list[Path], size: int) -> Iterator[list[Path]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def ingest(
    src: Path,
    out: Path,
    options: IngestOptions,
    on_result: Callable[[ReportResult], None] | None = None,
) -> RunSummary:
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    run_id = new_run_id()
    root = src if src.is_dir() else src.parent
    files = find_pdfs(src)
    tally = {"ok": 0, "partial": 0, "failed": 0, "pages": 0, "facts": 0, "checks_failed": 0}
    for number, batch in enumerate(_batches(files, options.batch_size)):
        rows: dict[str, list[Row]] = {}
        for path in batch:
            result = process_file(path, root, options)
            for name, table_rows in result_to_rows(result, __version__, run_id).items():
                rows.setdefault(name, []).extend(table_rows)
            tally[result.status] += 1
            tally["pages"] += len(result.pages)
            tally["facts"] += len(result.facts)
            tally["checks_failed"] += sum(1 for c in result.checks if not c.passed)
            if on_result:
                on_result(result)
        write_batch(out, new_batch_id(run_id, number), rows)
    return RunSummary(
        run_id,
        len(files),
        tally["ok"],
        tally["partial"],
        tally["failed"],
        0,
        tally["pages"],
        tally["facts"],
        tally["checks_failed"],
        time.perf_counter() - start,
    )
