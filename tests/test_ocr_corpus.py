"""Whole reports through OCR, scored by ../shared/eval/score.py: the mixed PDF and one scan.

(The full scan set is measured by bench/bench_ocr.py; these keep the suite to a few pages.)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.ocr_flags import wrong_cells

from .conftest import CORPUS, ingest_to, load_scorer, needs_corpus, score_rates
from .ocr_support import MIXED, SCAN, needs_tesseract

pytestmark = [needs_corpus, needs_tesseract, pytest.mark.slow]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_to(MIXED / "2024_huaian-city_mixed.pdf", tmp_path_factory.mktemp("mixed"))


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_to(SCAN / "2024_huaian-hongze_scan.pdf", tmp_path_factory.mktemp("scan"))


def test_mixed_pdf_reads_like_its_text_original(mixed: Path, tmp_path: Path) -> None:
    rates = score_rates(mixed, [CORPUS / "truth" / "2024_huaian-city_mixed.json"], tmp_path)
    assert rates["cell"]["rate"] == 1.0, rates["cell"]
    assert rates["doc"]["rate"] == 1.0 and rates["heading"]["rate"] == 1.0


def test_mixed_pdf_pages_each_decided(mixed: Path) -> None:
    pages = pd.read_parquet(mixed / "pages").sort_values("page")
    assert list(pages.method) == ["text", "text", "ocr", "ocr", "ocr", "ocr"]
    assert list(pages.ocr_reason) == ["text_layer_ok"] * 2 + ["no_text_layer"] * 4
    assert pages.ocr_confidence.isna().tolist() == [True, True, False, False, False, False]
    report = pd.read_parquet(mixed / "reports").iloc[0]
    assert report.status == "ok" and report.ocr_pages == 4 and report.pages == 6


def test_facts_from_ocr_say_so(mixed: Path) -> None:
    facts = pd.read_parquet(mixed / "facts")
    facts = facts[facts.table.isin(["t2", "t3", "t4"])]
    assert set(facts.method) == {"ocr"}  # every table of this file is on an image page
    assert set(facts.page) <= {3, 4, 5}
    assert facts[["x0", "top", "x1", "bottom"]].notna().all().all()
    assert ((facts.confidence > 0) & (facts.confidence <= 1)).all()


def test_a_scanned_report_is_read_in_full(scan: Path, tmp_path: Path) -> None:
    rates = score_rates(scan, [CORPUS / "truth" / "2024_huaian-hongze_scan.json"], tmp_path)
    assert rates["cell"]["rate"] >= 0.99, rates["cell"]
    assert rates["doc"]["rate"] == 1.0 and rates["heading"]["rate"] >= 0.95


def test_every_wrong_cell_is_flagged(scan: Path, tmp_path: Path) -> None:
    truth = tmp_path / "truth"
    truth.mkdir()
    (truth / "t.json").write_bytes((CORPUS / "truth" / "2024_huaian-hongze_scan.json").read_bytes())
    unflagged = [w for w in wrong_cells(scan, truth, load_scorer()) if not w["flagged"]]
    assert unflagged == []


def test_the_checks_hold_on_a_clean_scan(scan: Path) -> None:
    checks = pd.read_parquet(scan / "checks")
    assert len(checks) >= 20 and checks.passed.all()  # this report's own arithmetic is right
