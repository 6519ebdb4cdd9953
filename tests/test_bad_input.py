"""Hostile files end as `failed` report rows with a stable error class; the batch goes on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import CORPUS, ingest_to, needs_corpus


def _make_hostile(folder: Path) -> dict[str, str]:
    """name → expected error class."""
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.pdf").write_text("这不是PDF文件\n", encoding="utf-8")
    (folder / "header-only.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    return {"empty.pdf": "empty_file", "notes.pdf": "not_a_pdf", "header-only.pdf": "corrupt_pdf"}


def test_hostile_files_fail_cleanly_and_the_batch_completes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    expected = _make_hostile(src)
    out = ingest_to(src, tmp_path / "out")
    reports = pd.read_parquet(out / "reports")
    errors = pd.read_parquet(out / "errors")
    assert sorted(reports.source_path) == sorted(expected)
    assert set(reports.status) == {"failed"}
    assert dict(zip(errors.source_path, errors.error, strict=True)) == expected
    assert errors.message.str.len().min() > 10


@needs_corpus
def test_corpus_hostile_files_and_good_files_in_one_run(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("corrupt.pdf", "encrypted.pdf"):
        shutil.copy(CORPUS / "bad" / name, src / name)
    shutil.copy(CORPUS / "pdf" / "2024_huaian-city.pdf", src / "good.pdf")
    out = ingest_to(src, tmp_path / "out")
    reports = pd.read_parquet(out / "reports").set_index("source_path")
    assert reports.loc["good.pdf", "status"] == "ok"
    assert reports.loc["corrupt.pdf", "status"] == "failed"
    assert reports.loc["encrypted.pdf", "status"] == "failed"
    errors = pd.read_parquet(out / "errors").set_index("source_path")
    assert errors.loc["corrupt.pdf", "error"] == "corrupt_pdf"
    assert errors.loc["encrypted.pdf", "error"] == "encrypted_pdf"
    assert "password" in errors.loc["encrypted.pdf", "message"]


@needs_corpus
def test_encrypted_file_opens_with_its_password(tmp_path: Path) -> None:
    out = ingest_to(CORPUS / "bad" / "encrypted.pdf", tmp_path / "out", password="devcorpus-user")
    reports = pd.read_parquet(out / "reports")
    assert list(reports.status) == ["ok"]
    assert len(pd.read_parquet(out / "facts")) >= 186


@pytest.mark.parametrize(("make_bad", "code"), [(False, 0), (True, 1)])
def test_cli_exit_code_says_whether_any_file_failed(tmp_path: Path, make_bad: bool, code: int) -> None:
    src = tmp_path / "src"
    src.mkdir()
    if make_bad:
        _make_hostile(src)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(src), "--dataset", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == code, run.stderr
    assert "reports:" in run.stdout
    assert "Run report" in (tmp_path / "out" / "_report.html").read_text(
        encoding="utf-8"
    )  # written after the run
    if make_bad:
        assert "failed: empty.pdf: empty_file" in run.stdout


def test_cli_cannot_run_on_a_missing_folder(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(tmp_path / "nope"),
            "--dataset",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "does not exist" in run.stderr


def test_help_explains_every_option() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--dataset", "--ocr", "--password", "--batch-size", "--quiet"):
        assert option in run.stdout
