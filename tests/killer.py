"""A writer that SIGKILLs itself at its N-th commit step (or counts the steps), for crash tests.

    python -m tests.killer ingest SRC OUT N|count|never
    python -m tests.killer compact - OUT N|count|never
    python -m tests.killer publish - OUT N|count|never      (publish what a killed run staged)
    python -m tests.killer ingest SRC OUT term:N             (SIGTERM at step N: a clean stop)
Prints the steps it went through, one per line (all of them with `count`), and with `term:N`
the run's outcome last. With KILLER_PAUSE=S in the environment it waits S seconds after each
step, so that a watcher can see every state.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.run.stop import stop_on_signals
from pipeline.store.compact import compact
from pipeline.store.publish import publish_pending


def main() -> None:
    mode, src, out, target = sys.argv[1:5]
    seen: list[str] = []
    pause = float(os.environ.get("KILLER_PAUSE", "0"))

    how, _, at = target.rpartition(":")

    def on_step(step: str) -> None:
        seen.append(step)
        print(step, flush=True)
        if target not in ("count", "never") and len(seen) == int(at):
            if how == "term":  # delivered here and now: its handler runs before this returns
                signal.raise_signal(signal.SIGTERM)
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(pause)

    if mode == "ingest" and how == "term":
        with stop_on_signals():
            run = RunOptions(workers=1, batch_size=2)
            summary = ingest(Path(src), Path(out), ReadOptions(), run, on_step=on_step)
        print(getattr(summary, "outcome", summary), flush=True)
    elif mode == "ingest":
        ingest(Path(src), Path(out), ReadOptions(), RunOptions(workers=1, batch_size=2), on_step=on_step)
    elif mode == "publish":
        publish_pending(Path(out), "ktest", on_step)
    else:
        compact(Path(out), "year", 1 << 30, "ctest", on_step)


if __name__ == "__main__":
    main()
