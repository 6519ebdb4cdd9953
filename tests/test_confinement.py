"""Nothing is written, moved or deleted outside the dataset (issue 14, fault 4): a journal record is
replayed only if every path in it stays inside the dataset, and the files the writer creates at
names someone could plant a symbolic link at are never opened through it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from .batchkit import cli


@pytest.fixture
def dataset(tmp_path: Path, sample_pdfs: list[Path]) -> Path:
    out = tmp_path / "out"
    assert cli("ingest", sample_pdfs[0], "--dataset", out, "--no-report").returncode == 0
    return out


def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir(exist_ok=True)
    (folder / "victim.txt").write_text("precious\n", encoding="utf-8")
    shutil.copy(next((tmp_path / "out" / "reports").glob("part-*.parquet")), folder / "planted.parquet")
    return folder


def replay(out: Path, sample: Path) -> tuple[int, str]:
    run = cli("ingest", sample, "--dataset", out, "--no-report")
    return run.returncode, run.stderr


@pytest.mark.parametrize(
    "record",
    [
        {"removes": ["../outside/victim.txt"], "moves": []},
        {"removes": ["{outside}/victim.txt"], "moves": []},
        {"removes": [], "moves": [["../outside/planted.parquet", "facts/part-evil.parquet"]]},
        {"removes": [], "moves": [["reports/part-anchor.parquet", "../outside/moved.parquet"]]},
        {"removes": ["errors/../../outside/victim.txt"], "moves": []},
        {"removes": ["errors"], "moves": []},
        "not json at all",
    ],
)
def test_a_crafted_journal_record_is_refused(
    tmp_path: Path, dataset: Path, sample_pdfs: list[Path], record: object
) -> None:
    folder = outside(tmp_path)
    text = record if isinstance(record, str) else json.dumps(record).replace("{outside}", str(folder))
    (dataset / "_journal").mkdir(exist_ok=True)
    (dataset / "_journal" / "batch-evil.json").write_text(text, encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    code, stderr = replay(dataset, sample_pdfs[1])
    assert code == 2, stderr
    assert "_journal/batch-evil.json" in stderr and "Traceback" not in stderr
    assert sorted(p.name for p in folder.iterdir()) == before
    assert (folder / "victim.txt").read_text(encoding="utf-8") == "precious\n"
    assert len(pd.read_parquet(dataset / "reports")) == 1  # the dataset as it was, still readable


def test_a_record_through_a_symlinked_folder_is_refused(
    tmp_path: Path, dataset: Path, sample_pdfs: list[Path]
) -> None:
    folder = outside(tmp_path)
    (dataset / "_pending").mkdir(exist_ok=True)
    (dataset / "_pending" / "facts").symlink_to(folder)
    record = {"removes": ["_pending/facts/victim.txt"], "moves": []}
    (dataset / "_journal").mkdir(exist_ok=True)
    (dataset / "_journal" / "batch-evil.json").write_text(json.dumps(record), encoding="utf-8")
    code, stderr = replay(dataset, sample_pdfs[1])
    assert code == 2, stderr
    assert "symbolic link" in stderr
    assert (folder / "victim.txt").exists()


def test_a_planted_lock_link_is_not_followed(tmp_path: Path, dataset: Path, sample_pdfs: list[Path]) -> None:
    folder = outside(tmp_path)
    (dataset / ".lock").unlink()
    (dataset / ".lock").symlink_to(folder / "victim.txt")
    code, stderr = replay(dataset, sample_pdfs[1])
    assert code == 2, stderr
    assert ".lock" in stderr and "symbolic link" in stderr and "Traceback" not in stderr
    assert (folder / "victim.txt").read_text(encoding="utf-8") == "precious\n"


def test_a_planted_report_temporary_link_is_not_followed(
    tmp_path: Path, dataset: Path, sample_pdfs: list[Path]
) -> None:
    folder = outside(tmp_path)
    (dataset / "._report.html.tmp").symlink_to(folder / "victim.txt")
    run = cli("ingest", sample_pdfs[1], "--dataset", dataset)
    assert run.returncode == 0, run.stderr
    assert (folder / "victim.txt").read_text(encoding="utf-8") == "precious\n"
    assert "Run report" in (dataset / "_report.html").read_text(encoding="utf-8")
    assert not (dataset / "._report.html.tmp").exists()
