"""Files the writer creates, created safely; and why a place could not be written, as a value.

Every file the pipeline writes in a dataset (the lock, temporary part files, journal records,
summaries, the run report) is created with O_NOFOLLOW | O_EXCL: a symbolic link planted at one
of those names (`.lock`, `._report.html.tmp`, …) is never followed, so nothing outside the
dataset is overwritten through it. A stale temporary file of a killed writer is removed first.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeDataset(Exception):
    """The dataset holds something its writer will not touch (a crafted journal record, a
    folder that is a symbolic link): the writer stops and says what, nothing is changed."""


@dataclass(frozen=True)
class Unwritable:
    """`path` (a dataset, or a file of one) could not be written; `reason` says why, briefly."""

    path: Path
    reason: str

    @property
    def message(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def reason_of(exc: OSError) -> str:
    """'No space left on device (/data/x/.lock)': the system's words and the file concerned."""
    words = exc.strerror or type(exc).__name__
    if exc.errno == errno.ELOOP:
        words = "it is a symbolic link, which is not followed"
    return f"{words} ({exc.filename})" if exc.filename else words


def create_new(path: Path, mode: int = 0o644) -> BinaryIO:
    """A new file opened for writing, never through a symbolic link; a leftover (a temporary file
    of a killed writer, or a planted link) at that name is removed first."""
    try:
        fd = os.open(path, NEW_FILE, mode)
    except FileExistsError:
        path.unlink()
        fd = os.open(path, NEW_FILE, mode)
    return os.fdopen(fd, "wb")


def write_atomically(path: Path, data: bytes) -> None:
    """`data` at `path`, all or nothing: a hidden temporary file beside it, fsynced, renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with create_new(tmp) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no empty temporary file behind
        raise


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
