"""The Dask executor on a real LocalCluster: the same rows as the local executor, the same limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.run.log import RunSummary

from .batchkit import assert_each_report_once, assert_same_data, cli, make_archive
from .hostile import corrupt, parser_loop

distributed = pytest.importorskip("distributed")


@pytest.fixture
def src(tmp_path: Path, sample_pdfs: list[Path]) -> Path:
    folder = tmp_path / "src"
    make_archive(sample_pdfs, folder, 8)
    shutil.copy(folder / "office0" / "r0000.pdf", folder / "copy.pdf")
    corrupt(folder / "corrupt.pdf")
    parser_loop(folder / "loop.pdf")
    return folder


def test_a_dask_cluster_gives_the_rows_of_the_local_executor(src: Path, tmp_path: Path) -> None:
    limits = {"timeout_per_file": 4.0, "batch_size": 3}
    local = ingest(src, tmp_path / "local", ReadOptions(), RunOptions(workers=2, **limits))  # type: ignore[arg-type]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = ingest(
            src,
            tmp_path / "dask",
            ReadOptions(),
            RunOptions(executor="dask", scheduler=cluster.scheduler_address, **limits),  # type: ignore[arg-type]
        )
    assert isinstance(local, RunSummary) and isinstance(remote, RunSummary)
    assert (remote.processed, remote.failed) == (local.processed, local.failed) == (10, 2)
    assert_same_data(tmp_path / "local", tmp_path / "dask")
    assert_each_report_once(tmp_path / "dask")
    errors = pd.read_parquet(tmp_path / "dask" / "errors").set_index("source_path")
    assert errors.loc["loop.pdf", "error"] == "timeout"
    assert pd.read_parquet(tmp_path / "dask" / "runs").executor.tolist() == ["dask"]


def test_the_cli_starts_a_local_cluster_without_an_address(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src = tmp_path / "src"
    make_archive(sample_pdfs, src, 3)
    run = cli("ingest", src, "--dataset", tmp_path / "out", "--executor", "dask", "--workers", "2")
    assert run.returncode == 0, run.stderr
    assert "3 ok" in run.stdout
    assert len(pd.read_parquet(tmp_path / "out" / "reports")) == 3
