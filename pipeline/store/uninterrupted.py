"""Blocks that SIGINT and SIGTERM wait for: a commit is never cut in half by a stop request.

A commit is crash-safe (a kill at any instant is recovered by the next writer), but a stop that
the same process goes on from — Ctrl-C, or a service manager's SIGTERM turned into a clean stop
— must not leave it with a half-applied commit, nor with bookkeeping (which reports are
committed) that disagrees with the disk. Inside `uninterrupted()` the two signals are only
noted; when the outermost block ends, the handlers that were in place are restored and each
noted signal is raised again, so it takes effect right after the block (a KeyboardInterrupt,
the CLI's clean stop, or the default SIGTERM exit).

Python runs signal handlers in the main thread only; from another thread this does nothing
(no handler could interrupt that thread's block anyway).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HELD = (signal.SIGINT, signal.SIGTERM)
_depth = 0
_noted: list[int] = []


@contextmanager
def uninterrupted() -> Iterator[None]:
    global _depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    if _depth == 0:
        previous = {sig: signal.signal(sig, _note) for sig in HELD}
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            for sig, handler in previous.items():
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
            noted, _noted[:] = list(dict.fromkeys(_noted)), []
            for signum in noted:
                signal.raise_signal(signum)


def _note(signum: int, _frame: FrameType | None) -> None:
    _noted.append(signum)
