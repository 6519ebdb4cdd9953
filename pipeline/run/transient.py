"""Failures of a night, not of a file: the file could not be read, or it changed while it was read.

Such a result says nothing about the report itself, so it never replaces what earlier runs
committed: a report already in the dataset keeps its rows, and the run lists the path as *not
read* (summary, log, exit code 1). A file with no earlier rows gets an id-less `failed` row with
its `errors` row (`unreadable_file`, `file_changed`), which the next run hashes again whatever
the file's size and mtime (inventory.py) and replaces once the file reads.

A file changed while it was read is caught by its bytes and its stat: the worker hashes the
file before reading it (a hash other than the inventory's: rewritten before), and the run
compares the file's size and mtime after the result is in with those the inventory listed
(rewritten during or after). Either way the result is dropped, not committed under a hash its
contents may not match.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from pipeline.core.model import PathStat, PipelineError, ReportResult, SourceFile
from pipeline.process import failed_result

TRANSIENT = ("unreadable_file", "file_changed")


def changed_since_listed(root: Path, listed: PathStat) -> str | None:
    """How the file at `listed.path` differs now from what the inventory listed; None if not."""
    try:
        st = os.stat(root / listed.path)
    except OSError as exc:
        return f"it can no longer be read ({exc.strerror})"
    if st.st_size != listed.size or st.st_mtime_ns // 1000 != listed.mtime_us:
        return f"its size or modification time changed ({listed.size} → {st.st_size} bytes)"
    return None


def file_changed(listed: PathStat, how: str) -> ReportResult:
    message = (
        f"the file was rewritten while it was read ({how}); nothing of it was kept, it is read again next run"
    )
    source = SourceFile("", listed.path, listed.size, listed.mtime_us / 1e6)
    return failed_result(source, PipelineError("open", "file_changed", message), time.perf_counter())


def is_transient(result: ReportResult) -> bool:
    return result.status == "failed" and any(e.error in TRANSIENT for e in result.errors)


def as_unhashed(result: ReportResult) -> ReportResult:
    """A transient failure stored without a report id: what the next run will hash again."""
    return replace(result, source=replace(result.source, report_id=""))


def not_read(result: ReportResult) -> tuple[str, str, str]:
    error = next(e for e in result.errors if e.error in TRANSIENT)
    return result.source.path, error.error, error.message
