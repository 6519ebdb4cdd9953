"""Jobs for the worker-pool tests (importable by the worker processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def job(kind: str) -> str:
    if kind == "sleep":
        time.sleep(300)
    elif kind == "eat":
        hoard = bytearray(700 * 2**20)
        time.sleep(30)
        return str(len(hoard))
    elif kind == "child-eats":  # like an OCR engine run as a subprocess
        code = "import time; hoard = bytearray(700 * 2**20); time.sleep(30)"
        subprocess.run([sys.executable, "-c", code], check=False)
    elif kind == "gulp":  # 1 GiB touched and let go in a fraction of a second: between two polls
        time.sleep(0.3)  # after the pool's first look at the worker's memory
        hoard = bytearray(2**30)
        hoard[:: 2**12] = b"\x01" * (2**30 // 2**12)
        return str(len(hoard))
    elif kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "raise":
        raise ValueError("a bug in the job")
    return kind.upper()
