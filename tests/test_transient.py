"""A file that cannot be read tonight, or that changes while it is read, is a fact about tonight:
it never removes what earlier runs committed, and it is read again next run (issue 14, faults 2
and 9). A damaged page tree is `corrupt_pdf`, not a bug's class."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from .batchkit import cli
from .confine import cli_powerless
from .conftest import ROOT
from .hostile import parser_loop, raw_pdf


def rows_of(out: Path, path: str) -> dict[str, object]:
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    row = reports.loc[path]
    facts = pd.read_parquet(out / "facts")
    return {
        "report_id": row.report_id,
        "status": row.status,
        "facts": int((facts.report_id == row.report_id).sum()),
    }


def test_a_file_unreadable_for_a_night_keeps_its_rows_and_is_read_again(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(sample_pdfs[0], src / "a.pdf")
    shutil.copy(sample_pdfs[1], src / "b.pdf")
    assert cli("ingest", src, "--dataset", out, "--no-report").returncode == 0
    before = rows_of(out, "a.pdf")
    os.utime(src / "a.pdf")  # touched: the next run must read it to know whether it changed
    (src / "a.pdf").chmod(0o000)
    try:
        night = cli_powerless("ingest", src, "--dataset", out, "--no-report")
    finally:
        (src / "a.pdf").chmod(0o644)
    assert night.returncode == 1, night.stderr  # told as a failure of the night
    assert "not read: a.pdf: unreadable_file" in night.stdout, night.stdout
    assert rows_of(out, "a.pdf") == before  # its committed rows are all still there
    assert len(pd.read_parquet(out / "reports")) == 2
    assert pd.read_parquet(out / "errors").empty  # nothing recorded against the good report

    morning = cli("ingest", src, "--dataset", out, "--no-report")
    assert morning.returncode == 0, morning.stderr
    assert "1 path updates" in morning.stdout  # read again: the same bytes, its new mtime recorded
    assert rows_of(out, "a.pdf") == before
    forced = cli("ingest", src, "--dataset", out, "--no-report", "--retry-failed", "--force")
    assert forced.returncode == 0 and "2 ok" in forced.stdout, forced.stdout


def test_a_new_file_unreadable_at_first_is_read_once_it_can_be(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(sample_pdfs[0], src / "a.pdf")
    (src / "a.pdf").chmod(0o000)
    try:
        first = cli_powerless("ingest", src, "--dataset", out, "--no-report")
    finally:
        (src / "a.pdf").chmod(0o644)  # same size, same mtime: only a new attempt can tell
    assert first.returncode == 1, first.stderr
    errors = pd.read_parquet(out / "errors")
    assert errors.error.tolist() == ["unreadable_file"] and errors.report_id.isna().all()
    again = cli("ingest", src, "--dataset", out, "--no-report")
    assert again.returncode == 0, again.stderr
    assert rows_of(out, "a.pdf")["status"] == "ok"
    assert pd.read_parquet(out / "errors").empty
    assert len(pd.read_parquet(out / "reports")) == 1


def test_a_page_tree_that_is_its_own_kid_is_a_corrupt_pdf(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "loop.pdf").write_bytes(
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    )
    (src / "half.pdf").write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        )
    )
    run = cli("ingest", src, "--dataset", tmp_path / "out", "--no-report")
    assert run.returncode == 1, run.stderr
    errors = pd.read_parquet(tmp_path / "out" / "errors").set_index("source_path")
    assert errors.loc["loop.pdf", "error"] == "corrupt_pdf"
    half = errors.loc[["half.pdf"]]
    assert "page_failed" in set(half.error) and "internal_error" not in set(half.error)  # page 2 only


@pytest.mark.slow
def test_a_file_rewritten_while_it_is_read_is_file_changed_and_read_again(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    parser_loop(src / "moving.pdf", paths=150_000)  # a few seconds of PDFium for the worker
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(src),
            "--out",
            str(out),
            "--workers",
            "1",
            "--no-report",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not list((out / "runs").glob("part-*-running.parquet")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(1.5)  # the worker has hashed it and is reading it
    assert proc.poll() is None
    shutil.copy(sample_pdfs[0], src / "moving.pdf")  # rewritten in place, other bytes
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    assert "file_changed" in stdout, stdout
    errors = pd.read_parquet(out / "errors")
    assert errors.error.tolist() == ["file_changed"] and errors.report_id.isna().all()
    again = cli("ingest", src, "--dataset", out, "--no-report")
    assert again.returncode == 0, again.stderr
    assert rows_of(out, "moving.pdf")["status"] == "ok"
    assert pd.read_parquet(out / "errors").empty
