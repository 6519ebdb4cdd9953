"""The Python API at the package top, as the README shows it: ingest, process_file, open_dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline import ReadOptions, RunOptions
from pipeline.run.log import RunSummary


@pytest.fixture(scope="module")
def dataset(sample_pdfs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated reports and a file that is not a PDF (a failed report)."""
    src = tmp_path_factory.mktemp("api-src")
    for pdf in sample_pdfs[:3]:
        shutil.copy(pdf, src / pdf.name)
    (src / "broken.pdf").write_bytes(b"not a pdf at all")
    out = tmp_path_factory.mktemp("api-out")
    summary = pipeline.ingest(src, out, ReadOptions(), RunOptions(workers=1))
    assert isinstance(summary, RunSummary) and (summary.ok, summary.failed) == (3, 1)
    return out


def test_process_file_gives_a_report_without_writing(sample_pdfs: list[Path], tmp_path: Path) -> None:
    result = pipeline.process_file(sample_pdfs[1])
    assert result.status == "ok" and result.meta is not None
    assert result.meta.year and result.meta.office and len(result.facts) > 10
    assert result.source.path == sample_pdfs[1].name and len(result.source.report_id) == 64


def test_pandas_keeps_integer_columns_integer_beside_a_failed_report(dataset: Path) -> None:
    reports = pipeline.open_dataset(dataset).pandas("reports")
    assert len(reports) == 4 and reports.year.isna().sum() == 1  # the failed report has no year
    assert reports.year.dtype == pd.Int16Dtype() and reports.pages.dtype == pd.Int16Dtype()


def test_polars_arrow_and_duckdb_see_the_same_rows(dataset: Path) -> None:
    data = pipeline.open_dataset(dataset)
    facts = data.arrow("facts")
    assert data.polars("facts").height == facts.num_rows > 0
    con = data.duckdb()
    assert con.sql("SELECT count(*) FROM facts").fetchall() == [(facts.num_rows,)]
    failed = con.sql("SELECT source_path FROM reports WHERE status = 'failed'").fetchall()
    assert failed == [("broken.pdf",)]
    assert set(data.tables()) >= {"reports", "facts", "sections", "pages", "checks", "errors", "runs"}


def test_an_empty_folder_is_a_dataset_with_no_tables(tmp_path: Path) -> None:
    data = pipeline.open_dataset(tmp_path)
    assert data.tables() == [] and data.arrow("facts").num_rows == 0


def test_the_panel_and_offices_as_pandas_polars_and_duckdb(dataset: Path) -> None:
    data = pipeline.open_dataset(dataset)
    panel = data.panel()
    assert len(panel) == 3 and panel.year.dtype == pd.Int16Dtype()
    assert {"requests_received", "requests_received_source", "requests_received_checked"} <= set(panel)
    assert data.panel("polars").height == 3 and data.panel("arrow").num_rows == 3
    assert data.duckdb().sql("SELECT count(*) FROM offices").fetchall() == [(len(data.offices()),)]
    with pytest.raises(ValueError, match="kind"):
        data.panel("excel")
