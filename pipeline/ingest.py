"""The pipeline, top to bottom: one PDF → `ReportResult`; a folder → the Parquet dataset.

    extract (text layer, OCR where needed) → segment → fields + facts → checks → rows → write

`process_file` never raises: whatever goes wrong becomes an error row and a `failed` or
`partial` status, so a batch always completes. `ingest` runs it over a folder:

    lock → recover → inventory (what is new, changed, gone) → workers → batches → publish → runs row

See docs/batch.md for the run's guarantees (incremental, parallel, crash-safe).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from . import __version__
from .analyze import analyze
from .batches import BatchWriter
from .extract import ExtractOptions, pdf_to_document
from .guard import precheck
from .inventory import (
    FileTask,
    Plan,
    Policy,
    file_sha256,
    hash_files,
    known_reports,
    needs_hashing,
    plan_run,
    scan_folder,
)
from .model import PipelineError, ReportResult, SourceFile, Status
from .pagemap import PageMap
from .publish import publish_pending
from .runlock import LockBusy, hold
from .runlog import (
    Event,
    EventSink,
    RunSummary,
    finished,
    ignore,
    mark_interrupted,
    record_run,
    write_summary,
)
from .store import ensure_tables, new_run_id, read_table, recover
from .workers import Done, Failed, Limits, LocalPool

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class IngestOptions:
    """How one file is read (sent to the workers with each file)."""

    ocr: str = "auto"
    password: str | None = None
    max_pages: int = 1000
    max_image_pixels: int = 150_000_000


@dataclass(frozen=True)
class RunOptions:
    """How a folder is run: what to redo, where, in which batches, within which limits."""

    workers: int = 0  # 0: every core
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    timeout_per_file: float | None = 600.0
    max_memory_mb: int | None = 1536
    batch_size: int = 50
    commit_seconds: float = 60.0
    force: bool = False
    retry_failed: bool = False
    wait_lock: float = 0.0
    compact: str | None = None  # None | year | size
    compact_target_mb: int = 128
    summary_path: Path | None = None  # default: DST/_runs/<run_id>.json

    @property
    def cores(self) -> int:
        return self.workers or len(os.sched_getaffinity(0))

    @property
    def limits(self) -> Limits:
        memory = self.max_memory_mb * 2**20 if self.max_memory_mb else None
        return Limits(self.timeout_per_file, memory)


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
            return _failed(source, problem, start)
        doc = pdf_to_document(str(path), ExtractOptions(password=options.password, ocr=options.ocr), page_map)
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
    except OSError as exc:  # vanished or unreadable between listing and reading
        return _failed(
            source, PipelineError("open", "unreadable_file", f"cannot read the file: {exc}"), start
        )
    except Exception as exc:  # the boundary: a bug on one file must not stop the batch
        return _failed(
            source, PipelineError("pipeline", "internal_error", f"{type(exc).__name__}: {exc}"), start
        )


def _failed(source: SourceFile, error: PipelineError, start: float) -> ReportResult:
    return ReportResult(
        source, "failed", None, (), (), (), (), (error,), time.perf_counter() - start, datetime.now(UTC)
    )


def run_task(task: FileTask, root: str, options: IngestOptions) -> ReportResult:
    """The unit of work sent to a worker: one distinct report, read from its first path."""
    return process_file(Path(root) / task.primary.path, Path(root), options)


def ingest(
    src: Path,
    out: Path,
    options: IngestOptions = IngestOptions(),
    run: RunOptions = RunOptions(),
    on_event: EventSink = ignore,
) -> RunSummary | LockBusy:
    """Bring the dataset in `out` up to date with the PDFs under `src`; one writer at a time."""
    run_id = new_run_id()
    with hold(out, run_id, run.wait_lock) as busy:
        if busy is not None:
            return busy
        return _locked_run(src, out, options, run, run_id, on_event)


def _locked_run(
    src: Path, out: Path, options: IngestOptions, run: RunOptions, run_id: str, on_event: EventSink
) -> RunSummary:
    summary = RunSummary(
        run_id, "running", datetime.now(UTC), None, __version__, run.executor, run.cores, str(src)
    )
    _prepare(out, run_id, on_event)
    part = record_run(out, summary, None)
    on_event(
        Event("run_start", {"run_id": run_id, "source": str(src), "out": str(out), "workers": run.cores})
    )
    try:
        summary = _update(src, out, options, run, summary, on_event)
    except (
        Exception
    ) as exc:  # a failure of the run itself (disk full, dataset unreadable): recorded, then told
        summary = finished(summary, "error", f"{type(exc).__name__}: {exc}")
    part = record_run(out, summary, part)
    extra = {}
    if run.compact and summary.outcome != "error":
        from .compact import compact

        done = compact(out, run.compact, run.compact_target_mb * 2**20, f"{run_id}-c")
        extra["compaction"] = done
        on_event(Event("compacted", {"tables": done}))
    ensure_tables(out, f"{run_id}-empty")
    write_summary(run.summary_path or out / "_runs" / f"{run_id}.json", summary, extra)
    on_event(
        Event("run_end", {"run_id": run_id, "outcome": summary.outcome, "seconds": round(summary.seconds, 3)})
    )
    return summary


def _prepare(out: Path, run_id: str, on_event: EventSink) -> None:
    """Leave the dataset as a completed run would: finish or undo half commits, publish leftovers."""
    done = recover(out)
    published = publish_pending(out, f"{run_id}-p0")
    interrupted = mark_interrupted(out, run_id)
    if done or published or interrupted:
        on_event(
            Event(
                "recovered",
                {"actions": done, "published": published and published.__dict__, "interrupted": interrupted},
            )
        )


def _update(
    src: Path, out: Path, options: IngestOptions, run: RunOptions, summary: RunSummary, on_event: EventSink
) -> RunSummary:
    root, found = scan_folder(src)
    known = known_reports(read_table(out, "reports"))
    to_hash = needs_hashing(found, known)
    hashes = hash_files(root, to_hash, run.cores)
    plan = plan_run(found, known, hashes, Policy(__version__, run.force, run.retry_failed))
    on_event(Event("inventory", _inventory_fields(plan)))

    writer = BatchWriter(out, summary.run_id, __version__, run.batch_size, run.commit_seconds)
    writer.stage_plan(plan)
    for item in plan.unreadable:
        source = SourceFile("", item.stat.path, item.stat.size, item.stat.mtime_us / 1e6)
        result = _failed(source, item.error, time.perf_counter())
        writer.add(result, (item.stat,), item.replaces)
        on_event(_file_event(result))
    writer.flush()
    for task, result in _execute(plan, root, options, run):
        if result.source.report_id != task.report_id:  # rewritten while we ran: next run's business
            on_event(Event("file_changed", {"path": task.primary.path, "expected": task.report_id}))
            continue
        if writer.add(result, task.paths, task.replaces):
            on_event(Event("batch", {"number": writer.tally.batches, "reports": writer.tally.reports}))
        on_event(_file_event(result))
    writer.flush()
    published = publish_pending(out, f"{summary.run_id}-p1")
    if published:
        on_event(Event("published", published.__dict__))

    t = writer.tally
    missing = set(plan.missing)
    processed_paths = sum(1 for task in plan.tasks for p in task.paths if p.path not in missing)
    ended = replace(
        summary,
        files=plan.found,
        unchanged=plan.unchanged,
        hashed=plan.hashed,
        processed=t.reports,
        ok=t.ok,
        partial=t.partial,
        failed=t.failed,
        skipped=plan.found - processed_paths - len(plan.unreadable),
        path_updates=len(plan.updates),
        removed=len(plan.deletes),
        missing=len(plan.missing),
        pages=t.pages,
        facts=t.facts,
        checks_failed=t.checks_failed,
        batches=t.batches,
        failures=tuple(t.failures),
        missing_paths=plan.missing,
    )
    return finished(ended, "some_failed" if t.failed else "ok")


def _execute(
    plan: Plan, root: Path, options: IngestOptions, run: RunOptions
) -> Iterator[tuple[FileTask, ReportResult]]:
    """Each task's result, in completion order, on the chosen executor; never raises per file."""
    if not plan.tasks:
        return
    work = partial(run_task, root=str(root), options=options)
    if run.executor == "dask":
        from .dask_executor import DaskPool

        pool: LocalPool | DaskPool = DaskPool(run.scheduler, run.cores, run.limits)
    else:
        pool = LocalPool(min(run.cores, len(plan.tasks)), run.limits)
    with pool:
        for task, outcome in pool.run(work, plan.tasks):
            yield task, _result_of(task, outcome)


def _result_of(task: FileTask, outcome: Done[ReportResult] | Failed) -> ReportResult:
    if isinstance(outcome, Done):
        return outcome.value
    source = SourceFile(task.report_id, task.primary.path, task.primary.size, task.primary.mtime_us / 1e6)
    failed = _failed(source, PipelineError("worker", outcome.reason, outcome.message), time.perf_counter())
    return replace(failed, seconds=outcome.seconds)


def _inventory_fields(plan: Plan) -> dict[str, object]:
    return {
        "found": plan.found,
        "unchanged": plan.unchanged,
        "hashed": plan.hashed,
        "to_process": len(plan.tasks),
        "unreadable": len(plan.unreadable),
        "path_updates": len(plan.updates),
        "deletes": len(plan.deletes),
        "missing": len(plan.missing),
    }


def _file_event(result: ReportResult) -> Event:
    error = result.errors[0] if result.errors else None
    return Event(
        "file",
        {
            "path": result.source.path,
            "report_id": result.source.report_id or None,
            "status": result.status,
            "error": error.error if error else None,
            "message": error.message if error else None,
            "pages": len(result.pages),
            "facts": len(result.facts),
            "seconds": round(result.seconds, 3),
        },
    )
