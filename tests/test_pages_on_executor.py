"""The per-page seam of the API: a scan's OCR pages read on other processes give the same report.

`process_file(path, pages_on=executor)` spreads the pages that need OCR over any
`concurrent.futures.Executor`; the runner spreads them over its own workers the same way
(test_split.py). The readings are tesseract's, replayed (test_engines.py), so this is fast.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

from pipeline import ReadOptions, process_file
from pipeline.core.model import ReportResult
from pipeline.process import SplitPolicy

from .test_engines import REPLAY, SCAN, pytestmark  # noqa: F401  (needs the corpus)

OPTIONS = ReadOptions(ocr_engine=f"replay:{REPLAY}")


def _timeless(result: ReportResult) -> ReportResult:
    pages = tuple(replace(p, seconds=0.0) for p in result.pages)
    return replace(result, pages=pages, seconds=0.0, finished_at=datetime(2000, 1, 1, tzinfo=UTC))


def test_pages_spread_over_processes_give_the_serial_result() -> None:
    serial = process_file(SCAN, options=OPTIONS)
    with ProcessPoolExecutor(2) as pool:
        spread = process_file(SCAN, options=OPTIONS, pages_on=pool, policy=SplitPolicy(pages=1, chunk=2))
    assert serial.status == "ok" and len(serial.pages) == 5 and len(serial.facts) > 100
    assert _timeless(spread) == _timeless(serial)


def test_a_task_the_executor_lost_fails_only_its_pages() -> None:
    class Lossy(ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            start = args[2]
            if start == 2:  # pages 3-4: the process that read them died
                return super().submit(_raise)
            return super().submit(fn, *args, **kwargs)

    with Lossy(2) as pool:
        result = process_file(SCAN, options=OPTIONS, pages_on=pool, policy=SplitPolicy(pages=1, chunk=2))
    assert result.status == "partial" and len(result.pages) == 5
    lost = [(e.error, e.page) for e in result.errors if e.stage == "worker"]
    assert lost == [("worker_crashed", 3), ("worker_crashed", 4)]
    # what those pages held is missing, and said so: 表三's tail (page 3), 表四 (page 4)
    assert {e.error for e in result.errors if e.stage == "facts"} >= {"table_incomplete", "table_not_found"}


def _raise() -> None:
    raise RuntimeError("a process in the pool was terminated abruptly")
