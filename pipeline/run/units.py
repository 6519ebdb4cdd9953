"""A run's work units on one pool: whole files, and the chunks of pages of split files.

A scanned report costs seconds of OCR per page, so read whole it keeps one worker busy for
minutes while others idle. Each file to process goes to the pool as it is (`FileTask`); the
worker reads it as `process.open_report` does, but in a file of more than `--split-pages`
pages it stops at the first page that needs OCR while more than one chunk of pages would be
left, and answers with a `Split` (the hash, the pages before it, every page's size). Then the
file's remaining pages go to the same pool as `Chunk`s,
ahead of the files still waiting (long jobs first: a shorter tail, as for files, which are
taken largest first), while the files already running go on. When the last chunk of a file is
in, the parent assembles its report (`process.assemble`); a chunk whose worker was killed
loses only its pages: they become failed pages with the worker's reason, and the report is
`partial`. Reports come out one per file, in completion order, and only whole: the batch
writer never sees part of a file.

The split is decided in the worker, not in the parent: the worker reads the pages up to the
first OCR page anyway, so the decision costs nothing and uses the real per-page decision; and
the parent never parses an untrusted PDF itself (a page of `tests/hostile.py`'s parser loop
takes PDFium 2 s just to load, and no limit could stop the parent).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pipeline.core.config import ReadOptions
from pipeline.core.model import Page, PipelineError, ReportResult, SourceFile
from pipeline.process import (
    PagesOrError,
    Split,
    SplitPolicy,
    assemble,
    failed_result,
    open_report,
    read_page_range,
)
from pipeline.run.inventory import FileTask
from pipeline.run.workers import Done, Failed, Outcome, Overdue

A = TypeVar("A")
R = TypeVar("R")


@dataclass(frozen=True)
class Chunk:
    """Pages [start, stop) (0-based) of a split file: a work unit like a whole file."""

    task: FileTask
    start: int
    stop: int


Unit = FileTask | Chunk
UnitResult = ReportResult | Split | list[Page]


def run_unit(unit: Unit, root: str, options: ReadOptions, policy: SplitPolicy) -> UnitResult:
    """What a worker runs: a whole file (or its opening, if it splits), or a chunk of pages."""
    if isinstance(unit, Chunk):
        return read_page_range(Path(root) / unit.task.primary.path, options, unit.start, unit.stop)
    return open_report(Path(root) / unit.primary.path, Path(root), options, policy.stops_at)


def chunks_of(task: FileTask, split: Split, size: int) -> tuple[Chunk, ...]:
    """The pages the worker left unread, in chunks of `size`."""
    return tuple(Chunk(task, start, stop) for start, stop in split.page_ranges(size))


class Pool(Protocol):
    """`workers.LocalPool` or `dask_executor.DaskPool`."""

    def run(
        self, fn: Callable[[A], R], jobs: Iterable[A], overdue: Overdue | None = None
    ) -> Iterator[tuple[A, Outcome[R]]]: ...


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

    def withdraw(self, unwanted: Callable[[A], bool]) -> list[A]:
        """Take out the jobs not yet started that are `unwanted`; return them."""
        gone = [job for job in (*self.urgent, *self.waiting) if unwanted(job)]
        self.urgent = deque(job for job in self.urgent if not unwanted(job))
        self.waiting = deque(job for job in self.waiting if not unwanted(job))
        return gone


class Budgets:
    """`--timeout-per-file` as a budget of worker time per split file, spent by all its units.

    A file read whole has the limit as its one job's time limit. A split file's units (its
    opening, then its chunks, several at once) share it: their times are added up as they end,
    and while chunks run, their time so far too; when the sum passes the limit, the running
    chunks are stopped (`overdue`, asked by the pool at every poll) and the others never start
    (`spent`). The file then is what a whole read stopped at its limit would be: the pages read
    so far, and the others failed with `timeout`.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.used: dict[FileTask, float] = {}

    def spend(self, task: FileTask, seconds: float) -> None:
        self.used[task] = self.used.get(task, 0.0) + seconds

    def spent(self, task: FileTask) -> bool:
        return self.seconds is not None and self.used.get(task, 0.0) >= self.seconds

    def overdue(self, busy: list[tuple[Any, float]]) -> list[str | None]:
        if self.seconds is None:
            return [None] * len(busy)
        running: dict[FileTask, float] = {}
        for unit, elapsed in busy:
            if isinstance(unit, Chunk):
                running[unit.task] = running.get(unit.task, 0.0) + elapsed
        over = {task for task, now in running.items() if self.used.get(task, 0.0) + now > self.seconds}
        return [self.message(True) if isinstance(u, Chunk) and u.task in over else None for u, _ in busy]

    def message(self, running: bool) -> str:
        what = "the worker was killed" if running else "these pages were not read"
        return f"the file's {self.seconds:g} s budget (--timeout-per-file) was spent by its pages; {what}"


