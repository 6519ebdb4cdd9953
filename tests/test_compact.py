"""Compaction: fewer, larger part files, the same data; crash-safe like every commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline.store.compact import compact
from pipeline.store.parts import ANCHOR, part_files

from .batchkit import assert_each_report_once, assert_same_data, cli, make_archive


def data_parts(out: Path, table: str) -> list[Path]:
    return [p for p in part_files(out, table) if p.name != ANCHOR]


def test_compaction_by_size_merges_small_parts_and_keeps_the_data(many_parts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(many_parts, out)
    before = len(data_parts(out, "facts"))
    counts = compact(out, "size", 1 << 30, "c-test")
    assert before >= 12
    assert len(data_parts(out, "facts")) == 1 == counts["facts"][1]
    assert (out / "errors" / ANCHOR).exists()  # an empty table still reads
    assert counts["facts"][0] == before
    assert_same_data(many_parts, out)
    assert_each_report_once(out)
    assert len(pd.read_parquet(out / "runs")) == 2


def test_compaction_by_year_gives_one_file_per_report_year(many_parts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(many_parts, out)
    compact(out, "year", 1 << 30, "c-test")
    assert_same_data(many_parts, out)
    years = pd.read_parquet(out / "reports", columns=["report_id", "year"]).set_index("report_id").year
    for part in data_parts(out, "facts"):
        ids = set(pq.read_table(part, columns=["report_id"]).column(0).to_pylist())
        assert len({years[i] for i in ids}) == 1, part.name  # one year per file
        assert f"-y{int(years[next(iter(ids))])}-" in part.name


def test_the_compact_command_and_the_ingest_option(
    many_parts: Path, tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(many_parts, out)
    run = cli("compact", "--dataset", out, "--by", "size")
    assert run.returncode == 0, run.stderr
    assert "facts:" in run.stdout and "→ 1 part files" in run.stdout
    assert_same_data(many_parts, out)
    src = tmp_path / "src"
    make_archive(sample_pdfs, src, 3)
    run = cli("ingest", src, "--dataset", tmp_path / "fresh", "--batch-size", "1", "--compact", "year")
    assert run.returncode == 0, run.stderr
    assert all("-y" in p.name for p in data_parts(tmp_path / "fresh", "reports"))
    assert cli("compact", tmp_path / "nothing").returncode == 2
