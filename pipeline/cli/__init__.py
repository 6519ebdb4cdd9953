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
import importlib.util
import logging
import os
import signal
import sys
from pathlib import Path

from pipeline.api import ingest
from pipeline.cli.dataset_option import tell_deprecations
from pipeline.cli.looking import run_export, run_report, run_review, run_show
from pipeline.cli.parser import build_parser
from pipeline.cli.progress import event_printer, print_summary, say
from pipeline.core.config import ReadOptions, RunOptions
from pipeline.ocr.engines import check_spec
from pipeline.run.log import RunSummary
from pipeline.run.preflight import CannotRun
from pipeline.run.stop import Stop, stop_on_signals
from pipeline.store.files import Unwritable
from pipeline.store.lock import LockBusy

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # what a process killed by SIGPIPE gives, like `yes | head`


DASK_HINT = (
    "error: --executor dask needs Dask, which `make ingest` does not install: "
    ".venv/bin/pip install -c requirements.lock -e '.[dask]' (or run with --executor local)"
)


def run_ingest(args: argparse.Namespace) -> int:
    if args.executor == "dask" and importlib.util.find_spec("distributed") is None:
        say(DASK_HINT, sys.stderr)
        return EXIT_CANNOT_RUN
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
        report_path=None if args.no_report else (args.report or args.dataset / "_report.html"),
    )
    with stop_on_signals() as stopped:
        with event_printer(args) as on_event:
            summary = ingest(args.src, args.dataset, options, run, on_event)
        if isinstance(summary, RunSummary):
            print_summary(summary, args.dataset, run.report_path)
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

    if not (args.dataset / "reports").is_dir():
        say(f"error: {args.dataset} is not a dataset folder (no reports/)", sys.stderr)
        return EXIT_CANNOT_RUN
    done = compact_locked(args.dataset, args.by, args.target_mb * 2**20, args.wait_lock)
    if isinstance(done, LockBusy):
        say(f"error: {done.message}", sys.stderr)
        return EXIT_LOCKED
    if isinstance(done, Unwritable):
        say(f"error: {done.message}", sys.stderr)
        return EXIT_CANNOT_RUN
    for table, (before, after) in sorted(done.items()):
        say(f"{table}: {before} → {after} part files")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = build_parser().parse_args(argv)
    tell_deprecations(args)
    commands = {
        "ingest": run_ingest,
        "compact": run_compact,
        "report": run_report,
        "review": run_review,
        "show": run_show,
        "export": run_export,
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
