"""What a run shows while it goes and when it ends: progress lines or JSON log lines, the summary.

Every line goes through `printable`: a file name with an escape sequence or a newline in it is
shown escaped (`\x1b`, `\n`), so it can neither drive the terminal nor forge a log line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from pipeline.core.printable import printable
from pipeline.run.log import Event, RunSummary


def say(text: str, to: TextIO | None = None) -> None:
    """One line, escaped, on stdout (or `to`)."""
    print(printable(text), file=to or sys.stdout, flush=True)


def event_printer(args: argparse.Namespace) -> Callable[[Event], None]:
    """JSON lines with --log-json; else one plain line per file on stderr (logs) unless --quiet."""
    if args.log_json:
        return lambda event: print(event.to_json(), file=sys.stderr, flush=True)
    if args.quiet:
        return lambda event: None
    state = {"total": 0, "done": 0}

    def show(event: Event) -> None:
        data = event.data
        if event.kind == "inventory":
            state["total"] = int(data["to_process"]) + int(data["unreadable"])
            say(
                f"found {data['found']} files: {data['unchanged']} unchanged, {data['to_process']} to process, "
                f"{data['missing']} missing",
                sys.stderr,
            )
        elif event.kind == "file":
            state["done"] += 1
            reason = f" [{data['error']}: {data['message']}]" if data["error"] else ""
            say(
                f"[{state['done']}/{state['total']}] {data['status']:7} {data['path']} "
                f"pages={data['pages']} facts={data['facts']}{reason}",
                sys.stderr,
            )
        elif event.kind == "not_read":
            state["done"] += 1
            say(
                f"[{state['done']}/{state['total']}] not read {data['path']} [{data['error']}: {data['message']}]"
                " (rows of an earlier run kept; read again next run)",
                sys.stderr,
            )
        elif event.kind == "skipped":
            say(f"skipped {data['path']} [{data['error']}: {data['message']}]", sys.stderr)
        elif event.kind == "split":
            say(
                f"split   {data['path']}: {data['pages']} pages, {data['chunks']} chunks over the workers",
                sys.stderr,
            )
        elif event.kind in ("recovered", "published", "compacted", "report_failed", "summary_failed"):
            say(f"{event.kind}: {dict(data)}", sys.stderr)

    return show


def print_summary(summary: RunSummary) -> None:
    say(
        f"reports: {summary.ok} ok, {summary.partial} partial, {summary.failed} failed, {summary.skipped} skipped"
        f" | {summary.files} files, {summary.missing} missing, {summary.path_updates} path updates,"
        f" {summary.removed} removed | pages {summary.pages} | facts {summary.facts}"
        f" | failed checks {summary.checks_failed} | {summary.seconds:.1f} s | run {summary.run_id} {summary.outcome}"
    )
    for path, error, message in summary.failures:
        say(f"  failed: {path}: {error}: {message}")
    for path, error, message in summary.not_read:
        say(f"  not read: {path}: {error}: {message}")
    for path, error, message in summary.skipped_entries:
        say(f"  skipped: {path}: {error}: {message}")
    for path in summary.missing_paths[:20]:
        say(f"  missing: {path}")
    if len(summary.missing_paths) > 20:
        say(f"  … and {len(summary.missing_paths) - 20} more missing (see the summary file)")
    if summary.message:  # `error: …` or `interrupted: stopped by SIGTERM; …`, on stderr
        say(f"{summary.outcome}: {summary.message}", sys.stderr)
