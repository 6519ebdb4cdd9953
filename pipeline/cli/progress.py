"""What a run shows while it goes and when it ends: a progress bar on a terminal, quiet lines in
logs (or JSON lines), the summary.

On a terminal (stderr is a tty): one bar of files with a count, the elapsed time and an ETA, and
for each large scan being read in chunks of pages a bar of its pages; a failed file is printed
above the bars. Elsewhere (a log file, cron, a pipe): one plain line per file, nothing that
redraws. `--log-json`: one JSON object per event. `--quiet`: the summary only.

Every line goes through `printable`: a file name with an escape sequence or a newline in it is
shown escaped (`\\x1b`, `\\n`), so it can neither drive the terminal nor forge a log line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from pipeline.core.printable import printable
from pipeline.run.log import Event, RunSummary

Sink = Callable[[Event], None]
NOTED = ("recovered", "published", "compacted", "report_failed", "summary_failed")


def say(text: str, to: TextIO | None = None) -> None:
    """One line, escaped, on stdout (or `to`)."""
    print(printable(text), file=to or sys.stdout, flush=True)


@contextmanager
def event_printer(args: argparse.Namespace, terminal: bool | None = None) -> Iterator[Sink]:
    """The sink for a run's events, as the options and the terminal ask."""
    if args.log_json:
        yield lambda event: print(event.to_json(), file=sys.stderr, flush=True)
    elif args.quiet:
        yield lambda event: None
    elif sys.stderr.isatty() if terminal is None else terminal:
        with _bars() as sink:
            yield sink
    else:
        yield _lines()


def _file_line(data: Mapping[str, Any], done: int, total: int) -> str:
    reason = f" [{data['error']}: {data['message']}]" if data["error"] else ""
    return f"[{done}/{total}] {data['status']:7} {data['path']} pages={data['pages']} facts={data['facts']}{reason}"


def _not_read_line(data: Mapping[str, Any], done: int, total: int) -> str:
    return (
        f"[{done}/{total}] not read {data['path']} [{data['error']}: {data['message']}]"
        " (rows of an earlier run kept; read again next run)"
    )


def _inventory_line(data: Mapping[str, Any]) -> str:
    return (
        f"found {data['found']} files: {data['unchanged']} unchanged, {data['to_process']} to process, "
        f"{data['missing']} missing"
    )


def _lines() -> Sink:
    """Plain lines for logs: one per file, and the few events worth a line."""
    state = {"total": 0, "done": 0}

    def show(event: Event) -> None:
        data = event.data
        if event.kind == "inventory":
            state["total"] = int(data["to_process"]) + int(data["unreadable"])
            say(_inventory_line(data), sys.stderr)
        elif event.kind in ("file", "not_read"):
            state["done"] += 1
            line = _file_line if event.kind == "file" else _not_read_line
            say(line(data, state["done"], state["total"]), sys.stderr)
        elif event.kind == "skipped":
            say(f"skipped {data['path']} [{data['error']}: {data['message']}]", sys.stderr)
        elif event.kind == "split":
            say(
                f"split   {data['path']}: {data['pages']} pages, {data['chunks']} chunks over the workers",
                sys.stderr,
            )
        elif event.kind in NOTED:
            say(f"{event.kind}: {dict(data)}", sys.stderr)

    return show


@contextmanager
def _bars() -> Iterator[Sink]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    files = progress.add_task("files", total=None)
    pages: dict[str, Any] = {}
    state = {"done": 0, "total": 0, "pages": 0}

    def note(text: str) -> None:
        progress.console.print(Text(printable(text)))  # above the bars; never markup

    def show(event: Event) -> None:
        data = event.data
        if event.kind == "inventory":
            state["total"] = int(data["to_process"]) + int(data["unreadable"])
            progress.update(files, total=state["total"])
            note(_inventory_line(data))
        elif event.kind in ("file", "not_read"):
            state["done"] += 1
            state["pages"] += int(data.get("pages") or 0)
            progress.update(files, completed=state["done"], description=f"files (pages {state['pages']})")
            task = pages.pop(str(data["path"]), None)
            if task is not None:  # drawn once complete, then gone: the files bar has it
                progress.update(task, completed=int(data.get("pages") or 0))
                progress.refresh()
                progress.remove_task(task)
            if event.kind == "not_read" or data.get("status") == "failed":
                line = _file_line if event.kind == "file" else _not_read_line
                note(line(data, state["done"], state["total"]))
        elif event.kind == "split":
            name = printable(Path(str(data["path"])).name)
            pages[str(data["path"])] = progress.add_task(
                f"  pages of {name}", total=int(data["pages"]), completed=int(data["read"])
            )
        elif event.kind == "pages" and str(data["path"]) in pages:
            progress.update(pages[str(data["path"])], completed=int(data["done"]))
            progress.refresh()  # a page of a scan takes seconds: show each at once
        elif event.kind == "skipped":
            note(f"skipped {data['path']} [{data['error']}: {data['message']}]")
        elif event.kind in NOTED:
            note(f"{event.kind}: {dict(data)}")

    with progress:
        yield show


def print_summary(summary: RunSummary, dataset: Path | None = None, report: Path | None = None) -> None:
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
    if dataset is not None:
        say(f"dataset: {dataset.absolute()} (source root {summary.root})")
        if report is not None and report.is_file() and summary.outcome != "interrupted":
            say(f"run report: {report.absolute()}")
    if summary.message:  # `error: …` or `interrupted: stopped by SIGTERM; …`, on stderr
        say(f"{summary.outcome}: {summary.message}", sys.stderr)
