"""The middle of a run: the folder against the dataset, the work on the pool, the batches, the publish.

    inventory (new, changed, copied, gone) → workers (local or Dask, killable; large scanned
    files in chunks of pages, assembled here) → batches (new reports live, replacements
    staged) → publish

A file that cannot be read tonight, or that changes while it is read, never replaces rows an
earlier run committed (transient.py). A stop (SIGINT, SIGTERM: `stop.Stop`) ends it early but cleanly: the workers are killed, the
reports finished so far are committed, and the summary says `interrupted`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from pipeline.core.config import VERSION, ReadOptions, RunOptions
from pipeline.core.model import ReportResult, SourceFile
from pipeline.process import Split, SplitPolicy, failed_result
from pipeline.run.batches import BatchWriter, Tally
from pipeline.run.inventory import (
    FileTask,
    Plan,
    Policy,
    hash_files,
    known_reports,
    needs_hashing,
    plan_run,
)
from pipeline.run.listing import Listing, Skipped, scan_folder
from pipeline.run.log import Event, EventSink, RunSummary, finished
from pipeline.run.roots import Rooted
from pipeline.run.skipped_rows import record_skipped
from pipeline.run.stop import stop_message
from pipeline.run.transient import as_unhashed, changed_since_listed, file_changed, is_transient, not_read
from pipeline.run.units import run_unit, run_units
from pipeline.run.workers import Limits, LocalPool
from pipeline.store.journal import Step
from pipeline.store.parts import read_table
from pipeline.store.publish import publish_pending

WORKER_PRELOAD = ("pipeline.run.units",)  # imported by each worker before it takes a file


def split_policy(run: RunOptions) -> SplitPolicy:
    return SplitPolicy(run.split_pages, run.chunk_pages)


def worker_limits(run: RunOptions) -> Limits:
    memory = run.max_memory_mb * 2**20 if run.max_memory_mb else None
    return Limits(run.timeout_per_file or None, memory)  # 0, like None: no limit


def update_dataset(
    src: Path,
    out: Path,
    options: ReadOptions,
    run: RunOptions,
    summary: RunSummary,
    on_event: EventSink,
    on_step: Step,
    rooted: Rooted | None = None,
) -> RunSummary:
    """Bring the dataset up to date with `src`; the summary of what was done (`ok`,
    `some_failed`, or `interrupted` by a stop). `rooted`: the dataset's root and the part of
    its tree `src` is (roots.py); by default `src` is the root."""
    listing = rerooted(scan_folder(src), rooted)
    root = listing.root
    scope = rooted.scope if rooted else "."
    known = known_reports(read_table(out, "reports"))
    to_hash = needs_hashing(listing.found, known)
    hashes = hash_files(root, to_hash, run.cores)
    policy = Policy(VERSION, run.force, run.retry_failed)
    plan = plan_run(listing.found, known, hashes, policy, listing.unlisted, scope)
    on_event(Event("inventory", {**_inventory_fields(plan), "skipped_entries": len(listing.skipped)}))
    for entry in listing.skipped:
        on_event(Event("skipped", {"path": entry.path, "error": entry.error, "message": entry.message}))

    writer = BatchWriter(out, summary.run_id, VERSION, run.batch_size, run.commit_seconds, on_step)
    try:
        _write(plan, root, out, options, run, writer, summary.run_id, on_event, on_step)
        record_skipped(out, summary.run_id, listing.skipped, on_step)
    except KeyboardInterrupt as stop:
        writer.flush()  # the reports finished so far are kept
        ended = _tallied(summary, plan, writer.tally, listing.skipped)
        return finished(ended, "interrupted", stop_message(stop))
    ended = _tallied(summary, plan, writer.tally, listing.skipped)
    return finished(ended, "some_failed" if ended.failed or ended.not_read or listing.unlisted else "ok")


def rerooted(listing: Listing, rooted: Rooted | None) -> Listing:
    """The listing of a folder inside the dataset's root, with paths relative to the root."""
    if rooted is None or not rooted.prefix:
        return listing if rooted is None else replace(listing, root=rooted.root)
    pre = rooted.prefix
    return Listing(
        rooted.root,
        [replace(p, path=f"{pre}/{p.path}") for p in listing.found],
        tuple(replace(s, path=pre if s.path == "." else f"{pre}/{s.path}") for s in listing.skipped),
    )


def _write(
    plan: Plan,
    root: Path,
    out: Path,
    options: ReadOptions,
    run: RunOptions,
    writer: BatchWriter,
    run_id: str,
    on_event: EventSink,
    on_step: Step,
) -> None:
    writer.stage_plan(plan)
    for item in plan.unreadable:
        source = SourceFile("", item.stat.path, item.stat.size, item.stat.mtime_us / 1e6)
        result = failed_result(source, item.error, time.perf_counter())
        if item.keeps:  # a report already there: tonight's failure does not replace it
            _not_read(writer, result, on_event)
            continue
        writer.add(result, (item.stat,), item.replaces)
        on_event(_file_event(result))
    writer.flush()
    for task, result in _execute(plan, root, options, run, on_event):
        result = _as_listed(root, task, result)
        if is_transient(result):
            if task.replaces:  # rows of an earlier run are there: they stay, the file is read next run
                _not_read(writer, result, on_event)
                continue
            result = as_unhashed(result)
        if writer.add(result, task.paths, task.replaces):
            on_event(Event("batch", {"number": writer.tally.batches, "reports": writer.tally.reports}))
        on_event(_file_event(result))
    writer.flush()
    published = publish_pending(out, f"{run_id}-p1", on_step)
    if published:
        on_event(Event("published", published.__dict__))


def _as_listed(root: Path, task: FileTask, result: ReportResult) -> ReportResult:
    """`result`, or a `file_changed` failure if the file is no longer what the inventory listed
    (its bytes hashed by the worker, or its size and mtime now)."""
    if result.source.report_id and result.source.report_id != task.report_id:
        return file_changed(task.primary, "its bytes changed after the run listed it")
    how = changed_since_listed(root, task.primary)
    return file_changed(task.primary, how) if how else result


def _not_read(writer: BatchWriter, result: ReportResult, on_event: EventSink) -> None:
    path, error, message = not_read(result)
    writer.tally.not_read.append((path, error, message))
    on_event(Event("not_read", {"path": path, "error": error, "message": message}))


def _tallied(summary: RunSummary, plan: Plan, t: Tally, skipped: Sequence[Skipped]) -> RunSummary:
    processed_paths = sum(len(task.paths) for task in plan.tasks)
    return replace(
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
        not_read=tuple(t.not_read),
        skipped_entries=tuple((s.path, s.error, s.message) for s in skipped),
    )


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

    def pages(task: FileTask, done: int, total: int) -> None:
        on_event(
            Event(
                "pages",
                {"path": task.primary.path, "report_id": task.report_id, "done": done, "pages": total},
            )
        )

    with pool:
        yield from run_units(
            pool, work, plan.tasks, run.chunk_pages, told, run.timeout_per_file or None, pages
        )


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
