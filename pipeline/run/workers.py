"""Per-file work in killable worker processes, each held to a time and a memory limit.

A worker is a plain child interpreter (`python -m pipeline.run.workers R W`) that reads pickled
`(function, argument)` jobs from one pipe and writes pickled outcomes to another, one job at a
time. It is not a `multiprocessing` child, so the same runner also works inside Dask's
daemonic worker processes. The parent watches every busy worker: a job over its time limit, or
a worker (with its own children, e.g. an OCR engine) over its memory limit, is killed with
SIGKILL, reported as `Failed("timeout" | "memory")`, and the worker is replaced; the run goes
on. The poll cannot see a job that takes a lot and lets it go between two looks, so the kernel
holds each job too: before a job starts, the worker caps its own writable memory (RLIMIT_DATA,
which its children inherit) (memory_cap.py); an
allocation over that fails (MemoryError: reported as `Failed("memory")`). A worker whose parent
died exits by itself (its job pipe closes, and a watchdog thread notices the re-parenting), so a
killed run leaves no worker behind, even one stuck in a parser loop. Workers stay in the parent's process group, so `kill -9 -PGID` stops them all too.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Literal, TypeVar

import psutil

from pipeline.core.config import FILE_TIMEOUT_S, MAX_MEMORY_MB
from pipeline.run.memory_cap import cap_memory, over_limit

A = TypeVar("A")
R = TypeVar("R")
READY_SECONDS = 120.0  # how long a new worker may take to start
ABORTS = {signal.SIGABRT, signal.SIGTRAP, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL}
FailReason = Literal["timeout", "memory", "worker_crashed", "worker_error"]
# given the busy jobs and their seconds so far, why each must stop now (None: let it run)
Overdue = Callable[[list[tuple[Any, float]]], list[str | None]]


@dataclass(frozen=True)
class Limits:
    seconds: float | None = FILE_TIMEOUT_S  # per job; None: no limit
    memory_bytes: int | None = MAX_MEMORY_MB * 2**20  # resident memory of the worker and its children
    poll_seconds: float = 0.1  # how often a busy worker's clock is checked
    memory_poll_seconds: float = 0.5  # and its memory (listing its children costs ~10 ms)


@dataclass(frozen=True)
class Done(Generic[R]):
    value: R
    seconds: float


@dataclass(frozen=True)
class Failed:
    reason: FailReason
    message: str
    seconds: float


Outcome = Done[R] | Failed


class Worker:
    """One child process and the job it runs (if any).

    The child imports `preload` first and says when it is ready, so that its start-up (an
    interpreter and the PDF libraries: seconds on a loaded machine) never counts against the
    first job's time limit.
    """

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.run.workers", str(job_r), str(out_w), *preload],
            pass_fds=(job_r, out_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        os.close(job_r)
        os.close(out_w)
        self.jobs = Connection(job_w, readable=False)
        self.outcomes = Connection(out_r, writable=False)
        self.started = 0.0
        self.busy = False
        self.memory_checked = 0.0
        self.ps = psutil.Process(self.process.pid)
        self.ready = False
        self.memory_bytes: int | None = None  # the current job's cap

    def wait_ready(self) -> None:
        """Block until the child has started (a child that died at start fails its first job)."""
        with contextlib.suppress(EOFError, OSError):
            if not self.ready and self.outcomes.poll(READY_SECONDS):
                self.outcomes.recv_bytes()
        self.ready = True

    def start(self, fn: Callable[[Any], Any], arg: Any, memory_bytes: int | None = None) -> None:
        self.wait_ready()
        self.jobs.send((fn, arg, memory_bytes))
        self.memory_bytes = memory_bytes
        self.started = time.monotonic()
        self.busy = True

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self, limits: Limits) -> Failed | Done[Any] | None:
        """The job's outcome if it has one now (finished, died, or over a limit), else None."""
        elapsed = self.elapsed
        if self.outcomes.poll():
            try:
                kind, payload = self.outcomes.recv()
            except (EOFError, OSError):
                return self._end(Failed("worker_crashed", self._death(), elapsed))
            self.busy = False
            if kind == "ok":
                return Done(payload, elapsed)
            return Failed("memory" if kind == "memory" else "worker_error", payload, elapsed)
        if self.process.poll() is not None:
            return self._end(Failed("worker_crashed", self._death(), elapsed))
        if limits.seconds is not None and elapsed > limits.seconds:
            message = f"no result after {limits.seconds:g} s; the worker was killed"
            return self._end(Failed("timeout", message, elapsed))
        if (
            limits.memory_bytes is not None
            and time.monotonic() - self.memory_checked >= limits.memory_poll_seconds
        ):
            self.memory_checked = time.monotonic()
            used = self.memory()
            if used > limits.memory_bytes:
                message = (
                    f"the worker used {used / 2**20:.0f} MiB, over the "
                    f"{limits.memory_bytes / 2**20:.0f} MiB limit; it was killed"
                )
                return self._end(Failed("memory", message, elapsed))
        return None

    def memory(self) -> int:
        """Resident memory of the worker and its descendants, in bytes."""
        total, todo = 0, [self.process.pid]
        while todo:
            pid = todo.pop()
            with contextlib.suppress(psutil.Error):
                total += psutil.Process(pid).memory_info().rss
            todo.extend(_children(pid))
        return total

    def _death(self) -> str:
        try:  # the pipe closes a moment before the process can be reaped
            code: int | None = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if self.memory_bytes and code is not None and -code in ABORTS:
            cap = self.memory_bytes / 2**20
            return (
                f"the worker process died ({how}); its memory was capped at {cap:.0f} MiB "
                "(--max-memory), and a C library that cannot allocate ends this way"
            )
        return f"the worker process died ({how})"

    def _end(self, failed: Failed) -> Failed:
        self.kill()
        return failed

    def kill(self) -> None:
        """SIGKILL the worker and anything it started; safe to call twice."""
        self.busy = False
        with contextlib.suppress(psutil.Error):
            for child in self.ps.children(recursive=True):
                child.kill()
        self.process.kill()
        self.process.wait()
        self.jobs.close()
        self.outcomes.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and not self.outcomes.closed


