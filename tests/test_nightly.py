"""Nightly-job ergonomics: the lock, exit codes, JSON log lines, the summary file, the runs table."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pandas as pd

from pipeline.store.lock import hold

from .batchkit import cli, make_archive


def test_a_second_run_on_the_same_output_exits_with_a_clear_message(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_archive(sample_pdfs, src, 2)
    with hold(out, "holder-run") as busy:
        assert busy is None
        run = cli("ingest", src, "--dataset", out)
    assert run.returncode == 3
    assert "another run is writing to" in run.stderr and "holder-run" in run.stderr
    assert not (out / "reports").exists()


def test_a_second_run_can_wait_for_the_lock(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_archive(sample_pdfs, src, 2)
    held = threading.Event()

    def hold_for_a_while() -> None:
        with hold(out, "first"):
            held.set()
            time.sleep(2.0)

    holder = threading.Thread(target=hold_for_a_while)
    holder.start()
    held.wait(10)
    run = cli("ingest", src, "--dataset", out, "--wait-lock", "60")
    holder.join()
    assert run.returncode == 0, run.stderr
    assert "2 ok" in run.stdout


def test_json_log_lines_and_the_summary_file(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    make_archive(sample_pdfs, src, 3)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\nnothing else")
    run = cli("ingest", src, "--dataset", out, "--log-json")
    assert run.returncode == 1
    events = [json.loads(line) for line in run.stderr.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_start" and kinds[1] == "inventory" and kinds[-1] == "run_end"
    assert kinds.count("file") == 4
    failed = [e for e in events if e["event"] == "file" and e["status"] == "failed"]
    assert [(e["path"], e["error"]) for e in failed] == [("broken.pdf", "corrupt_pdf")]
    run_id = events[0]["run_id"]
    summary = json.loads((out / "_runs" / f"{run_id}.json").read_text(encoding="utf-8"))
    assert (summary["outcome"], summary["ok"], summary["failed"]) == ("some_failed", 3, 1)
    assert summary["failures"][0]["error"] == "corrupt_pdf"
    runs = pd.read_parquet(out / "runs")
    assert runs.set_index("run_id").loc[run_id, "outcome"] == "some_failed"


def test_help_documents_the_options_and_exit_codes() -> None:
    run = cli("ingest", "--help")
    for option in (
        "--workers",
        "--executor",
        "--scheduler",
        "--timeout-per-file",
        "--max-memory",
        "--force",
        "--retry-failed",
        "--wait-lock",
        "--compact",
        "--summary",
        "--log-json",
        "--max-pages",
        "--split-pages",
        "--chunk-pages",
    ):
        assert option in run.stdout, option
    assert "3 locked" in run.stdout.replace("\n", " ")
