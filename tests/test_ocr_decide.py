"""The per-page text-or-OCR decision on real files: text, scans, mixed, broken text layers."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bench.broken_pdfs import with_invisible_text, without_tounicode
from pipeline.extract.decide import LayerEvidence, evidence_to_decision
from pipeline.extract.layer_check import page_evidence
from pipeline.extract.pdf import page_glyphs

from .conftest import needs_corpus
from .ocr_support import MIXED, PDF, SCAN

pytestmark = needs_corpus


def decide_pages(path: Path, mode: str = "auto") -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        reasons = []
        for i in range(len(doc)):
            page = doc[i]
            glyphs, stats = page_glyphs(page)
            evidence = page_evidence(str(path), page, i, glyphs, stats, None)
            reasons.append(evidence_to_decision(evidence, mode).reason)  # type: ignore[arg-type]
            page.close()
        return reasons
    finally:
        doc.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (PDF / "2024_huaian-city.pdf", ["text_layer_ok"] * 6),
        (PDF / "2018_pingtan-syq_80529.pdf", ["text_layer_ok"] * 5),
        # an e-mail address's m is nearly an em wide in its Latin font: no sign of a wrong map
        (PDF / "2012_pingtan-xian_80725.pdf", ["text_layer_ok"] * 3),
        (PDF / "2020_pingtan-syq_80595.pdf", ["text_layer_ok"] * 11),
        (SCAN / "2023_huaian-hongze_scan.pdf", ["no_text_layer"] * 5),
        (MIXED / "2024_huaian-city_mixed.pdf", ["text_layer_ok"] * 2 + ["no_text_layer"] * 4),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_corpus_pages(path: Path, expected: list[str]) -> None:
    assert decide_pages(path) == expected


def test_a_layer_without_unicode_maps_is_garbled(tmp_path: Path) -> None:
    broken = without_tounicode(PDF / "2024_huaian-city.pdf", tmp_path / "broken.pdf")
    assert decide_pages(broken) == ["garbled_text"] * 6


def test_one_unmapped_font_is_caught_by_the_second_reader(tmp_path: Path) -> None:
    # only the first font lacks its map: some pages have as few as 3 bad characters of 328
    broken = without_tounicode(PDF / "2024_huaian-city.pdf", tmp_path / "one-font.pdf", fonts=1)
    assert decide_pages(broken) == ["garbled_text"] * 6


def test_a_scan_under_an_invisible_text_layer_is_read_again(tmp_path: Path) -> None:
    layered = with_invisible_text(SCAN / "2024_huaian-hongze_scan.pdf", tmp_path / "layered.pdf")
    assert decide_pages(layered) == ["image_covered"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("always", ["forced"] * 6), ("never", ["text_layer_ok"] * 2 + ["ocr_disabled"] * 4)],
)
def test_the_option_overrides(mode: str, expected: list[str]) -> None:
    assert decide_pages(MIXED / "2024_huaian-city_mixed.pdf", mode) == expected


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        (LayerEvidence(0, 0, 0, 0, 0, 0, 1.0), "no_text_layer"),
        (LayerEvidence(0, 0, 0, 0, 0, 0, 0.0, drawing=5000), "no_text_layer"),  # text drawn as outlines
        (LayerEvidence(0, 0, 0, 0, 0, 0, 0.0, drawing=16), "blank_page"),  # an empty page with a frame
        (LayerEvidence(500, 60, 60, 300, 300, 0, 0.0), "garbled_text"),
        (LayerEvidence(12, 0, 0, 0, 0, 0, 0.98), "image_covered"),  # a folio over a full-page scan
        (LayerEvidence(500, 0, 0, 400, 400, 10, 0.95), "text_layer_ok"),  # a letterhead image under real text
        (LayerEvidence(500, 2, 2, 400, 400, 0, 0.0, agreement=0.99), "text_layer_ok"),
        (LayerEvidence(500, 2, 2, 400, 400, 0, 0.0, agreement=0.9), "garbled_text"),
    ],
)
def test_decisions_from_measurements(evidence: LayerEvidence, reason: str) -> None:
    assert evidence_to_decision(evidence, "auto").reason == reason


@pytest.mark.parametrize(
    ("evidence", "repairable"),
    [
        (LayerEvidence(500, 0, 0, 400, 400, 2, 0.0, wide_latin=1), True),  # 市 read as ^, drawn one em wide
        (LayerEvidence(500, 0, 0, 400, 400, 4, 0.0, accented=3), True),  # （ read as ÿ
        (LayerEvidence(500, 60, 60, 300, 300, 0, 0.0), True),  # controls among Han characters
        (
            LayerEvidence(500, 60, 60, 0, 0, 0, 0.0),
            True,
        ),  # raw codes of a font with no map: maybe named by outline
        (LayerEvidence(500, 60, 0, 0, 0, 0, 0.0), False),  # garbage, no Han character, no map error: OCR
        (LayerEvidence(500, 0, 0, 0, 0, 300, 0.0, wide_latin=1), "text_layer_ok"),  # a Latin page
    ],
)
def test_a_page_garbled_by_a_wrong_map_is_repairable(evidence: LayerEvidence, repairable: bool | str) -> None:
    decision = evidence_to_decision(evidence, "auto")
    if repairable == "text_layer_ok":
        assert decision.reason == "text_layer_ok"
    else:
        assert (decision.reason, decision.repairable) == ("garbled_text", repairable)


def test_extractors_agree_across_radical_code_points() -> None:
    from pipeline.extract.decide import agreement

    # pdfminer keeps the radical code points some fonts map to; PDFium gives the Han character
    assert agreement("工作门户", "⼯作⻔户") == 1.0
    assert agreement("工作门户", "(cid:1)(cid:2)门户") < 0.6
