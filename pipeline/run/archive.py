"""A run over an archive, top to bottom:

    lock → recover (finish or undo half commits, publish leftovers, mark killed runs)
         → inventory (new, changed, copied, gone)  → workers (local or Dask, killable;
           large scanned files in chunks of pages, assembled here)
         → batches (new reports live, replacements staged) → publish → runs row → summary

Every step that changes the dataset is a journaled commit (journal.py), so the run can be
killed at any instant; the next run starts by completing what was committed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pipeline.core.config import VERSION, ReadOptions, RunOptions
from pipeline.core.model import ReportResult, SourceFile
from pipeline.process import Split, SplitPolicy, failed_result
from pipeline.run.batches import BatchWriter
from pipeline.run.inventory import (
    FileTask,
    Plan,
    Policy,
    hash_files,
    known_reports,
    needs_hashing,
    plan_run,
    scan_folder,
)
from pipeline.run.log import (
    Event,
    EventSink,
    RunSummary,
    finished,
    ignore,
    mark_interrupted,
    record_run,
    write_summary,
)
from pipeline.run.preflight import CannotRun, check_options
from pipeline.run.units import run_unit, run_units
from pipeline.run.workers import Limits, LocalPool
from pipeline.store.derived import refresh_cross_year_checks
from pipeline.store.files import UnsafeDataset, Unwritable, reason_of
from pipeline.store.journal import Step, no_step
from pipeline.store.lock import LockBusy, hold
from pipeline.store.parts import ensure_tables, new_run_id, read_table, recover
from pipeline.store.publish import publish_pending

WORKER_PRELOAD = ("pipeline.run.units",)  # imported by each worker before it takes a file


def split_policy(run: RunOptions) -> SplitPolicy:
    return SplitPolicy(run.split_pages, run.chunk_pages)


def worker_limits(run: RunOptions) -> Limits:
    memory = run.max_memory_mb * 2**20 if run.max_memory_mb else None
    return Limits(run.timeout_per_file, memory)


ReportWriter = Callable[[Path, Path], Path]  # (dataset, html file) → the file written


def run_archive(
    src: Path,
    out: Path,
    options: ReadOptions,
    run: RunOptions,
    on_event: EventSink | None = None,
    on_step: Step | None = None,
    draw_report: ReportWriter | None = None,
) -> RunSummary | LockBusy | CannotRun:
    """Bring the dataset in `out` up to date with the files under `src`; one writer at a time.

    `on_step` is called at every step of every commit (tests kill the process there);
    `draw_report` writes the HTML run report to `run.report_path` before the lock is let go
    (the views are above the runner: the caller hands it over).
    """
    refused = check_options(options, run)
    if refused is not None:
        return refused
    run_id = new_run_id()
    with hold(out, run_id, run.wait_lock) as held:
        if isinstance(held, LockBusy):
            return held
        if isinstance(held, Unwritable):
            return CannotRun(held.message)
        return _locked_run(
            src, out, options, run, run_id, on_event or ignore, on_step or no_step, draw_report
        )


def _locked_run(
    src: Path,
    out: Path,
    options: ReadOptions,
    run: RunOptions,
    run_id: str,
    on_event: EventSink,
    on_step: Step,
    draw_report: ReportWriter | None,
) -> RunSummary | CannotRun:
    summary = RunSummary(
        run_id, "running", datetime.now(UTC), None, VERSION, run.executor, run.cores, str(src)
    )
    extra: dict[str, object] = {}
    try:
        _prepare(out, run_id, on_event, on_step)
        part: str | None = record_run(out, summary, None, on_step)
    except OSError as exc:  # not started: nothing to record, and nothing recordable
        return CannotRun(Unwritable(out, reason_of(exc)).message)
    except UnsafeDataset as exc:  # a crafted or damaged journal: nothing of it is done
        return CannotRun(Unwritable(out, str(exc)).message)
    try:
        on_event(
            Event("run_start", {"run_id": run_id, "source": str(src), "out": str(out), "workers": run.cores})
        )
        summary = _update(src, out, options, run, summary, on_event, on_step)
        if summary.processed or summary.removed:
            extra["cross_year_checks"] = refresh_cross_year_checks(out, run_id, on_step)
        part = record_run(out, summary, part, on_step)
        if run.compact:
            from pipeline.store.compact import compact

            extra["compaction"] = compact(
                out, run.compact, run.compact_target_mb * 2**20, f"{run_id}-c", on_step
            )
            on_event(Event("compacted", {"tables": extra["compaction"]}))
    except Exception as exc:  # the run itself failed (disk full, dataset unreadable): recorded, then told
        summary = finished(summary, "error", f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(Exception):  # as far as the disk lets us
            record_run(out, summary, part, on_step)
    if run.report_path is not None and draw_report is not None:
        extra["report"] = _write_report(draw_report, out, run.report_path, on_event)
    with contextlib.suppress(OSError):
        write_summary(run.summary_path or out / "_runs" / f"{run_id}.json", summary, extra)
    on_event(
        Event("run_end", {"run_id": run_id, "outcome": summary.outcome, "seconds": round(summary.seconds, 3)})
    )
    return summary


def _write_report(draw_report: ReportWriter, out: Path, path: Path, on_event: EventSink) -> str | None:
    """The HTML run report; a failure to draw it is told, not fatal to the run."""
    try:
        return str(draw_report(out, path))
    except Exception as exc:  # the data is committed; only the picture of it failed
        on_event(Event("report_failed", {"error": f"{type(exc).__name__}: {exc}"}))
        return None


def _prepare(out: Path, run_id: str, on_event: EventSink, on_step: Step) -> None:
    """Leave the dataset as a completed run would: finish or undo half commits, publish leftovers."""
    done = recover(out)
    ensure_tables(out, on_step)
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
    src: Path,
    out: Path,
    options: ReadOptions,
    run: RunOptions,
    summary: RunSummary,
    on_event: EventSink,
    on_step: Step,
) -> RunSummary:
    root, found = scan_folder(src)
    known = known_reports(read_table(out, "reports"))
    to_hash = needs_hashing(found, known)
    hashes = hash_files(root, to_hash, run.cores)
    plan = plan_run(found, known, hashes, Policy(VERSION, run.force, run.retry_failed))
    on_event(Event("inventory", _inventory_fields(plan)))

    writer = BatchWriter(out, summary.run_id, VERSION, run.batch_size, run.commit_seconds, on_step)
    writer.stage_plan(plan)
    for item in plan.unreadable:
        source = SourceFile("", item.stat.path, item.stat.size, item.stat.mtime_us / 1e6)
        result = failed_result(source, item.error, time.perf_counter())
        writer.add(result, (item.stat,), item.replaces)
        on_event(_file_event(result))
    writer.flush()
    for task, result in _execute(plan, root, options, run, on_event):
        if result.source.report_id != task.report_id:  # rewritten while we ran: next run's business
            on_event(Event("file_changed", {"path": task.primary.path, "expected": task.report_id}))
            continue
        if writer.add(result, task.paths, task.replaces):
            on_event(Event("batch", {"number": writer.tally.batches, "reports": writer.tally.reports}))
        on_event(_file_event(result))
    writer.flush()
    published = publish_pending(out, f"{summary.run_id}-p1", on_step)
    if published:
        on_event(Event("published", published.__dict__))

    t = writer.tally
    processed_paths = sum(len(task.paths) for task in plan.tasks)
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
    plan: Plan, root: Path, options: ReadOptions, run: RunOptions, on_event: EventSink
) -> Iterator[tuple[FileTask, ReportResult]]:
    """Each task's result, in completion order, on the chosen executor; never raises per file.

    Large scanned files come back from their worker split: their pages are spread over the same
    pool in chunks, and the file's result comes out once all are in (units.py)."""
    if not plan.tasks:
        return
    work = partial(run_unit, root=str(root), options=options, policy=split_policy(run))
    if run.executor == "dask":
        from pipeline.run.dask_pool import DaskPool

        pool: LocalPool | DaskPool = DaskPool(run.scheduler, run.cores, worker_limits(run), WORKER_PRELOAD)
    else:
        pool = LocalPool(run.cores, worker_limits(run), WORKER_PRELOAD)  # workers start as work comes

    def told(task: FileTask, split: Split, chunks: int) -> None:
        on_event(_split_event(task, split, chunks))

    with pool:
        yield from run_units(pool, work, plan.tasks, run.chunk_pages, told)


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


def _split_event(task: FileTask, split: Split, chunks: int) -> Event:
    return Event(
        "split",
        {
            "path": task.primary.path,
            "report_id": task.report_id,
            "pages": len(split.opening.sizes),
            "read": len(split.opening.pages),
            "chunks": chunks,
        },
    )


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
