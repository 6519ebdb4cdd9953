"""Incremental runs: a report is its sha256; only what changed is redone, nothing is lost twice."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import pipeline.run.archive
import pipeline.run.update
from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.run.log import RunSummary

from .batchkit import assert_each_report_once, assert_same_data, distinct_copy, make_archive

RUN = RunOptions(workers=2, batch_size=3)


def run(src: Path, out: Path, **changes: object) -> RunSummary:
    summary = ingest(src, out, ReadOptions(), RunOptions(**{**RUN.__dict__, **changes}))  # type: ignore[arg-type]
    assert isinstance(summary, RunSummary)
    assert summary.outcome in ("ok", "some_failed"), summary.message
    return summary


@pytest.fixture
def archive(tmp_path: Path, sample_pdfs: list[Path]) -> Path:
    src = tmp_path / "src"
    make_archive(sample_pdfs, src, 8)
    return src


def test_a_second_run_reads_no_file_and_changes_nothing(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(archive, out)
    assert (first.files, first.processed, first.ok) == (8, 8, 8)
    before = tmp_path / "before"
    shutil.copytree(out, before)
    second = run(archive, out)
    assert (second.unchanged, second.hashed, second.processed, second.skipped) == (8, 0, 0, 8)
    assert_same_data(before, out)
    runs = pd.read_parquet(out / "runs").sort_values("started_at")
    assert list(runs.outcome) == ["ok", "ok"]
    assert list(runs.processed) == [8, 0]
    assert set(pd.read_parquet(out / "facts").run_id) == {first.run_id}


def test_copies_are_one_report_with_every_path(archive: Path, tmp_path: Path) -> None:
    shutil.copy(archive / "office0" / "r0000.pdf", archive / "copy-a.pdf")
    out = tmp_path / "out"
    first = run(archive, out)
    assert first.processed == 8
    shutil.copy(archive / "office0" / "r0000.pdf", archive / "office3" / "copy-b.pdf")
    second = run(archive, out)
    assert (second.processed, second.path_updates) == (0, 1)
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    paths = list(reports.loc["copy-a.pdf", "source_paths"])
    assert paths == ["copy-a.pdf", "office0/r0000.pdf", "office3/copy-b.pdf"]
    assert len(reports.loc["copy-a.pdf", "source_mtimes"]) == 3
    assert_each_report_once(out)


def test_a_file_changed_in_place_replaces_its_rows(
    archive: Path, tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    out = tmp_path / "out"
    run(archive, out)
    target = archive / "office1" / "r0001.pdf"
    old_id = pd.read_parquet(out / "reports").set_index("source_path").loc["office1/r0001.pdf", "report_id"]
    distinct_copy(sample_pdfs[5], target, "changed")
    second = run(archive, out)
    assert (second.processed, second.removed) == (1, 1)
    for table in ("reports", "facts", "sections", "pages"):
        assert old_id not in set(pd.read_parquet(out / table, columns=["report_id"]).report_id), table
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    assert reports.loc["office1/r0001.pdf", "report_id"] != old_id
    assert len(reports) == 8
    assert_each_report_once(out)
    assert not (out / "_pending" / "reports").exists() or not list((out / "_pending" / "reports").iterdir())


def test_a_vanished_file_is_reported_and_its_rows_kept(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(archive, out)
    (archive / "office2" / "r0002.pdf").unlink()
    summary_file = tmp_path / "summary.json"
    second = run(archive, out, summary_path=summary_file)
    assert second.missing_paths == ("office2/r0002.pdf",)
    assert json.loads(summary_file.read_text())["missing_paths"] == ["office2/r0002.pdf"]
    assert "office2/r0002.pdf" in set(pd.read_parquet(out / "reports").source_path)
    assert pd.read_parquet(out / "runs").missing.max() == 1


def test_a_new_pipeline_version_redoes_everything_once(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(archive, out)
    for module in (pipeline.run.archive, pipeline.run.update):
        monkeypatch.setattr(module, "VERSION", "9.9.9")
    second = run(archive, out)
    assert second.processed == 8
    reports = pd.read_parquet(out / "reports")
    assert set(reports.pipeline_version) == {"9.9.9"}
    assert set(pd.read_parquet(out / "facts").run_id) == {second.run_id}
    assert_each_report_once(out)
    assert run(archive, out).processed == 0
    assert run(archive, out, force=True).processed == 8
    assert_each_report_once(out)


def test_failed_files_are_retried_only_when_asked(archive: Path, tmp_path: Path) -> None:
    (archive / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    out = tmp_path / "out"
    assert run(archive, out).failed == 1
    assert run(archive, out).processed == 0
    again = run(archive, out, retry_failed=True)
    assert (again.processed, again.failed) == (1, 1)
    assert_each_report_once(out)


def test_a_run_over_a_single_file(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    out = tmp_path / "out"
    summary = run(sample_pdfs[0], out)
    assert (summary.files, summary.ok) == (1, 1)
    assert run(sample_pdfs[0], out).skipped == 1


def test_only_regular_files_are_read(archive: Path, tmp_path: Path) -> None:
    os.mkfifo(archive / "pipe.pdf")  # reading it would block the run forever
    (archive / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (archive / "link.pdf").symlink_to(archive / "office0" / "r0000.pdf")
    summary = run(archive, tmp_path / "out")
    assert (summary.files, summary.processed) == (9, 8)
    reports = pd.read_parquet(tmp_path / "out" / "reports").set_index("source_path")
    assert list(reports.loc["link.pdf", "source_paths"]) == ["link.pdf", "office0/r0000.pdf"]
