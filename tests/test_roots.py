"""A dataset keeps its source root: ingesting a folder inside it (or one file of it) neither
re-roots the dataset nor reports the rest missing, and `review` finds a report's PDF from the
recorded root, run from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pipeline
from pipeline import ReadOptions, RunOptions
from pipeline.run.log import RunSummary
from pipeline.run.roots import choose_root

from .conftest import ROOT


def _ingest(src: Path, out: Path) -> RunSummary:
    summary = pipeline.ingest(src, out, ReadOptions(ocr_engine="none"), RunOptions(workers=1))
    assert isinstance(summary, RunSummary)
    return summary


def test_a_subfolder_keeps_the_root_and_misses_nothing(sample_pdfs: list[Path], tmp_path: Path) -> None:
    src, out = tmp_path / "archive", tmp_path / "ds"
    for folder, pdf in (("a", sample_pdfs[0]), ("b", sample_pdfs[1])):
        (src / folder).mkdir(parents=True)
        shutil.copy(pdf, src / folder / pdf.name)
    first = _ingest(src, out)
    assert first.processed == 2 and first.root == str(src.absolute())
    shutil.copy(sample_pdfs[2], src / "a" / sample_pdfs[2].name)
    sub = _ingest(src / "a", out)
    assert (sub.processed, sub.missing, sub.removed, sub.root) == (1, 0, 0, str(src.absolute()))
    paths = sorted(pipeline.open_dataset(out).pandas("reports").source_path)
    assert paths == sorted(
        [f"a/{sample_pdfs[0].name}", f"a/{sample_pdfs[2].name}", f"b/{sample_pdfs[1].name}"]
    )
    one = _ingest(src / "b" / sample_pdfs[1].name, out)  # one file of the tree
    assert (one.missing, one.removed, one.processed) == (0, 0, 0)
    (src / "a" / sample_pdfs[0].name).unlink()
    gone = _ingest(src / "a", out)
    assert gone.missing_paths == (f"a/{sample_pdfs[0].name}",)  # missing within the scope given
    assert choose_root(out, tmp_path / "elsewhere").root == (tmp_path / "elsewhere").absolute()


def test_review_finds_the_pdf_from_the_recorded_root_wherever_it_runs(
    sample_pdfs: list[Path], tmp_path: Path
) -> None:
    src, out = tmp_path / "src", tmp_path / "ds"
    src.mkdir()
    shutil.copy(sample_pdfs[0], src / sample_pdfs[0].name)
    os.chdir(tmp_path)
    try:
        _ingest(Path("src"), Path("ds"))  # relative paths, as a user types them
    finally:
        os.chdir(ROOT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "review", sample_pdfs[0].stem, "--dataset", str(out)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = list((out / "_reviews").glob("*.html"))
    assert len(written) == 1 and str(written[0]) in done.stdout
