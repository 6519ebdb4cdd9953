"""Command line: the only place that prints, and that turns outcomes into exit codes.

Exit codes (for nightly jobs):
  0  every file was processed (status ok or partial), or needed no processing
  1  the run completed, and some files failed (their reasons are in the errors table, the
     run summary file and below)
  2  the run could not start or could not finish (missing folder, bad option, dataset or disk
     error); what was committed before stays, the next run goes on from there
  3  another run holds the dataset's lock (see --wait-lock)
  130, 143  the run was stopped by SIGINT (Ctrl-C) or SIGTERM: what it finished is committed,
     its runs row says `interrupted`, the next run goes on from there
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from pipeline.api import ingest
from pipeline.cli.parser import build_parser
from pipeline.cli.progress import event_printer, print_summary, say
from pipeline.core.config import ReadOptions, RunOptions
from pipeline.core.printable import safe_json
from pipeline.ocr.engines import check_spec
from pipeline.run.log import RunSummary
from pipeline.run.preflight import CannotRun
from pipeline.run.stop import Stop, stop_on_signals
from pipeline.store.files import Unwritable
from pipeline.store.lock import LockBusy

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # what a process killed by SIGPIPE gives, like `yes | head`


def run_ingest(args: argparse.Namespace) -> int:
    if not args.src.exists():
        say(f"error: {args.src} does not exist", sys.stderr)
        return EXIT_CANNOT_RUN
    problem = check_spec(args.ocr_engine)
    if problem:
        say(f"error: --ocr-engine: {problem}", sys.stderr)
        return EXIT_CANNOT_RUN
    name, colon, folder = args.ocr_engine.partition(":")
    options = ReadOptions(
        ocr=args.ocr,
        ocr_engine=f"{name}:{Path(folder).resolve()}" if colon else name,  # workers may run elsewhere
        password=args.password,
        max_pages=args.max_pages,
        ocr_timeout=args.ocr_timeout,
    )
    run = RunOptions(
        workers=args.workers or 0,
        executor=args.executor,
        scheduler=args.scheduler,
        timeout_per_file=args.timeout_per_file or None,
        max_memory_mb=args.max_memory or None,
        split_pages=args.split_pages,
        chunk_pages=args.chunk_pages,
        batch_size=args.batch_size,
        commit_seconds=args.commit_seconds,
        force=args.force,
        retry_failed=args.retry_failed,
        wait_lock=args.wait_lock,
        compact=args.compact,
        compact_target_mb=args.compact_target_mb,
        summary_path=args.summary,
        report_path=None if args.no_report else (args.report or args.out / "_report.html"),
    )
    with stop_on_signals() as stopped:
        summary = ingest(args.src, args.out, options, run, event_printer(args))
        if isinstance(summary, RunSummary):
            print_summary(summary)
    if isinstance(summary, LockBusy):
        say(f"error: {summary.message}", sys.stderr)
        return EXIT_LOCKED
    if isinstance(summary, CannotRun):
        say(f"error: {summary.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    if summary.outcome == "interrupted":
        return 128 + (stopped.signum or signal.SIGINT)
    if summary.outcome == "error":
        return EXIT_CANNOT_RUN
    unlisted = any(error == "unreadable_folder" for _, error, _ in summary.skipped_entries)
    return EXIT_SOME_FAILED if summary.failed or summary.not_read or unlisted else EXIT_OK


def run_compact(args: argparse.Namespace) -> int:
    from pipeline.store.compact import compact_locked

    if not (args.out / "reports").is_dir():
        say(f"error: {args.out} is not a dataset folder (no reports/)", sys.stderr)
        return EXIT_CANNOT_RUN
    done = compact_locked(args.out, args.by, args.target_mb * 2**20, args.wait_lock)
    if isinstance(done, LockBusy):
        say(f"error: {done.message}", sys.stderr)
        return EXIT_LOCKED
    if isinstance(done, Unwritable):
        say(f"error: {done.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    for table, (before, after) in sorted(done.items()):
        say(f"{table}: {before} → {after} part files")
    return EXIT_OK


def _no_dataset(dataset: Path) -> bool:
    from pipeline.store.dataset import is_dataset

    if is_dataset(dataset):
        return False
    say(f"error: {dataset} holds no dataset (no reports/*.parquet); ingest a folder first", sys.stderr)
    return True


def run_report(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.views.runreport import save_run_report

    out = save_run_report(args.dataset, args.out)
    if isinstance(out, Unwritable):
        say(f"error: {out.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    say(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return EXIT_OK


def run_review(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from pipeline.store.dataset import DatasetError
    from pipeline.views.pageimages import ImageOptions, RenderLimits
    from pipeline.views.review import write_review

    options = ImageOptions(scale=args.scale, quality=args.quality, format=args.image_format)
    limits = RenderLimits(args.timeout or None, args.max_memory or None, args.max_pages)
    out = write_review(args.dataset, args.report, args.out, args.src, options, args.password, limits)
    if isinstance(out, DatasetError):
        shown = out.message if out.error == "cannot_write" else f"{out.error}: {out.message}"
        say(f"error: {shown}", sys.stderr)
        return EXIT_CANNOT_RUN
    say(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    if _no_dataset(args.dataset):
        return EXIT_CANNOT_RUN
    from rich.console import Console

    from pipeline.store.dataset import DatasetError
    from pipeline.views.show import renderables, report_view, to_json

    view = report_view(args.dataset, args.report)
    if isinstance(view, DatasetError):
        say(f"error: {view.error}: {view.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    if args.json:
        print(safe_json(to_json(view), indent=1))
    else:
        # a pipe or a file gets wide lines; a terminal its own width, lines never cut off
        Console(width=None if sys.stdout.isatty() else 160).print(renderables(view), crop=False)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = build_parser().parse_args(argv)
    commands = {
        "ingest": run_ingest,
        "compact": run_compact,
        "report": run_report,
        "review": run_review,
        "show": run_show,
    }
    try:
        return commands[args.command](args)
    except KeyboardInterrupt as stop:  # outside a run (which stops cleanly by itself): nothing to keep
        signum = stop.signum if isinstance(stop, Stop) else signal.SIGINT
        say(f"error: stopped by {signal.Signals(signum).name}", sys.stderr)
        return 128 + signum
    except BrokenPipeError:  # `show --json | head`: the reader has all it wants
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's last flush is quiet too
        return EXIT_BROKEN_PIPE
