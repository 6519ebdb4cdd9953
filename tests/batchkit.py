"""Helpers of the batch-run tests: distinct input files, and datasets compared as data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline import ReadOptions, ingest
from pipeline.core.config import RunOptions
from pipeline.store.schema import TABLES

# Columns that differ between two runs over the same files (when, which run, how long, and
# the mtimes of copies made at different times).
VOLATILE = {"run_id", "ingested_at", "seconds", "at", "file_mtime", "source_mtimes"}
KEYS = {  # natural keys: no two rows share one
    "reports": ["report_id"],
    "sections": ["report_id", "ordinal"],
    "pages": ["report_id", "page"],
    "checks": ["report_id", "table", "check"],
}


def distinct_copy(src: Path, dst: Path, tag: str) -> Path:
    """`src` with a unique comment after %%EOF: still a valid PDF, with its own sha256."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(src.read_bytes() + f"\n%govreport-copy {tag}\n".encode())
    return dst


def make_archive(pdfs: Sequence[Path], folder: Path, count: int, prefix: str = "r") -> list[Path]:
    """`count` distinct files cycling through `pdfs`, spread over office sub-folders."""
    return [
        distinct_copy(pdfs[i % len(pdfs)], folder / f"office{i % 5}" / f"{prefix}{i:04d}.pdf", f"{prefix}{i}")
        for i in range(count)
    ]


def snapshot(out: Path) -> dict[str, pd.DataFrame]:
    """Every per-report table, volatile columns dropped, rows in a canonical order."""
    tables = {}
    for name in TABLES:
        frame = pd.read_parquet(out / name)
        frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE])
        for column in frame.columns:  # lists → their text, so rows compare and sort
            if frame[column].dtype == object:
                frame[column] = frame[column].map(_listless)
        frame = frame[sorted(frame.columns)]
        tables[name] = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
    return tables


def _listless(value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    return repr([str(v) for v in value]) if hasattr(value, "__len__") else value


def assert_same_data(a: Path, b: Path) -> None:
    left, right = snapshot(a), snapshot(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], check_like=True, obj=name)


def assert_each_report_once(out: Path) -> None:
    reports = pd.read_parquet(out / "reports")
    assert reports.report_id.dropna().is_unique, reports.report_id[reports.report_id.duplicated()].tolist()
    paths = [p for ps in reports.source_paths for p in ps]
    assert len(paths) == len(set(paths)), "a path is claimed by two reports"
    for name in ("facts", "sections", "pages", "checks"):
        ids = set(pd.read_parquet(out / name, columns=["report_id"]).report_id)
        assert ids <= set(reports.report_id), f"{name} has rows of reports that are not in reports"
    for name in ("reports", "sections", "pages", "checks"):
        frame = pd.read_parquet(out / name, columns=KEYS[name])
        assert not frame.duplicated().any(), f"duplicate rows in {name}"


def cli(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# The two states of a small archive the crash tests move between.
FILES = 8


def first_state(src: Path, pdfs: list[Path]) -> None:
    make_archive(pdfs, src, FILES)


def second_state(src: Path, pdfs: list[Path]) -> None:
    """An ordinary night: one file changed in place, one copied, one deleted, two new."""
    distinct_copy(pdfs[5], src / "office1" / "r0001.pdf", "changed")
    shutil.copy(src / "office2" / "r0002.pdf", src / "office4" / "copy.pdf")
    (src / "office3" / "r0003.pdf").unlink()
    distinct_copy(pdfs[0], src / "new" / "n1.pdf", "n1")
    distinct_copy(pdfs[1], src / "new" / "n2.pdf", "n2")


def clean_run(src: Path, out: Path) -> None:
    ingest(src, out, ReadOptions(), RunOptions(workers=2, batch_size=2))
