"""Page images → level image and table grid, checked against what the PDFs themselves say.

A text PDF rendered to an image has rules whose true positions are in its vector graphics: the
grid found in the image must be the grid the text path builds from the vectors. The scans'
tilt is known from how they were made (the truth's `scan` key).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from pipeline.extract.pdf_reader import read_text_page
from pipeline.ocr.raster import estimate_skew, page_to_raster, render_gray
from pipeline.ocr.scan_grid import raster_to_rules

from . import scan_degrade
from .conftest import CORPUS, needs_corpus
from .ocr_support import PDF, SCAN

pytestmark = needs_corpus

TABLE_PAGES = [
    ("2024_huaian-city.pdf", 3),
    ("2024_huaian-city.pdf", 4),
    ("2024_huaian-city.pdf", 5),
    ("2023_huaian-hongze.pdf", 3),  # shaded rows in 表二
    ("2024_huaian-hongze.pdf", 4),  # 表三's tail and 表四 with narrow header columns
    ("2020_pingtan-syq_80595.pdf", 5),  # LibreOffice hairline rules: only the faint search finds them
    ("2020_pingtan-syq_80595.pdf", 7),  # tall wrapped cells
    ("2020_pingtan-syq_80595.pdf", 8),
    ("2020_pingtan-syq_80595.pdf", 10),
    ("2018_pingtan-syq_80529.pdf", 5),  # the pre-2019 统计表 under body text
]


def _rounded(box: tuple[float, float, float, float]) -> tuple[int, ...]:
    return tuple(round(v) for v in box)


@pytest.mark.parametrize(("name", "page"), TABLE_PAGES)
def test_grid_from_the_image_is_the_grid_of_the_vectors(name: str, page: int) -> None:
    doc = pdfium.PdfDocument(str(PDF / name))
    try:
        text_page, _, _ = read_text_page(doc[page - 1], page)
        rules = raster_to_rules(page_to_raster(doc[page - 1]))
    finally:
        doc.close()
    from_vectors = [
        sorted(_rounded((c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom)) for c in t.cells)
        for t in text_page.tables
    ]
    from_image = [sorted(_rounded(b) for b in g) for g in rules.groups]
    assert [len(g) for g in from_image] == [len(g) for g in from_vectors]
    for found, truth in zip(from_image, from_vectors, strict=True):
        for a, b in zip(found, truth, strict=True):
            assert max(abs(p - q) for p, q in zip(a, b, strict=True)) <= 2, (a, b)


@pytest.mark.parametrize(("name", "page"), [("2024_huaian-city.pdf", 1), ("2024_huaian-city.pdf", 6)])
def test_a_page_without_tables_has_no_grid(name: str, page: int) -> None:
    doc = pdfium.PdfDocument(str(PDF / name))
    try:
        assert raster_to_rules(page_to_raster(doc[page - 1])).groups == ()
    finally:
        doc.close()


def _scan_pages() -> list[tuple[str, int, float]]:
    out = []
    for truth in sorted((CORPUS / "truth").glob("*_scan.json")) if (CORPUS / "truth").is_dir() else []:
        angles = json.loads(truth.read_text(encoding="utf-8"))["scan"]["rotation_deg_per_page"]
        out += [(truth.stem + ".pdf", i + 1, a) for i, a in enumerate(angles)]
    return out


@pytest.mark.parametrize(("name", "page", "angle"), _scan_pages())
def test_the_tilt_of_each_scan_page_is_measured(name: str, page: int, angle: float) -> None:
    doc = pdfium.PdfDocument(str(SCAN / name))
    try:
        assert estimate_skew(render_gray(doc[page - 1], 200)) == pytest.approx(angle, abs=0.06)
    finally:
        doc.close()


def test_a_blank_page_has_no_tilt() -> None:
    import numpy as np

    assert estimate_skew(np.full((800, 600), 255, np.uint8)) == 0.0


def test_every_page_of_every_scan_has_its_tilt_tested() -> None:
    """The tilt test is parametrized from the truth files: it must cover every scanned page."""
    pages = 0
    for scan in sorted(SCAN.glob("*.pdf")):
        doc = pdfium.PdfDocument(str(scan))
        pages += len(doc)
        doc.close()
    tested = _scan_pages()
    assert {name for name, _, _ in tested} == {p.name for p in SCAN.glob("*.pdf")}
    assert len(tested) == pages > 0


FAINT_PAGES = [
    ("2024_huaian-city.pdf", 4),
    ("2024_huaian-city.pdf", 5),
    ("2023_huaian-hongze.pdf", 3),
    ("2024_huaian-hongze.pdf", 4),
    ("2020_pingtan-syq_80595.pdf", 7),
    ("2020_pingtan-syq_80595.pdf", 8),
]


@pytest.mark.parametrize(("name", "page"), FAINT_PAGES)
def test_faint_broken_rules_make_the_vectors_cells_and_no_rule_runs_through_text(
    name: str, page: int, tmp_path: Path
) -> None:
    """The page's rules printed faint and broken (scan_degrade.faint), found by the broken
    search: its cells are the vectors' cells. Seen before: the smoothing along a rule carried the
    labels' ink past the glyphs taken out, and the ends of a line of text stood as rule pieces
    (a rule through 稳定 of 3.危及"三安全一稳定"; 131 → 7 of 135 cells right)."""
    doc = pdfium.PdfDocument(str(PDF / name))
    try:
        text_page, _, _ = read_text_page(doc[page - 1], page)
    finally:
        doc.close()
    want = [(c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom) for t in text_page.tables for c in t.cells]
    gray = scan_degrade.page_images(PDF / name, [page])[0]
    path = scan_degrade.save_pdf([scan_degrade.faint(gray, np.random.default_rng(5))], tmp_path / "faint.pdf")
    scan = pdfium.PdfDocument(str(path))
    try:
        rules = raster_to_rules(page_to_raster(scan[0]), broken=True)
    finally:
        scan.close()
    found = [b for g in rules.groups for b in g]
    right = sum(any(max(abs(p - q) for p, q in zip(f, w, strict=True)) <= 2.5 for w in want) for f in found)
    assert right >= 0.95 * len(want), (right, len(want))
    assert len(found) - right <= 0.03 * len(found), (len(found) - right, len(found))
