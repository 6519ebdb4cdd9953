"""Large scanned files read in chunks of pages over the workers: the same rows as read whole.

Real scans, real tesseract, real worker processes (and a real Dask LocalCluster). OCR costs
seconds a page, so each test reads a few pages only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.core.model import Opening, Page, PathStat, PipelineError, SourceFile
from pipeline.process import Split, SplitPolicy, assemble, read_page_range
from pipeline.run.inventory import FileTask
from pipeline.run.log import Event, RunSummary
from pipeline.run.units import Chunk, chunks_of

from .batchkit import assert_each_report_once, assert_same_data, cli
from .hostile import heavy_scan
from .ocr_support import PDF, SCAN, needs_tesseract

SCANNED = SCAN / "2023_huaian-hongze_scan.pdf"  # 5 pages: 表二 runs over pages 2-3, 表三 over 3-4
needs_scan = pytest.mark.skipif(not SCANNED.is_file(), reason="the corpus scans are not here")
TEXT = PDF / "2024_huaian-city.pdf"  # the text original of the scan pages of the mixed test file


def run(src: Path, out: Path, **options: object) -> tuple[RunSummary, list[Event]]:
    events: list[Event] = []
    summary = ingest(src, out, ReadOptions(), RunOptions(**options), events.append)  # type: ignore[arg-type]
    assert isinstance(summary, RunSummary)
    return summary, events


def splits(events: list[Event]) -> list[dict[str, object]]:
    return [dict(e.data) for e in events if e.kind == "split"]


@pytest.fixture(scope="module")
def scan_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SCANNED.is_file():
        pytest.skip("the corpus scans are not here")
    src = tmp_path_factory.mktemp("scan-src")
    (src / SCANNED.name).write_bytes(SCANNED.read_bytes())
    return src


@pytest.fixture(scope="module")
def whole(scan_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scan read whole by one worker (no split): the rows every split run must give."""
    out = tmp_path_factory.mktemp("whole")
    summary, events = run(scan_src, out, workers=1, split_pages=0)
    assert (summary.ok, summary.pages) == (1, 5) and not splits(events)
    return out


def test_a_worker_stops_only_in_a_large_file_with_more_than_a_chunk_left() -> None:
    policy = SplitPolicy(pages=4, chunk=2)
    assert [i for i in range(10) if policy.stops_at(i, 10)] == list(range(8))
    assert not any(policy.stops_at(i, 4) for i in range(4))  # not more than 4 pages
    assert not any(SplitPolicy(pages=0).stops_at(i, 100) for i in range(100))  # 0: never


def split_of(pages: int) -> tuple[FileTask, Split]:
    task = FileTask("r" * 64, (PathStat("a.pdf", 1, 1),), False)
    opening = Opening((), ((595.0, 842.0),) * pages, {})
    return task, Split(Path("a.pdf"), SourceFile(task.report_id, "a.pdf", 1, 0.0), opening, 0.1)


def test_chunks_cover_exactly_the_pages_left() -> None:
    task, split = split_of(7)
    assert chunks_of(task, split, 3) == (Chunk(task, 0, 3), Chunk(task, 3, 6), Chunk(task, 6, 7))


@pytest.mark.skipif(not TEXT.is_file(), reason="the corpus PDFs are not here")
def test_pages_of_a_killed_chunk_are_failed_pages_with_the_workers_reason() -> None:
    task, split = split_of(3)
    first, second = split.page_ranges(2)
    read = read_page_range(TEXT, ReadOptions(), 2, 3)
    killed = PipelineError("worker", "memory", "the worker used 2000 MiB")
    result = assemble(split, [(second, read), (first, killed)], 3.5)
    assert result.status == "partial" and [p.page for p in result.pages] == [1, 2, 3]
    assert [(e.stage, e.error, e.page) for e in result.errors if e.stage == "worker"] == [
        ("worker", "memory", 1),
        ("worker", "memory", 2),
    ]
    assert {e.stage for e in result.errors} >= {"fields", "facts"}  # the title and tables went with them
    assert [p.ocr_reason for p in result.pages] == ["page_failed", "page_failed", "text_layer_ok"]
    assert result.source.report_id == task.report_id and result.seconds >= 3.6


def test_a_file_whose_every_chunk_was_killed_fails_with_the_workers_reason() -> None:
    _, split = split_of(4)
    parts: list[tuple[tuple[int, int], list[Page] | PipelineError]] = [
        (r, PipelineError("worker", "timeout", f"no result after 9 s ({r[0]})")) for r in split.page_ranges(2)
    ]
    result = assemble(split, parts[::-1], 18.0)
    assert (result.status, result.pages) == ("failed", ())
    assert [(e.stage, e.error) for e in result.errors] == [("worker", "timeout")]
    assert "(0)" in result.errors[0].message  # the first chunk's reason


