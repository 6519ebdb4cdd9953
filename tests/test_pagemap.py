"""The per-page seam: pages read on other processes give the very same report."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.core.model import ReportResult
from pipeline.extract.pagemap import ExecutorPages
from pipeline.process import IngestOptions, process_file


def _timeless(result: ReportResult) -> ReportResult:
    pages = tuple(replace(p, seconds=0.0) for p in result.pages)
    return replace(result, pages=pages, seconds=0.0, finished_at=datetime(2000, 1, 1, tzinfo=UTC))


def test_pages_spread_over_processes_give_the_serial_result(sample_pdfs: list[Path]) -> None:
    pdf = max(sample_pdfs, key=lambda p: p.stat().st_size)
    serial = process_file(pdf, pdf.parent, IngestOptions())
    with ProcessPoolExecutor(2) as pool:
        spread = process_file(pdf, pdf.parent, IngestOptions(), ExecutorPages(pool, chunk=1))
    assert serial.status == "ok" and len(serial.pages) >= 3
    assert _timeless(spread) == _timeless(serial)
