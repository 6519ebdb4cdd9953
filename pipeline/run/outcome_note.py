"""A run's outcome kept where a full disk cannot lose it: `_runs/<run_id>.outcome`.

A run records how it ended as its `runs` row, a commit that needs new blocks on disk. When the
disk is full that commit fails, and the row would stay `running` until the next run labels it
`interrupted`, the cause lost. So a run reserves, before it starts, a note of NOTE_BYTES (written
and fsynced while there is room). If its last row cannot be committed, the outcome and message
are written over the note in place — no new block is needed for that on ext4, xfs or tmpfs — and
the next run takes them from there. A run whose last row is committed deletes its note.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.store.files import create_new

RUNS_DIR = "_runs"
NOTE_BYTES = 4096  # room for the outcome and a message of a few thousand characters
SUFFIX = ".outcome"


def note_path(out: Path, run_id: str) -> Path:
    return out / RUNS_DIR / f"{run_id}{SUFFIX}"


def reserve(out: Path, run_id: str) -> None:
    """Write the note (outcome `running`) at its full size, while there is room for it."""
    path = note_path(out, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with create_new(path) as fh:
        fh.write(_padded({"outcome": "running"}))
        fh.flush()
        os.fsync(fh.fileno())


def keep(out: Path, run_id: str, outcome: str, message: str, finished_at: datetime) -> bool:
    """Write the outcome over the reserved note, in place; False if even that failed."""
    data = {"outcome": outcome, "message": message, "finished_at": finished_at.isoformat()}
    try:
        fd = os.open(note_path(out, run_id), os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        os.pwrite(fd, _padded(data), 0)
        os.fsync(fd)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def read(out: Path, run_id: str) -> dict[str, Any] | None:
    """The outcome a run left in its note, if it left one it could not record as its row."""
    try:
        with open(note_path(out, run_id), "rb") as fh:
            data = json.loads(fh.read(NOTE_BYTES + 1))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("outcome") not in (None, "running") else None


def drop(out: Path, run_id: str) -> None:
    with contextlib.suppress(OSError):
        note_path(out, run_id).unlink(missing_ok=True)


def notes(out: Path) -> list[str]:
    """The run ids that have a note."""
    folder = out / RUNS_DIR
    if not folder.is_dir():
        return []
    return [p.name.removesuffix(SUFFIX) for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".")]


def clear_temporary(out: Path) -> list[str]:
    """Delete the temporary files of summaries a killed or starved run left in `_runs/`."""
    folder = out / RUNS_DIR
    if not folder.is_dir():
        return []
    gone = []
    for path in folder.iterdir():
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
            gone.append(f"deleted {RUNS_DIR}/{path.name}")
    return gone


def _padded(data: dict[str, str]) -> bytes:
    """JSON padded with spaces to NOTE_BYTES exactly (a message too long is cut to fit)."""
    text = json.dumps(data, ensure_ascii=True).encode("ascii")
    while len(text) > NOTE_BYTES and data.get("message"):
        data = {
            **data,
            "message": data["message"][: max(0, len(data["message"]) - (len(text) - NOTE_BYTES) - 8)],
        }
        text = json.dumps(data, ensure_ascii=True).encode("ascii")
    return text.ljust(NOTE_BYTES)
