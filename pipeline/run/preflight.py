"""Why a run cannot start, as a value: options that make no sense, an output that cannot be written.

The command line checks its options as it parses them; the Python API gets the same refusals
here, before the lock is taken or anything is written. A limit of 0 means "none" only where
`RunOptions` says so (`timeout_per_file`, `max_memory_mb`: None or 0; `split_pages`: 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.core.config import ReadOptions, RunOptions


@dataclass(frozen=True)
class CannotRun:
    """The run did not start (or stopped before doing anything); `message` says why, in one line."""

    message: str


def check_options(options: ReadOptions, run: RunOptions) -> CannotRun | None:
    """The first option whose value makes no sense, as a refusal naming it."""
    problems = [
        _at_least("workers", run.workers, 0),  # 0: every core
        _at_least("batch_size", run.batch_size, 1),
        _at_least("chunk_pages", run.chunk_pages, 1),
        _at_least("split_pages", run.split_pages, 0),
        _at_least("compact_target_mb", run.compact_target_mb, 1),
        _at_least("max_pages", options.max_pages, 1),
        _at_least("max_image_pixels", options.max_image_pixels, 1),
        _at_least("max_memory_mb", run.max_memory_mb or 0, 0),
        _seconds("timeout_per_file", run.timeout_per_file or 0.0, zero=True),
        _seconds("commit_seconds", run.commit_seconds, zero=True),
        _seconds("wait_lock", run.wait_lock, zero=True),
        _seconds("ocr_timeout", options.ocr_timeout, zero=False),
    ]
    first = next((p for p in problems if p), None)
    return CannotRun(first) if first else None


def _at_least(name: str, value: int, minimum: int) -> str | None:
    return None if value >= minimum else f"{name} must be at least {minimum} (got {value})"


def _seconds(name: str, value: float, zero: bool) -> str | None:
    if math.isfinite(value) and (value > 0 or (zero and value == 0)):
        return None
    return (
        f"{name} must be a finite number of seconds, {'0 or more' if zero else 'more than 0'} (got {value})"
    )
