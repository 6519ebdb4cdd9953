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
    elif kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "raise":
        raise ValueError("a bug in the job")
    return kind.upper()
