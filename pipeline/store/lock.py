"""One writer at a time per dataset folder: an advisory `flock` on `DST/.lock`.

The kernel drops the lock when its holder exits in any way (kill -9 included), so a crashed run
never leaves a stale lock. The file also says who holds it, for the message the second run gets.
Worker processes do not inherit the descriptor (Python opens files non-inheritable). The lock is
opened without following a symbolic link (a `.lock` planted as a link to another file would
otherwise have that file truncated), and a dataset that cannot be written at all (read-only,
no permission, disk full, `--out` under a regular file) is told as `Unwritable`, not raised.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.store.files import Unwritable, reason_of

LOCK_NAME = ".lock"


@dataclass(frozen=True)
class LockBusy:
    """Another run holds the lock; `holder` is what it wrote (pid, host, run, since), if readable."""

    path: Path
    holder: str
    waited: float

    @property
    def message(self) -> str:
        waited = f" after waiting {self.waited:.0f} s" if self.waited else ""
        return f"another run is writing to {self.path.parent} ({self.holder}){waited}; not starting"


@contextmanager
def hold(out: Path, run_id: str, wait_seconds: float = 0.0) -> Iterator[LockBusy | Unwritable | None]:
    """Hold the lock for the block; yields None when held, `LockBusy` when another run keeps it,
    `Unwritable` when the dataset folder or its lock file cannot be written."""
    path = out / LOCK_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        yield Unwritable(out, reason_of(exc))
        return
    try:
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= wait_seconds:
                    yield LockBusy(path, _holder(path), waited)
                    return
                time.sleep(min(1.0, max(0.05, wait_seconds - waited)))
        info = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id, "since": time.time()}
        try:
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info).encode())
        except OSError as exc:  # a full disk: nothing else could be written either
            yield Unwritable(out, reason_of(exc))
            return
        yield None
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["since"]))
        return f"pid {info['pid']} on {info['host']}, run {info['run_id']}, since {since}"
    except (OSError, ValueError, KeyError):
        return "holder unknown"
