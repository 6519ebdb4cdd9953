"""Real permission and disk faults for the CLI: a child without root's powers, a tiny filesystem.

- `powerless()`: a `preexec_fn` after which the kernel's file permission checks apply to the child
  even when the tests run as root (it drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER
  from the bounding set before the exec, so the new program never gets them); without root it does
  nothing, the checks apply anyway.
- `in_tmpfs(script, size)`: a shell script run in a private mount namespace with a tmpfs of `size`
  mounted on $FS (ENOSPC and read-only mounts for real, nothing visible outside); skips the test
  where user or mount namespaces are not allowed.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def powerless() -> Callable[[], None] | None:
    if os.geteuid() != 0:
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


def cli_powerless(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGS` with file permissions enforced."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
        preexec_fn=powerless(),
    )


def in_tmpfs(
    script: str, fs: Path, size: str = "1m", timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh) with a fresh tmpfs of `size` mounted on `fs` ($FS), $PY the interpreter."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare(1) is not installed")
    fs.mkdir(parents=True, exist_ok=True)
    flags = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    probe = subprocess.run(["unshare", *flags, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode(errors='replace').strip()}")
    body = f'mount -t tmpfs -o size={size} tmpfs "$FS" || exit 97\n{script}'
    run = subprocess.run(
        ["unshare", *flags, "sh", "-c", body],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
        env={**os.environ, "FS": str(fs), "PY": sys.executable},
    )
    if run.returncode == 97:
        pytest.skip(f"cannot mount a tmpfs here: {run.stderr.strip()}")
    return run
