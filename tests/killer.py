"""A writer that SIGKILLs itself at its N-th commit step (or counts the steps), for crash tests.

    python -m tests.killer ingest SRC OUT N|count
    python -m tests.killer compact - OUT N|count
Prints the steps it went through, one per line (all of them with `count`).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.store.compact import compact


def main() -> None:
    mode, src, out, target = sys.argv[1:5]
    seen: list[str] = []

    def on_step(step: str) -> None:
        seen.append(step)
        print(step, flush=True)
        if target != "count" and len(seen) == int(target):
            os.kill(os.getpid(), signal.SIGKILL)

    if mode == "ingest":
        ingest(Path(src), Path(out), ReadOptions(), RunOptions(workers=1, batch_size=2), on_step=on_step)
    else:
        compact(Path(out), "year", 1 << 30, "ctest", on_step)


if __name__ == "__main__":
    main()
