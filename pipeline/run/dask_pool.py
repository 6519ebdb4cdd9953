"""The same per-file work on a Dask cluster (`distributed`), with the same limits and results.

Each Dask worker gets a plugin holding one killable worker process per Dask thread (workers.py):
a task runs `run_unit` there (a whole file, or a chunk of a split file's pages), so a file that hangs PDFium or eats memory is killed and reported
as `timeout` / `memory` exactly as on the local executor, and the Dask worker lives on. The
parent (this process) keeps at most a few tasks per worker in flight, collects results as they
complete and commits them itself: the cluster only computes, the dataset is written in one place.

Paths are sent, not bytes: the workers must see the archive at the same path (a shared
filesystem). See docs/batch.md for pointing this at a real cluster.
"""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from distributed import WorkerPlugin

from pipeline.run.workers import Failed, Limits, LocalPool, Outcome, Overdue, run_limited, take

A = TypeVar("A")
R = TypeVar("R")
PLUGIN = "govreport-limited-runner"
IN_FLIGHT_PER_WORKER = 4


class LimitedRunnerPlugin(WorkerPlugin):
    """Installed on every Dask worker: a queue of one-process pools, one per worker thread."""

    name = PLUGIN

    def __init__(self, limits: Limits, preload: tuple[str, ...]) -> None:
        self.limits = limits
        self.preload = preload

    def setup(self, worker: Any) -> None:
        self.pools: queue.Queue[LocalPool] = queue.Queue()
        for _ in range(max(1, int(getattr(worker.state, "nthreads", 1)))):
            self.pools.put(LocalPool(1, self.limits, self.preload))

    def teardown(self, worker: Any) -> None:
        while not self.pools.empty():
            self.pools.get_nowait().close()

    def run(self, fn: Callable[[Any], Any], arg: Any) -> Outcome[Any]:
        pool = self.pools.get()
        try:
            return run_limited(pool, fn, arg)
        finally:
            self.pools.put(pool)


def _run_on_worker(fn: Callable[[Any], Any], arg: Any) -> Outcome[Any]:
    from distributed import get_worker

    plugin: LimitedRunnerPlugin = get_worker().plugins[PLUGIN]  # type: ignore[assignment]
    return plugin.run(fn, arg)


class DaskPool:
    """`run` has the contract of `LocalPool.run`: (argument, outcome) pairs in completion order."""

    def __init__(
        self, scheduler: str | None, workers: int, limits: Limits, preload: tuple[str, ...] = ()
    ) -> None:
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.limits = limits
        self.preload = preload
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskPool:
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self.cluster)
        self.client.register_plugin(LimitedRunnerPlugin(self.limits, self.preload), name=PLUGIN)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):  # the cluster may be gone: nothing left to stop then
                self.client.unregister_worker_plugin(PLUGIN)  # stops the runner processes
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def run(
        self, fn: Callable[[A], R], jobs: Iterable[A], overdue: Overdue | None = None
    ) -> Iterator[tuple[A, Outcome[R]]]:
        """Like `LocalPool.run`, `jobs` is read again after every outcome (it may have grown).
        A task running on the cluster cannot be stopped from here: `overdue` is not asked (each
        task keeps its own limit; a budget shared by tasks is enforced as their outcomes come in,
        by not starting the rest: units.run_units)."""
        from distributed import as_completed

        todo = iter(jobs)
        slots = IN_FLIGHT_PER_WORKER * max(
            1, len(self.client.scheduler_info().get("workers", {})) or self.workers
        )
        args: dict[Any, A] = {}
        done = as_completed()

        def top_up() -> None:
            for arg in take(todo, slots - len(args)):
                future = self.client.submit(_run_on_worker, fn, arg, pure=False, retries=0)
                args[future] = arg
                done.add(future)

        top_up()
        for future in done:
            arg = args.pop(future)
            try:
                outcome: Outcome[R] = future.result()
            except Exception as exc:  # the Dask worker itself died (KilledWorker) or the task was lost
                outcome = Failed("worker_crashed", f"Dask: {type(exc).__name__}: {exc}", 0.0)
            yield arg, outcome
            top_up()