def _children(pid: int) -> list[int]:
    """Direct children from /proc/PID/task/*/children (psutil's way scans all of /proc: ~10 ms)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                found.extend(int(child) for child in fh.read().split())
        except OSError:  # a thread that ended, or a kernel without the file: psutil's way
            with contextlib.suppress(psutil.Error):
                return [c.pid for c in psutil.Process(pid).children()]
    return found


class LocalPool:
    """Up to `workers` processes; `run` yields each job's outcome as it ends, in completion order.

    Workers are started when there are jobs for them (all that are needed at once: they boot in
    parallel), so a pool larger than its work costs nothing. `jobs` is read lazily, and read
    again after every outcome: a consumer may add jobs to it while the run goes on (an iterator
    that ran dry and is refilled, see units.Feed); the run ends when it is dry and nothing runs.
    """

    def __init__(self, workers: int, limits: Limits, preload: tuple[str, ...] = ()) -> None:
        self.size = max(1, workers)
        self.limits = limits
        self.preload = preload
        self.workers: list[Worker] = []

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            if worker.alive:
                worker.kill()
        self.workers = []

    def run(
        self, fn: Callable[[A], R], jobs: Iterable[A], overdue: Overdue | None = None
    ) -> Iterator[tuple[A, Outcome[R]]]:
        """Each job's outcome as it ends. `overdue`, asked at every poll, may stop busy jobs
        before their own limit (a budget several jobs share: units.Budgets): they end `timeout`."""
        todo = iter(jobs)
        running: dict[int, A] = {}  # index in self.workers -> argument
        while True:
            taken = take(todo, self.size - len(running))
            while len(self.workers) < len(running) + len(taken):  # start them at once: they boot in parallel
                self.workers.append(Worker(self.preload))
            for arg in taken:
                slot = self._idle_slot(running)
                self.workers[slot].start(fn, arg, self.limits.memory_bytes)
                running[slot] = arg
            if not running:
                return
            wait([self.workers[i].outcomes for i in running], timeout=self.limits.poll_seconds)
            reasons: dict[int, str | None] = {}
            if overdue is not None:
                slots = list(running)
                reasons = dict(
                    zip(slots, overdue([(running[s], self.workers[s].elapsed) for s in slots]), strict=True)
                )
            for slot in list(running):
                outcome = self.workers[slot].check(self.limits)
                if (
                    isinstance(outcome, Failed)
                    and outcome.reason == "timeout"
                    and (budget := reasons.get(slot))
                ):
                    # both limits passed within one poll: the shared budget, spent first, is the cause
                    outcome = Failed("timeout", budget, outcome.seconds)
                if outcome is not None:
                    yield running.pop(slot), outcome
            for slot, reason in reasons.items():
                if reason is not None and slot in running:
                    elapsed = self.workers[slot].elapsed
                    self.workers[slot].kill()
                    yield running.pop(slot), Failed("timeout", reason, elapsed)

    def _idle_slot(self, running: dict[int, Any]) -> int:
        for i, worker in enumerate(self.workers):
            if i not in running:
                if not worker.alive:
                    self.workers[i] = Worker(self.preload)
                return i
        self.workers.append(Worker(self.preload))
        return len(self.workers) - 1


def take(items: Iterator[A], count: int) -> list[A]:
    """Up to `count` items; fewer if `items` runs dry (it may be refilled later)."""
    taken: list[A] = []
    for _ in range(count):
        item = next(items, _END)
        if item is _END:
            break
        taken.append(item)
    return taken


_END: Any = object()


def run_limited(pool: LocalPool, fn: Callable[[A], R], arg: A) -> Outcome[R]:
    """One job on a (one-worker) pool, blocking: how a Dask task gets the same limits."""
    for _, outcome in pool.run(fn, [arg]):
        return outcome
    raise AssertionError("a pool always yields one outcome per job")


def serve(job_fd: int, outcome_fd: int, preload: list[str]) -> None:
    """The worker side: run jobs until the parent closes the pipe or dies. Ctrl-C reaches the whole
    process group: the parent decides what to do (it stops the run and kills its workers), so a
    worker ignores SIGINT instead of printing a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    jobs = Connection(job_fd, writable=False)
    outcomes = Connection(outcome_fd, readable=False)
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    for module in preload:
        importlib.import_module(module)
    outcomes.send_bytes(b"ready")
    while True:
        try:
            fn, arg, memory_bytes = jobs.recv()
        except (EOFError, OSError):
            return
        cap_memory(memory_bytes)
        try:
            reply: tuple[str, Any] = ("ok", fn(arg))
            payload = pickle.dumps(reply)
        except MemoryError:  # over the cap the kernel holds: the limit, however fast it got there
            payload = pickle.dumps(("memory", over_limit(memory_bytes)))
        except Exception as exc:  # the job's own failure is reported, the worker lives on
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        try:
            outcomes.send_bytes(payload)
        except OSError:
            return


def _exit_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
