"""Jobs for the worker-pool tests (importable by the worker processes)."""

from __future__ import annotations

import os
import signal
import time


def job(kind: str) -> str:
    if kind == "sleep":
        time.sleep(300)
    elif kind == "eat":
        hoard = bytearray(700 * 2**20)
        time.sleep(30)
        return str(len(hoard))
    elif kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "raise":
        raise ValueError("a bug in the job")
    return kind.upper()