@dataclass(frozen=True)
class Assembly:
    """The chunks of one split file that are in so far."""

    split: Split
    expected: int  # chunks
    parts: tuple[tuple[tuple[int, int], PagesOrError], ...] = ()
    seconds: float = 0.0  # the workers' time on them

    def add(self, chunk: Chunk, outcome: Outcome[UnitResult]) -> Assembly:
        parts = (*self.parts, ((chunk.start, chunk.stop), _part(outcome)))
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
    seconds_per_file: float | None = None,
    on_pages: Callable[[FileTask, int, int], None] | None = None,
) -> Iterator[tuple[FileTask, ReportResult]]:
    """Each task's report, in completion order; never raises per file. `on_split(task, split,
    chunks)` is told when a worker hands back a file to spread; a split file's units share
    `seconds_per_file` of worker time (`Budgets`); `on_pages(task, pages done, pages)` after each
    chunk of a split file that comes back (a progress bar's pages of a large scan)."""
    feed: Feed[Unit] = Feed(tasks)
    splits: dict[FileTask, Assembly] = {}
    budgets = Budgets(seconds_per_file)
    for unit, outcome in pool.run(work, feed, budgets.overdue):
        if isinstance(unit, Chunk):
            budgets.spend(unit.task, outcome.seconds)
            assembly = splits.pop(unit.task).add(unit, outcome)
            if budgets.spent(unit.task):  # the chunks not started are not read at all
                unread = Failed("timeout", budgets.message(False), 0.0)
                for left in feed.withdraw(_chunk_of(unit.task)):
                    assert isinstance(left, Chunk)
                    assembly = assembly.add(left, unread)
            if on_pages is not None:
                done = len(assembly.split.opening.pages) + sum(b - a for (a, b), _ in assembly.parts)
                on_pages(unit.task, done, len(assembly.split.opening.sizes))
            if assembly.complete:
                yield unit.task, assemble(assembly.split, assembly.parts, assembly.seconds)
            else:
                splits[unit.task] = assembly
            continue
        result = _file_result(unit, outcome)
        if isinstance(result, Split):
            budgets.spend(unit, outcome.seconds)
            chunks = chunks_of(unit, result, chunk_pages)
            splits[unit] = Assembly(result, len(chunks))
            feed.hurry(chunks)
            on_split(unit, result, len(chunks))
        else:
            yield unit, result


def _chunk_of(task: FileTask) -> Callable[[Unit], bool]:
    def chunk_of_task(unit: Unit) -> bool:
        return isinstance(unit, Chunk) and unit.task == task

    return chunk_of_task


def _file_result(task: FileTask, outcome: Outcome[UnitResult]) -> ReportResult | Split:
    if isinstance(outcome, Done) and isinstance(outcome.value, ReportResult | Split):
        return outcome.value
    failed = outcome if isinstance(outcome, Failed) else _unexpected(outcome)
    source = SourceFile(task.report_id, task.primary.path, task.primary.size, task.primary.mtime_us / 1e6)
    result = failed_result(
        source, PipelineError("worker", failed.reason, failed.message), time.perf_counter()
    )
    return replace(result, seconds=failed.seconds)


def _part(outcome: Outcome[UnitResult]) -> PagesOrError:
    if isinstance(outcome, Done) and isinstance(outcome.value, list):
        return outcome.value
    failed = outcome if isinstance(outcome, Failed) else _unexpected(outcome)
    return PipelineError("worker", failed.reason, failed.message)


def _unexpected(outcome: Done[Any]) -> Failed:
    """A worker's answer of the wrong kind (a bug): the unit fails like one whose job raised."""
    return Failed("worker_error", f"unexpected result {type(outcome.value).__name__}", outcome.seconds)
