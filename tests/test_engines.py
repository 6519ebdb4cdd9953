"""The OCR engine seam: tesseract's recorded readings replayed, no engine at all, a bad choice.

The replay tests run the whole pipeline over a real corpus scan in about a second, without
tesseract: the readings were recorded by `make replays` (scripts/record_replays.py).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import ReadOptions, process_file
from pipeline.core.model import ReportResult
from pipeline.store.parts import write_results

from .conftest import CORPUS, ROOT, needs_corpus, score_rates
from .ocr_support import needs_tesseract

REPLAY = ROOT / "tests" / "data" / "replay"
SCAN = CORPUS / "scan" / "2024_huaian-hongze_scan.pdf"
TRUTH = CORPUS / "truth" / "2024_huaian-hongze_scan.json"
pytestmark = needs_corpus


def recorded_keys(folder: Path) -> set[str]:
    keys: set[str] = set()
    for path in folder.glob("*.jsonl*"):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            keys.update(json.loads(line)["key"] for line in fh)
    return keys


def replayed(path: Path = SCAN, folder: Path = REPLAY) -> ReportResult:
    return process_file(path, options=ReadOptions(ocr_engine=f"replay:{folder}"))


def test_a_replayed_scan_reads_every_cell_of_its_truth(tmp_path: Path) -> None:
    result = replayed()
    assert result.status == "ok" and len(result.pages) == 5
    assert {p.method for p in result.pages} == {"ocr"}
    rates = score_rates(write_results(tmp_path / "out", [result]), [TRUTH], tmp_path)
    assert rates["cell"]["hits"] == rates["cell"]["total"] > 100
    assert rates["heading"]["rate"] == 1.0


def test_a_reading_that_was_never_recorded_fails_its_page_not_the_file(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    result = replayed(folder=tmp_path)
    assert result.status == "partial" and len(result.pages) == 5
    ocr = [e for e in result.errors if e.stage == "ocr"]
    assert {e.error for e in ocr} == {"ocr_failed"} and sorted(e.page or 0 for e in ocr) == [1, 2, 3, 4, 5]
    # nothing read: no text, no office or year, no format, so no table can be expected either
    assert {e.error for e in result.errors} == {"ocr_failed", "no_text", "doc_field_missing"}


def test_no_engine_leaves_scanned_pages_empty_and_says_so() -> None:
    result = process_file(SCAN, options=ReadOptions(ocr_engine="none"))
    assert result.status == "partial" and not result.facts
    assert {(e.error, e.page) for e in result.errors} == {
        *(("ocr_unavailable", n) for n in range(1, 6)),
        ("no_text", None),
        ("doc_field_missing", None),
    }
    assert sorted(e.message.split(":")[0] for e in result.errors if e.error == "doc_field_missing") == [
        "format",
        "office",
        "year",
    ]
    assert {p.ocr_reason for p in result.pages} == {"no_text_layer"}


@pytest.mark.parametrize("spec", ["bogus", "replay", "none:x"])
def test_the_cli_refuses_an_engine_it_does_not_know(spec: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(SCAN),
            "--dataset",
            str(tmp_path),
            "--ocr-engine",
            spec,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "--ocr-engine" in done.stderr
    assert not (tmp_path / "reports").exists()


@needs_tesseract
@pytest.mark.slow
def test_the_recording_is_what_tesseract_reads_today(tmp_path: Path) -> None:
    """Fails when anything before the engine changed the images it reads: run `make replays`."""
    process_file(SCAN, options=ReadOptions(ocr_engine=f"record:{tmp_path}"))
    assert recorded_keys(tmp_path) == recorded_keys(REPLAY), "stale recording: run `make replays`"
