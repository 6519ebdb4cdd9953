"""The command line as an analyst meets it: a real progress bar on a terminal, the dataset named
--dataset everywhere (old spellings still work, with a note), export to CSV and Excel, and a
one-line answer when Dask is not installed."""

from __future__ import annotations

import importlib.util
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main

from .conftest import CORPUS, ROOT, needs_corpus

REPLAY = ROOT / "tests" / "data" / "replay"


@needs_corpus
def test_a_terminal_gets_a_progress_bar_with_pages_and_eta(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / "scan" / "2024_huaian-hongze_scan.pdf", src)
    command = [sys.executable, "-m", "pipeline", "ingest", str(src), "--dataset", str(tmp_path / "ds")]
    command += ["--ocr-engine", f"replay:{REPLAY}", "--split-pages", "2", "--workers", "2", "--no-report"]
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "TERM": "xterm"}
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    run.communicate(timeout=300)
    text = screen.decode("utf-8", "replace")
    assert run.returncode == 0, text
    assert "files" in text and "ETA" in text and "1/1" in text
    assert "pages of 2024_huaian-hongze_scan.pdf" in text and "5/5" in text
    assert "[1/1] ok" not in text  # no log lines on a terminal: the bar says it


def test_logs_get_quiet_lines(sample_pdfs: list[Path], tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(sample_pdfs[0]), "--dataset", str(tmp_path / "ds")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert (
        run.returncode == 0
        and "[1/1] ok" in run.stderr
        and "\r" not in run.stderr
        and "ETA" not in run.stderr
    )
    assert f"dataset: {tmp_path / 'ds'}" in run.stdout and "run report:" in run.stdout


def test_old_spellings_work_with_a_note(
    sample_pdfs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ds"
    assert main(["ingest", str(sample_pdfs[0]), "--out", str(out), "--quiet", "--no-report"]) == 0
    assert "note: --out is deprecated; write --dataset" in capsys.readouterr().err
    assert main(["report", str(out)]) == 0
    assert "deprecated; write --dataset" in capsys.readouterr().err
    assert (out / "_report.html").is_file()  # beside the data, as ingest writes it
    assert main(["compact", "--dataset", str(out)]) == 0


def test_export_panel_and_facts_to_csv_and_excel(
    sample_pdfs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ds"
    src = tmp_path / "src"
    src.mkdir()
    for pdf in sample_pdfs[:2]:
        shutil.copy(pdf, src / pdf.name)
    assert main(["ingest", str(src), "--dataset", str(out), "--quiet", "--no-report"]) == 0
    assert main(["export", "panel", "--dataset", str(out), "--out", str(tmp_path / "panel.csv")]) == 0
    panel = pd.read_csv(tmp_path / "panel.csv", encoding="utf-8-sig")
    assert len(panel) == 2 and "requests_received" in panel and "requests_received_source" in panel
    assert main(["export", "panel", "--dataset", str(out), "--out", str(tmp_path / "panel.xlsx")]) == 0
    excel = pd.read_excel(tmp_path / "panel.xlsx", engine="openpyxl")
    assert excel.office.tolist() == panel.office.tolist()
    assert main(["export", "facts", "--dataset", str(out), "--out", str(tmp_path / "facts.csv")]) == 0
    facts = pd.read_csv(tmp_path / "facts.csv", encoding="utf-8-sig")
    assert {"office_id", "year", "value"} <= set(facts) and len(facts) > 50
    assert main(["export", "panel", "--dataset", str(out), "--out", str(tmp_path / "panel.json")]) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err


def test_dask_missing_is_one_line(
    sample_pdfs: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a)
    )
    code = main(["ingest", str(sample_pdfs[0]), "--dataset", str(tmp_path / "ds"), "--executor", "dask"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "pip install" in err[0] and "[dask]" in err[0]
    assert not (tmp_path / "ds").exists()
