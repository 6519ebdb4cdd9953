"""Hostile files all end as `failed` reports with a stable error class; the batch completes.

The parser-loop file keeps PDFium busy for minutes: only the per-file timeout, in a worker
process that can be killed, stops it (and then only that file fails).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from .batchkit import cli
from .conftest import needs_corpus
from .hostile import make_hostile, parser_loop


@needs_corpus
def test_every_hostile_file_fails_with_its_class_and_the_run_completes(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    expected = make_hostile(src)
    for pdf in sample_pdfs[:2]:
        shutil.copy(pdf, src / pdf.name)
    run = cli("ingest", src, "--dataset", out, "--timeout-per-file", "4", "--workers", "2")
    assert run.returncode == 1, run.stderr
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    errors = pd.read_parquet(out / "errors").set_index("source_path")
    for name, error in expected.items():
        assert reports.loc[name, "status"] == "failed", name
        assert errors.loc[name, "error"] == error, (name, errors.loc[name, "message"])
        assert f"failed: {name}: {error}" in run.stdout
    for pdf in sample_pdfs[:2]:
        assert reports.loc[pdf.name, "status"] == "ok"
    assert errors.loc["loop.pdf", "stage"] == "worker"
    assert pd.read_parquet(out / "runs").outcome.tolist() == ["some_failed"]
    again = cli("ingest", src, "--dataset", out)  # failures are results too: not redone
    assert again.returncode == 0, again.stdout
    assert f"{len(expected) + 2} skipped" in again.stdout


def test_a_worker_over_its_memory_limit_is_killed_and_the_run_goes_on(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    parser_loop(src / "hungry.pdf")
    shutil.copy(sample_pdfs[0], src / "good.pdf")
    run = cli(
        "ingest", src, "--dataset", out, "--max-memory", "250M", "--timeout-per-file", "120", "--workers", "1"
    )
    assert run.returncode == 1, run.stderr
    errors = pd.read_parquet(out / "errors").set_index("source_path")
    assert errors.loc["hungry.pdf", "error"] == "memory"
    assert "250 MiB limit" in errors.loc["hungry.pdf", "message"]
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    assert reports.loc["good.pdf", "status"] == "ok"
    assert reports.loc["hungry.pdf", "report_id"] is not None  # hashed before it was sent to a worker


def test_limits_can_be_lifted_for_a_file_that_needs_them(tmp_path: Path) -> None:
    """2,000 blank pages: refused under the default limit, read (and found empty) above it."""
    src = tmp_path / "src"
    src.mkdir()
    from .hostile import two_thousand_pages

    two_thousand_pages(src / "2000-pages.pdf")
    refused = cli("ingest", src, "--dataset", tmp_path / "refused")
    assert refused.returncode == 1, refused.stderr
    assert pd.read_parquet(tmp_path / "refused" / "errors").error.tolist() == ["too_many_pages"]
    run = cli("ingest", src, "--dataset", tmp_path / "out", "--max-pages", "5000")
    assert run.returncode == 0, run.stderr
    report = pd.read_parquet(tmp_path / "out" / "reports").iloc[0]
    assert (report.status, report.pages) == ("partial", 2000)
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert errors.error.tolist() == ["no_text", *["doc_field_missing"] * 3]  # office, year, format
