"""SIGTERM and Ctrl-C stop a run cleanly (issue 14, fault 13): what was finished is committed, the
summary is printed, the `runs` row says `interrupted` (and by which signal), the exit code is
128 + the signal, no traceback, no worker left behind. And `show --json | head` ends quietly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from .batchkit import assert_each_report_once, cli, first_state
from .conftest import ROOT
from .hostile import parser_loop
from .test_crash import killer


def started_run(tmp_path: Path, sample_pdfs: list[Path]) -> tuple[subprocess.Popen[str], Path]:
    """A real CLI run, in its own process group, busy with a file that keeps a worker for minutes
    once the quick files are committed."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    parser_loop(src / "slow.pdf")
    for pdf in sample_pdfs[:2]:
        shutil.copy(pdf, src / pdf.name)
    limits = ["--batch-size", "1", "--timeout-per-file", "600", "--max-memory", "0", "--no-report"]
    proc = subprocess.Popen(
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
            *limits,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (out / "reports").is_dir() and len(list((out / "reports").glob("part-*.parquet"))) >= 3:
            break  # the anchor and the two quick files: the slow one is what the workers do now
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, proc.communicate()
    return proc, out


def assert_stopped(proc: subprocess.Popen[str], out: Path, signum: int) -> None:
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, (stdout, stderr)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "reports: 2 ok" in stdout, stdout
    name = signal.Signals(signum).name
    assert f"stopped by {name}" in stderr, stderr
    runs = pd.read_parquet(out / "runs")
    assert runs.outcome.tolist() == ["interrupted"]
    assert name in runs.message[0]
    assert runs.ok[0] == 2
    assert sorted(pd.read_parquet(out / "reports").status) == ["ok", "ok"]
    with pytest.raises(ProcessLookupError):  # nobody left in the run's process group
        os.killpg(proc.pid, 0)


def test_sigterm_stops_the_run_cleanly(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    proc, out = started_run(tmp_path, sample_pdfs)
    proc.send_signal(signal.SIGTERM)  # to the run alone, as a service manager does
    assert_stopped(proc, out, signal.SIGTERM)


def test_ctrl_c_stops_the_run_and_its_workers_without_a_traceback(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    proc, out = started_run(tmp_path, sample_pdfs)
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole process group
    assert_stopped(proc, out, signal.SIGINT)
    again = cli("ingest", tmp_path / "src", "--dataset", out, "--timeout-per-file", "2", "--no-report")
    assert again.returncode == 1, again.stderr  # the slow file fails on its timeout, nothing else to do
    runs = pd.read_parquet(out / "runs").sort_values("started_at")
    assert runs.outcome.tolist() == ["interrupted", "some_failed"]


def test_a_stop_asked_inside_a_commit_waits_until_it_is_done(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    """SIGTERM at the commit point of the second batch: that batch is applied whole, its
    reports counted, then the run stops (the record gone: nothing left for a recovery)."""
    src = tmp_path / "src"
    first_state(src, sample_pdfs)
    steps = killer("ingest", src, tmp_path / "count", "count")
    batches = [i + 1 for i, s in enumerate(steps) if s.startswith("batch-") and s.endswith(": committed")]
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "tests.killer", "ingest", str(src), str(out), f"term:{batches[1]}"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "interrupted", lines
    assert any(s.startswith("batch-") and s.endswith("-00001: record deleted") for s in lines), lines
    assert not list((out / "_journal").glob("*.json"))
    runs = pd.read_parquet(out / "runs")
    assert runs.outcome.tolist() == ["interrupted"] and "SIGTERM" in runs.message[0]
    assert len(pd.read_parquet(out / "reports")) == runs.processed[0] == 4  # two batches of two
    assert_each_report_once(out)


def test_show_json_into_a_closed_pipe_ends_quietly(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    out = tmp_path / "out"
    assert cli("ingest", sample_pdfs[0], "--dataset", out, "--no-report").returncode == 0
    shown = subprocess.run(
        f"{sys.executable} -m pipeline show {sample_pdfs[0]} --dataset {out} --json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert len(shown.stdout) == 10
    assert "Traceback" not in shown.stderr and "BrokenPipeError" not in shown.stderr, shown.stderr
