"""Option values are checked before anything runs: a value that makes no sense exits with code 2
and a message naming the option, and nothing is written (issue 14, fault 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import ReadOptions, ingest
from pipeline.cli import main
from pipeline.core.config import RunOptions
from pipeline.run.preflight import CannotRun

from .batchkit import cli

BAD_INGEST = [
    ("--timeout-per-file", "-1"),
    ("--timeout-per-file", "nan"),
    ("--max-memory", "-5M"),
    ("--max-memory", "1K"),  # rounds to 0 MiB, which would mean "no limit"
    ("--max-memory", "lots"),
    ("--workers", "0"),
    ("--workers", "-2"),
    ("--batch-size", "0"),
    ("--batch-size", "-1"),
    ("--chunk-pages", "0"),
    ("--chunk-pages", "-3"),
    ("--max-pages", "0"),
    ("--max-pages", "-10"),
    ("--split-pages", "-1"),
    ("--ocr-timeout", "0"),
    ("--commit-seconds", "-1"),
    ("--wait-lock", "-1"),
    ("--compact-target-mb", "0"),
]


def exit_of(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """The command line run in this process: its exit code and what it wrote on stderr."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    return int(stopped.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(("option", "value"), BAD_INGEST)
def test_a_senseless_ingest_option_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    code, err = exit_of(capsys, "ingest", str(src), "--dataset", str(tmp_path / "out"), f"{option}={value}")
    assert code == 2, err
    assert option in err, err
    assert not (tmp_path / "out").exists()


def test_the_real_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    run = cli("ingest", tmp_path, "--dataset", tmp_path / "out", "--workers", "-2")
    assert run.returncode == 2, run.stderr
    assert "argument --workers: must be at least 1 (got -2)" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("compact", "--target-mb", "0"),
        ("compact", "--wait-lock", "-1"),
        ("review", "--scale", "0"),
        ("review", "--quality", "0"),
        ("review", "--quality", "101"),
        ("review", "--max-pages", "0"),
        ("review", "--timeout", "-1"),
        ("review", "--max-memory", "-1G"),
    ],
)
def test_a_senseless_option_of_another_command_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    target = ["x", "--dataset", str(tmp_path)] if command == "review" else [str(tmp_path)]
    code, err = exit_of(capsys, command, *target, f"{option}={value}")
    assert code == 2, err
    assert option in err, err


def test_documented_zero_values_keep_their_meaning(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    """`--timeout-per-file 0` and `--max-memory 0` mean no limit, `--split-pages 0` never split."""
    run = cli(
        "ingest",
        sample_pdfs[0],
        "--dataset",
        tmp_path / "out",
        "--timeout-per-file",
        "0",
        "--max-memory",
        "0",
        "--split-pages",
        "0",
        "--no-report",
    )
    assert run.returncode == 0, run.stderr
    assert "1 ok" in run.stdout


def test_the_api_refuses_the_same_values(tmp_path: Path, sample_pdfs: list[Path]) -> None:
    for bad in (
        RunOptions(timeout_per_file=-1),
        RunOptions(max_memory_mb=-1),
        RunOptions(batch_size=0),
        RunOptions(chunk_pages=0),
        RunOptions(workers=-1),
    ):
        refused = ingest(sample_pdfs[0], tmp_path / "out", ReadOptions(), bad)
        assert isinstance(refused, CannotRun), bad
    refused = ingest(sample_pdfs[0], tmp_path / "out", ReadOptions(max_pages=0), RunOptions())
    assert isinstance(refused, CannotRun) and "max_pages" in refused.message
    assert not (tmp_path / "out").exists()