@needs_tesseract
@needs_scan
@pytest.mark.slow
def test_a_split_scan_gives_the_rows_of_the_whole_file(scan_src: Path, whole: Path, tmp_path: Path) -> None:
    summary, events = run(scan_src, tmp_path / "split", workers=2, split_pages=2, chunk_pages=1)
    assert splits(events) == [
        {
            "path": SCANNED.name,
            "report_id": splits(events)[0]["report_id"],
            "pages": 5,
            "read": 0,
            "chunks": 5,
        }
    ]
    assert (summary.ok, summary.partial, summary.failed, summary.pages) == (1, 0, 0, 5)
    assert_same_data(whole, tmp_path / "split")  # facts, sections, pages (but timing), checks, reports
    assert_each_report_once(tmp_path / "split")
    assert set(pd.read_parquet(tmp_path / "split" / "pages").method) == {"ocr"}


@needs_tesseract
@needs_scan
@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_rows_for_a_split_scan(
    scan_src: Path, whole: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary, events = run(
            scan_src,
            tmp_path / "dask",
            executor="dask",
            scheduler=cluster.scheduler_address,
            split_pages=2,
            chunk_pages=2,
        )
    assert [e["chunks"] for e in splits(events)] == [3]
    assert (summary.ok, summary.pages) == (1, 5)
    assert_same_data(whole, tmp_path / "dask")


def scan_then_text(path: Path) -> None:
    """Page 1 a scan (seconds of OCR), pages 2-6 the text pages of a report."""
    out = pdfium.PdfDocument.new()
    for source, pages in (
        (SCAN / "2018_pingtan-syq_80529_scan.pdf", [0]),  # the corpus's slowest page to OCR
        (TEXT, [1, 2, 3, 4, 5]),
    ):
        doc = pdfium.PdfDocument(str(source))
        out.import_pages(doc, pages)
        doc.close()
    out.save(str(path))
    out.close()


@needs_tesseract
@needs_scan
@pytest.mark.slow
def test_a_killed_chunk_loses_only_its_pages(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    scan_then_text(src / "mixed.pdf")
    # OCR of the scanned page takes 2.5-4 s: its chunk is killed when the file's 2 s budget is
    # spent; a text page takes ~20 ms, all five are read on the other worker well before that
    summary, events = run(
        src, tmp_path / "out", workers=2, split_pages=2, chunk_pages=1, timeout_per_file=2.0
    )
    assert [e["chunks"] for e in splits(events)] == [6]
    assert (summary.partial, summary.failed, summary.pages) == (1, 0, 6)
    out = tmp_path / "out"
    errors = pd.read_parquet(out / "errors")
    assert errors[errors.stage == "worker"][["error", "page"]].values.tolist() == [["timeout", 1]]
    assert "2 s budget (--timeout-per-file)" in errors.message[0]
    assert not (errors.stage == "facts").any()  # page 1 held no table: every table is complete
    pages = pd.read_parquet(out / "pages").set_index("page").sort_index()
    assert pages.loc[1, "ocr_reason"] == "page_failed"
    assert (pages.loc[2:, "method"] == "text").all() and (pages.loc[2:, "chars"] > 100).all()
    facts = pd.read_parquet(out / "facts")
    assert {"t3", "t4"} <= set(facts.table) and facts.page.min() >= 2  # the tables of pages 3-6 are there
    assert pd.read_parquet(out / "reports").status.tolist() == ["partial"]


def test_the_time_limit_bounds_a_split_file_as_a_whole(tmp_path: Path) -> None:
    """Issue 14, fault 7: `--timeout-per-file` is the whole file's budget of worker time, however
    many chunks its pages are read in: once its units have used it, the running chunks are
    killed and the others never start; their pages fail with `timeout` (all of the file, if no
    page was done by then: what a whole read over its limit gives)."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    heavy_scan(src / "long.pdf", pages=16, paths=30_000)  # about a second of PDFium a page, or two
    budget = 4  # a quarter of what the pages take, on a quiet machine or a busy one
    run = cli(
        "ingest",
        src,
        "--dataset",
        out,
        "--workers",
        "2",
        "--timeout-per-file",
        str(budget),
        "--ocr-engine",
        "none",
    )
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    report = pd.read_parquet(out / "reports").iloc[0]
    errors = pd.read_parquet(out / "errors")
    timeouts = errors[errors.error == "timeout"]
    assert len(timeouts) and timeouts.message.str.contains("budget").all(), errors[
        ["error", "page", "message"]
    ]
    if report.status == "partial":  # some pages were done in time: the others failed
        assert len(timeouts) >= 8 and timeouts.page.notna().all()
    else:
        assert report.status == "failed"
    assert report.seconds <= budget + 1.5, report.seconds  # the workers' time on the file, all units
