"""What a run reports about itself: events as it goes, a `runs` row, and a summary file.

The orchestrator never prints: it hands `Event`s to a sink (the CLI shows them as progress
lines or as JSON log lines). A run writes its `runs` row twice, each time as a journaled
commit: `running` when it starts, its outcome when it ends; a run killed in between is found
by the next one (which holds the lock, so the `running` row cannot be alive) and marked
`interrupted`.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from pipeline.core.printable import safe_json
from pipeline.run import outcome_note
from pipeline.store.files import write_atomically
from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.parts import part_files, read_table, stage_filtered, stage_part
from pipeline.store.pathtext import needs_escape, stored_path
from pipeline.store.schema import Row, rows_to_table

Outcome = str  # running | ok | some_failed | interrupted | error


@dataclass(frozen=True)
class Event:
    kind: str  # run_start, recovered, inventory, file, batch, published, run_end, compacted, ...
    data: Mapping[str, Any]
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> str:
        """One line; names from the folder (odd bytes, escape sequences) escaped, never raw."""
        return safe_json({"at": self.at.isoformat(), "event": self.kind, **self.data})


EventSink = Callable[[Event], None]


def ignore(_: Event) -> None:
    """The default sink."""


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    outcome: Outcome
    started_at: datetime
    finished_at: datetime | None
    pipeline_version: str
    executor: str
    workers: int
    source: str
    files: int = 0  # *.pdf paths found
    unchanged: int = 0  # paths that passed the size + mtime check (not read)
    hashed: int = 0
    processed: int = 0  # distinct reports processed (including failed ones)
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0  # paths whose report needed no processing
    path_updates: int = 0
    removed: int = 0
    missing: int = 0
    pages: int = 0
    facts: int = 0
    checks_failed: int = 0
    batches: int = 0
    seconds: float = 0.0
    message: str = ""
    root: str = ""  # the dataset's source root: what its paths are relative to (run/roots.py)
    failures: tuple[tuple[str, str, str], ...] = ()  # (path, error class, message)
    missing_paths: tuple[str, ...] = ()
    # files tonight could not read, or that changed while read (path, error class, message):
    # nothing of them committed over earlier rows; read again next run
    not_read: tuple[tuple[str, str, str], ...] = ()
    # entries of the source tree that are not readable files: links to nothing, FIFOs, folders
    # that cannot be listed, … (path, error class, message); also `errors` rows of stage inventory
    skipped_entries: tuple[tuple[str, str, str], ...] = ()


def runs_row(summary: RunSummary) -> Row:
    lists = ("failures", "missing_paths", "not_read", "skipped_entries")
    row = {k: v for k, v in asdict(summary).items() if k not in lists}
    row.update(files_found=summary.files, host=socket.gethostname(), pid=os.getpid())
    row["source"] = stored_path(summary.source, needs_escape([summary.source]))
    row["root"] = stored_path(summary.root, needs_escape([summary.root])) if summary.root else None
    return row


def record_run(out: Path, summary: RunSummary, on_step: Step = no_step) -> None:
    """Commit the run's `runs` row, in place of any row of the same run written before (found by
    its `run_id`, wherever a compaction put it): one commit, so the run always has one row."""
    part_id = f"{summary.run_id}-{summary.outcome}"  # never reused: ok and then error are two names
    move = stage_part(out, "runs", part_id, rows_to_table("runs", [runs_row(summary)]))
    earlier = stage_filtered(
        out,
        "runs",
        part_files(out, "runs"),
        lambda t: pc.equal(t.column("run_id"), summary.run_id),
        f"{part_id}-kept",
        ("run_id",),
    )
    commit(out, f"run-{part_id}", Change(earlier.removes, (*earlier.moves, move)), on_step)


def mark_interrupted(out: Path, run_id: str) -> list[str]:
    """Runs still `running` ended without recording how: those that left an outcome note (a full
    disk kept them from committing their row) get the outcome and message they noted; the
    others (killed) become `interrupted`. Return their ids. Notes are deleted once settled."""
    runs = read_table(out, "runs")
    dead = runs.filter(pc.equal(runs.column("outcome"), "running"))
    ids = dead.column("run_id")
    if dead.num_rows:
        change = stage_filtered(
            out,
            "runs",
            part_files(out, "runs"),
            lambda t: pc.is_in(t.column("run_id"), ids),
            f"marked-{run_id}",
            ("run_id",),
        )
        rows = [_ended_row(out, r, run_id) for r in dead.to_pylist()]
        move = stage_part(out, "runs", f"marked-{run_id}", rows_to_table("runs", rows))
        commit(out, f"interrupted-{run_id}", Change(change.removes, (*change.moves, move)))
    for noted in outcome_note.notes(out):  # settled now, or left by a run whose row got committed
        if noted != run_id:
            outcome_note.drop(out, noted)
    return ids.to_pylist()


def _ended_row(out: Path, row: dict[str, Any], by: str) -> dict[str, Any]:
    noted = outcome_note.read(out, row["run_id"])
    if noted is None:
        return {**row, "outcome": "interrupted", "message": f"found unfinished by run {by}"}
    end = datetime.fromisoformat(noted["finished_at"]) if noted.get("finished_at") else None
    seconds = (end - row["started_at"]).total_seconds() if end and row["started_at"] else row["seconds"]
    ended = {"outcome": noted["outcome"], "message": noted.get("message", ""), "finished_at": end}
    return {**row, **ended, "seconds": seconds}


def write_summary(path: Path, summary: RunSummary, extra: Mapping[str, Any]) -> None:
    """The run summary as JSON, written atomically (a nightly job's wrapper reads it); a failure
    leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**asdict(summary), **extra}
    data["failures"] = [{"path": p, "error": e, "message": m} for p, e, m in summary.failures]
    data["not_read"] = [{"path": p, "error": e, "message": m} for p, e, m in summary.not_read]
    data["skipped_entries"] = [{"path": p, "error": e, "message": m} for p, e, m in summary.skipped_entries]
    write_atomically(path, safe_json(data, indent=1).encode("utf-8"))


def finished(summary: RunSummary, outcome: Outcome, message: str = "") -> RunSummary:
    end = datetime.now(UTC)
    return replace(
        summary,
        outcome=outcome,
        finished_at=end,
        seconds=(end - summary.started_at).total_seconds(),
        message=message,
    )
