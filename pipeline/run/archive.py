"""A run over an archive, top to bottom:

    lock → recover (finish or undo half commits, publish leftovers, mark killed runs)
         → runs row `running` → update (update.py: inventory, workers, batches, publish)
         → derived rows (office identity, primary reports, offices, panel, cross-year checks) → runs row with the outcome → summary → (compact)

Every step that changes the dataset is a journaled commit (journal.py), so the run can be
killed at any instant; the next run starts by completing what was committed. A run that cannot
start (options, an output it cannot write, a crafted journal) is a `CannotRun`; one stopped by
SIGINT or SIGTERM ends `interrupted`, with what it finished committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.core.config import VERSION, ReadOptions, RunOptions
from pipeline.run import outcome_note
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
from pipeline.run.roots import choose_root
from pipeline.run.stop import stop_message
from pipeline.run.update import update_dataset
from pipeline.store.derived import needs_refresh, refresh_derived
from pipeline.store.files import UnsafeDataset, Unwritable, reason_of
from pipeline.store.journal import Step, no_step
from pipeline.store.lock import LockBusy, hold
from pipeline.store.parts import ensure_tables, new_run_id, recover
from pipeline.store.publish import publish_pending

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
    rooted = choose_root(out, src)
    summary = RunSummary(
        run_id, "running", datetime.now(UTC), None, VERSION, run.executor, run.cores, str(src.absolute())
    )
    summary = replace(summary, root=str(rooted.root))
    extra: dict[str, object] = {}
    try:
        _prepare(out, run_id, on_event, on_step)
        outcome_note.reserve(out, run_id)  # where the outcome goes if the disk fills up (outcome_note.py)
        record_run(out, summary, on_step)
    except OSError as exc:  # not started: nothing to record, and nothing recordable
        outcome_note.drop(out, run_id)
        return CannotRun(Unwritable(out, reason_of(exc)).message)
    except UnsafeDataset as exc:  # a crafted or damaged journal: nothing of it is done
        return CannotRun(Unwritable(out, str(exc)).message)
    try:
        on_event(
            Event(
                "run_start",
                {
                    "run_id": run_id,
                    "source": str(src),
                    "root": summary.root,
                    "out": str(out),
                    "workers": run.cores,
                },
            )
        )
        summary = update_dataset(src, out, options, run, summary, on_event, on_step, rooted)
        if summary.processed or summary.removed or summary.path_updates or needs_refresh(out):
            extra["derived"] = refresh_derived(out, run_id, on_step)
        record_run(out, summary, on_step)
        outcome_note.drop(out, run_id)
        if run.compact and summary.outcome != "interrupted":
            from pipeline.store.compact import compact

            extra["compaction"] = compact(
                out, run.compact, run.compact_target_mb * 2**20, f"{run_id}-c", on_step
            )
            on_event(Event("compacted", {"tables": extra["compaction"]}))
    except KeyboardInterrupt as stop:  # a stop asked by a signal, between two commits
        summary = _recorded(out, finished(summary, "interrupted", stop_message(stop)), on_step)
    except OSError as exc:  # the disk failed the run (full, gone read-only): recorded as far as it lets us
        summary = _recorded(out, finished(summary, "error", Unwritable(out, reason_of(exc)).message), on_step)
    except Exception as exc:  # the run itself failed (dataset unreadable): recorded, then told
        summary = _recorded(out, finished(summary, "error", f"{type(exc).__name__}: {exc}"), on_step)
    if run.report_path is not None and draw_report is not None and summary.outcome != "interrupted":
        extra["report"] = _write_report(draw_report, out, run.report_path, on_event)
    summary_file = run.summary_path or out / "_runs" / f"{run_id}.json"
    try:
        write_summary(summary_file, summary, extra)
    except OSError as exc:  # told, not fatal: the runs row holds the same counts
        on_event(Event("summary_failed", {"path": str(summary_file), "error": reason_of(exc)}))
    on_event(
        Event("run_end", {"run_id": run_id, "outcome": summary.outcome, "seconds": round(summary.seconds, 3)})
    )
    return summary


def _recorded(out: Path, summary: RunSummary, on_step: Step) -> RunSummary:
    """The run's last row committed; if the disk refuses it, its outcome noted in place instead."""
    try:
        record_run(out, summary, on_step)
        outcome_note.drop(out, summary.run_id)
    except Exception:  # the note was written at the start, while there was room: overwriting it needs none
        assert summary.finished_at is not None
        outcome_note.keep(out, summary.run_id, summary.outcome, summary.message, summary.finished_at)
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
    done = recover(out) + outcome_note.clear_temporary(out)
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
