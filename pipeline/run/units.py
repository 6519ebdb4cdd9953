"""A run's work units on one pool: whole files, and the chunks of pages of split files.

Each file to process goes to the pool as it is (`FileTask`). A worker answers with its report,
or with a `Split` (split.py): then the file's remaining pages go to the same pool as `Chunk`s,
ahead of the files still waiting (long jobs first: a shorter tail, as for files, which are
taken largest first), while the files already running go on. When the last chunk of a file is
in, the parent assembles its report. Reports come out one per file, in completion order, and
only whole: the batch writer never sees part of a file.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from pipeline.core.model import PipelineError, ReportResult, SourceFile
from pipeline.process import failed_result
from pipeline.run.inventory import FileTask
from pipeline.run.split import Chunk, Part, Split, Unit, UnitResult, assemble, chunks_of
from pipeline.run.workers import Done, Failed, Outcome

A = TypeVar("A")
R = TypeVar("R")


class Pool(Protocol):
    """`workers.LocalPool` or `dask_executor.DaskPool`."""

    def run(self, fn: Callable[[A], R], jobs: Iterable[A]) -> Iterator[tuple[A, Outcome[R]]]: ...


class Feed(Generic[A]):
    """Jobs for a pool, urgent ones first; jobs may be added while the pool runs (it reads the
    feed again after every outcome), so the iterator can run dry and later yield again."""

    def __init__(self, jobs: Iterable[A]) -> None:
        self.urgent: deque[A] = deque()
        self.waiting: deque[A] = deque(jobs)

    def __iter__(self) -> Feed[A]:
        return self

    def __next__(self) -> A:
        if self.urgent:
            return self.urgent.popleft()
        if self.waiting:
            return self.waiting.popleft()
        raise StopIteration

    def hurry(self, jobs: Iterable[A]) -> None:
        """Add jobs after the urgent ones already there, before every waiting one."""
        self.urgent.extend(jobs)


@dataclass(frozen=True)
class Assembly:
    """The chunks of one split file that are in so far."""

    split: Split
    expected: int  # chunks
    parts: tuple[tuple[Chunk, Part], ...] = ()
    seconds: float = 0.0  # the workers' time on them

    def add(self, chunk: Chunk, outcome: Outcome[UnitResult]) -> Assembly:
        parts = (*self.parts, (chunk, _part(outcome)))
        return replace(self, parts=parts, seconds=self.seconds + outcome.seconds)

    @property
    def complete(self) -> bool:
        return len(self.parts) == self.expected


def run_units(
    pool: Pool,
    work: Callable[[Unit], UnitResult],
    tasks: Iterable[FileTask],
    chunk_pages: int,
    on_split: Callable[[FileTask, Split, int], None],
) -> Iterator[tuple[FileTask, ReportResult]]:
    """Each task's report, in completion order; never raises per file. `on_split(task, split,
    chunks)` is told when a worker hands back a file to spread."""
    feed: Feed[Unit] = Feed(tasks)
    splits: dict[FileTask, Assembly] = {}
    for unit, outcome in pool.run(work, feed):
        if isinstance(unit, Chunk):
            assembly = splits.pop(unit.task).add(unit, outcome)
            if assembly.complete:
                yield unit.task, assemble(assembly.split, assembly.parts, assembly.seconds)
            else:
                splits[unit.task] = assembly
            continue
        result = _file_result(unit, outcome)
        if isinstance(result, Split):
            chunks = chunks_of(unit, result, chunk_pages)
            splits[unit] = Assembly(result, len(chunks))
            feed.hurry(chunks)
            on_split(unit, result, len(chunks))
        else:
            yield unit, result


def _file_result(task: FileTask, outcome: Outcome[UnitResult]) -> ReportResult | Split:
    if isinstance(outcome, Done) and isinstance(outcome.value, ReportResult | Split):
        return outcome.value
    failed = outcome if isinstance(outcome, Failed) else _unexpected(outcome)
    source = SourceFile(task.report_id, task.primary.path, task.primary.size, task.primary.mtime_us / 1e6)
    result = failed_result(
        source, PipelineError("worker", failed.reason, failed.message), time.perf_counter()
    )
    return replace(result, seconds=failed.seconds)


def _part(outcome: Outcome[UnitResult]) -> Part:
    if isinstance(outcome, Done) and isinstance(outcome.value, list):
        return outcome.value
    return outcome if isinstance(outcome, Failed) else _unexpected(outcome)


def _unexpected(outcome: Done[Any]) -> Failed:
    """A worker's answer of the wrong kind (a bug): the unit fails like one whose job raised."""
    return Failed("worker_error", f"unexpected result {type(outcome.value).__name__}", outcome.seconds)
