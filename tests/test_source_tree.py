"""What the source tree holds besides readable PDFs never vanishes silently (issue 14): dangling
links, link loops, FIFOs and devices named *.pdf, links to folders and folders that cannot be
listed are each reported — in the summary, the log and as an `errors` row of stage `inventory`
with a stable class — run after run, without piling up; the reports under a folder that
cannot be listed are kept, not called missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from .batchkit import cli
from .confine import cli_powerless

EXPECTED = {
    "dangling.pdf": "dangling_link",
    "loop.pdf": "link_loop",
    "pipe.pdf": "not_a_regular_file",
    "null.pdf": "not_a_regular_file",
    "linked": "folder_link",
}


def inventory_errors(out: Path) -> dict[str, str]:
    errors = pd.read_parquet(out / "errors")
    rows = errors[errors.stage == "inventory"]
    assert rows.report_id.isna().all()
    assert not rows.duplicated(["source_path", "error"]).any()
    return dict(zip(rows.source_path, rows.error, strict=True))


def test_odd_entries_of_the_source_tree_are_reported_every_run(
    tmp_path: Path, sample_pdfs: list[Path]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "locked").mkdir(parents=True)
    shutil.copy(sample_pdfs[0], src / "good.pdf")
    shutil.copy(sample_pdfs[1], src / "locked" / "inside.pdf")
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(sample_pdfs[2], tmp_path / "elsewhere" / "far.pdf")
    (src / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (src / "loop.pdf").symlink_to(src / "loop.pdf")
    os.mkfifo(src / "pipe.pdf")
    (src / "null.pdf").symlink_to("/dev/null")
    (src / "linked").symlink_to(tmp_path / "elsewhere")

    first = cli("ingest", src, "--dataset", out, "--no-report")
    assert first.returncode == 0, first.stderr
    for path, error in EXPECTED.items():
        assert f"skipped: {path}: {error}: " in first.stdout, first.stdout
    assert inventory_errors(out) == EXPECTED
    assert sorted(pd.read_parquet(out / "reports").source_path) == ["good.pdf", "locked/inside.pdf"]

    (src / "locked").chmod(0o000)
    try:
        night = cli_powerless("ingest", src, "--dataset", out, "--no-report")
    finally:
        (src / "locked").chmod(0o755)
    assert night.returncode == 1, night.stderr  # a folder it cannot list: its files were not read
    assert "skipped: locked: unreadable_folder: " in night.stdout, night.stdout
    assert " 0 missing" in night.stdout, night.stdout
    assert inventory_errors(out) == {**EXPECTED, "locked": "unreadable_folder"}
    assert sorted(pd.read_parquet(out / "reports").source_path) == ["good.pdf", "locked/inside.pdf"]

    morning = cli("ingest", src, "--dataset", out, "--no-report")
    assert morning.returncode == 0, morning.stderr
    assert inventory_errors(out) == EXPECTED  # the folder reads again: its row is gone, none doubled
