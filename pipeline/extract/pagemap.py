"""The seam for per-page work: how `process_file` reads a report's pages.

A `PageReader` reads pages [start, stop) of one file (opening it itself, so that it can run in
another process); a `PageMap` decides where the reading happens. `process_file` uses one
reader call for the whole file unless given a map. A caller outside an archive run can spread a
scanned report's pages over idle cores or a Dask cluster with `ExecutorPages(executor)`: any
`concurrent.futures.Executor` works, including a process pool and
`distributed.Client.get_executor()`. Pages come back in order whatever the map, so the result is
identical to a serial read. (An archive run spreads pages over its own workers instead, with
their limits: split.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from pipeline.core.model import Page

PageReader = Callable[[int, int], list[Page]]
PageMap = Callable[[PageReader, int], list[Page]]


def serial_pages(read: PageReader, count: int) -> list[Page]:
    return read(0, count)


@dataclass(frozen=True)
class ExecutorPages:
    """Read `chunk` pages per task on `executor`; the reader must be picklable for processes."""

    executor: Executor
    chunk: int = 4

    def __call__(self, read: PageReader, count: int) -> list[Page]:
        size = max(1, self.chunk)
        futures = [
            self.executor.submit(read, start, min(start + size, count)) for start in range(0, count, size)
        ]
        return [page for future in futures for page in future.result()]
