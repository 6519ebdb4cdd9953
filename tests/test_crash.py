"""kill -9 at any instant: the dataset reads cleanly, holds each report at most once, and the
next run finishes the rest, ending with the same data as one clean run.

Two kinds of kill: at chosen steps of the commit protocol (a writer that SIGKILLs itself at
its N-th step, tests/killer.py), and at random instants of a real CLI run (SIGKILL to its
whole process group, workers included), several seeds.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.store.schema import SCHEMAS, TABLES

from .batchkit import KEYS, assert_each_report_once, assert_same_data, clean_run, first_state, second_state


def assert_readable_and_at_most_once(out: Path) -> None:
    """What a reader sees right after the kill, before any recovery."""
    for name in TABLES:
        if (out / name).is_dir():
            pd.read_parquet(out / name)
    reports = pd.read_parquet(out / "reports") if (out / "reports").is_dir() else pd.DataFrame()
    if len(reports):
        assert reports.report_id.dropna().is_unique
        paths = [p for ps in reports.source_paths for p in ps]
        assert len(paths) == len(set(paths))
    for name in ("sections", "pages", "checks"):
        if (out / name).is_dir():
            assert not pd.read_parquet(out / name, columns=KEYS[name]).duplicated().any(), name


def killer(mode: str, src: Path, out: Path, target: str) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-m", "tests.killer", mode, str(src), str(out), target],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if target == "count":
        assert run.returncode == 0, run.stderr
    else:
        assert run.returncode == -signal.SIGKILL, run.stderr
    return run.stdout.splitlines()


def pick(steps: list[str], *needles: str) -> list[int]:
    """1-based step numbers: the last, and the middle step of each kind."""
    chosen = {len(steps)}
    for needle in needles:
        hits = [i + 1 for i, s in enumerate(steps) if needle in s]
        chosen.add(hits[len(hits) // 2])
    return sorted(chosen)


def test_killed_at_commit_steps_of_a_first_run(
    tmp_path: Path, sample_pdfs: list[Path], references: dict[str, Path]
) -> None:
    src = tmp_path / "src"
    first_state(src, sample_pdfs)
    steps = killer("ingest", src, tmp_path / "count", "count")
    points = pick(steps, ": record written", ": committed", "moved reports/")
    assert len(points) >= 4
    for point in points:
        out = tmp_path / f"out{point}"
        killer("ingest", src, out, str(point))
        assert_readable_and_at_most_once(out)
        clean_run(src, out)
        assert_same_data(references["first"], out)
        assert_each_report_once(out)


def test_killed_at_commit_steps_of_an_incremental_run(
    tmp_path: Path, sample_pdfs: list[Path], references: dict[str, Path]
) -> None:
    src = tmp_path / "src"
    first_state(src, sample_pdfs)
    second_state(src, sample_pdfs)
    counted = tmp_path / "count"
    shutil.copytree(references["first"], counted)
    steps = killer("ingest", src, counted, "count")
    assert any(s.startswith("publish-") for s in steps)
    points = pick(steps, "-00000: moved _pending", "publish-", ": removed", "moved reports/")
    for point in points:
        out = tmp_path / f"out{point}"
        shutil.copytree(references["first"], out)
        killer("ingest", src, out, str(point))
        assert_readable_and_at_most_once(out)
        clean_run(src, out)
        assert_same_data(references["second"], out)
        assert_each_report_once(out)


def assert_each_table_globs(out: Path) -> None:
    """Every table folder that exists has a part file, so `read_parquet('DST/<table>/*.parquet')`
    works; and a `reports` folder means every table is there."""
    import duckdb

    tables = [name for name in (*TABLES, "runs") if (out / name).exists()]
    for name in tables:
        duckdb.sql(f"SELECT count(*) FROM read_parquet('{out / name}/*.parquet')").fetchall()
    if (out / "reports").exists():
        assert len(tables) == len(TABLES) + 1, tables


def test_a_first_run_killed_while_it_makes_its_tables_leaves_each_readable(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    """Issue 14, fault 11: killed by a watcher the instant the first table folder appears, and by
    the writer's own hook after each table is made, the new dataset's tables each read."""
    src = tmp_path / "src"
    first_state(src, sample_pdfs)
    watched = tmp_path / "watched"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.killer", "ingest", str(src), str(watched), "never"]
    )
    deadline = time.monotonic() + 60
    while not any((watched / name).exists() for name in TABLES) and time.monotonic() < deadline:
        pass  # a busy watch: the instant a folder appears
    writer.kill()
    writer.wait()
    assert_each_table_globs(watched)
    steps = killer("ingest", src, tmp_path / "count", "count")
    made = [i + 1 for i, s in enumerate(steps) if s.startswith("anchored ")]
    assert len(made) == len(SCHEMAS)  # the per-report tables, runs, offices, panel
    for point in (made[0], made[3], made[-1]):
        out = tmp_path / f"out{point}"
        killer("ingest", src, out, str(point))
        assert_each_table_globs(out)
    clean_run(src, out)
    assert_each_report_once(out)


def cli_run(src: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(src),
            "--dataset",
            str(out),
            "--workers",
            "2",
            "--batch-size",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches the workers too
    )


def kill_after(proc: subprocess.Popen[bytes], seconds: float) -> None:
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def run_seconds(tmp_path_factory: pytest.TempPathFactory, sample_pdfs: list[Path]) -> float:
    """How long a clean CLI run of the first state takes here (the kills land within it)."""
    base = tmp_path_factory.mktemp("timing")
    first_state(base / "src", sample_pdfs)
    start = time.monotonic()
    assert cli_run(base / "src", base / "out").wait(timeout=300) == 0
    return time.monotonic() - start


@pytest.mark.parametrize(("seed", "kills"), [(11, 2), (22, 1), (33, 1)])
def test_kill_9_at_random_instants_then_rerun(
    tmp_path: Path,
    sample_pdfs: list[Path],
    references: dict[str, Path],
    run_seconds: float,
    seed: int,
    kills: int,
) -> None:
    rng = random.Random(seed)
    src, out = tmp_path / "src", tmp_path / "out"
    first_state(src, sample_pdfs)
    whole = run_seconds
    for _ in range(kills):  # a second kill may land in the recovery of the first
        kill_after(cli_run(src, out), rng.uniform(0.2, whole))
        assert_readable_and_at_most_once(out)
    assert cli_run(src, out).wait(timeout=300) == 0
    assert_same_data(references["first"], out)
    assert_each_report_once(out)

    second_state(src, sample_pdfs)
    kill_after(cli_run(src, out), rng.uniform(0.2, whole))
    assert_readable_and_at_most_once(out)
    assert cli_run(src, out).wait(timeout=300) == 0
    assert_same_data(references["second"], out)
    assert_each_report_once(out)
    runs = pd.read_parquet(out / "runs")
    assert "running" not in set(runs.outcome)
