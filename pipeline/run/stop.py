"""A clean stop asked by a signal: SIGTERM (a service manager, `kill`) or SIGINT (Ctrl-C).

The command line turns the first of them into `Stop` raised in the main thread (a
KeyboardInterrupt, so every `with` block on the way cleans up: the workers are killed, the hash
threads cancelled). Commits wait for it (store/uninterrupted.py), so the run stops between two
of them: the reports finished so far are committed, the `runs` row says `interrupted` and why,
and the next run goes on from there. Later signals are ignored while the run stops; SIGKILL
is what stops it at once (and is recovered from, like any crash).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stop(KeyboardInterrupt):
    """A stop asked by signal `signum`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def stop_message(stop: KeyboardInterrupt) -> str:
    name = stop.name if isinstance(stop, Stop) else "SIGINT"
    return f"stopped by {name}; what was finished is committed, the next run goes on from there"


class Received:
    """The signal that asked for the stop, once one has (`signum`)."""

    signum: int | None = None


@contextmanager
def stop_on_signals() -> Iterator[Received]:
    """Within the block, the first SIGINT or SIGTERM raises `Stop`; later ones are ignored."""
    received = Received()

    def ask(signum: int, _frame: FrameType | None) -> None:
        if received.signum is None:
            received.signum = signum
            raise Stop(signum)

    previous = {sig: signal.signal(sig, ask) for sig in SIGNALS}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
