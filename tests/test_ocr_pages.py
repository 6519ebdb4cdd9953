"""Single scanned pages through real tesseract: table cells, provenance boxes, the time limit.

The scans were made from the text PDFs beside them, so every cell has a known value: the text
layer's, at the same place of the levelled page.
"""

from __future__ import annotations

import re
import time
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from pipeline import ReadOptions, process_file
from pipeline.core.model import Page
from pipeline.extract.document import pages_to_document
from pipeline.extract.pdf_reader import read_pages, read_text_page
from pipeline.ocr.raster import render_gray

from .conftest import needs_corpus
from .ocr_support import PDF, SCAN, needs_tesseract

pytestmark = [needs_corpus, needs_tesseract, pytest.mark.slow]

TABLE_PAGES = [
    ("2024_huaian-hongze", 3),  # 表二's tail and 表三, 10.5 pt print
    ("2024_huaian-city", 5),  # 表三's tail and 表四, 7.5 pt print
]


@cache
def ocr_page(name: str, page: int) -> Page:
    return read_pages(str(SCAN / f"{name}_scan.pdf"), ReadOptions(), page - 1, page)[0]


def text_page(name: str, page: int) -> Page:
    doc = pdfium.PdfDocument(str(PDF / f"{name}.pdf"))
    try:
        return read_text_page(doc[page - 1], page)[0]
    finally:
        doc.close()


@pytest.mark.parametrize(("name", "page"), TABLE_PAGES)
def test_every_number_of_the_tables_is_read(name: str, page: int) -> None:
    scanned, printed = ocr_page(name, page), text_page(name, page)
    assert scanned.method == "ocr" and scanned.ocr_reason == "no_text_layer"
    assert [(t.n_rows, t.n_cols) for t in scanned.tables] == [(t.n_rows, t.n_cols) for t in printed.tables]
    # the levelled page lies over the original: the same cell is at the same place
    cells = [c for t in scanned.tables for c in t.cells]
    numbers = [c for t in printed.tables for c in t.cells if re.fullmatch(r"[\d.,]+", c.text)]
    assert len(numbers) > 80
    for want in numbers:
        got = [c for c in cells if c.bbox.contains_point(*want.bbox.center)]
        assert len(got) == 1 and got[0].text == want.text, (want.text, [c.text for c in got])


def test_labels_read_well_enough_to_name_the_rows() -> None:
    labels = {c.text for t in ocr_page("2024_huaian-hongze", 3).tables for c in t.cells}
    assert {"自然人", "总计", "行政处罚", "商业企业"} <= labels


def test_boxes_point_at_the_figures_on_the_page_as_stored() -> None:
    """Mapped back from the levelled image, a cell's box holds its figure in the tilted scan."""
    name, page = "2024_huaian-hongze", 3
    doc = pages_to_document([ocr_page(name, page)], {})
    pdf = pdfium.PdfDocument(str(SCAN / f"{name}_scan.pdf"))
    try:
        image = render_gray(pdf[page - 1], 200)
    finally:
        pdf.close()
    k = 200 / 72
    offsets = []
    for cell in (c for t in doc.pages[0].tables for c in t.cells if c.text.isdigit()):
        b = cell.bbox
        crop = image[
            int((b.top + 4) * k) : int((b.bottom - 4) * k), int((b.x0 + 4) * k) : int((b.x1 - 4) * k)
        ]
        ys, xs = np.nonzero(crop < 128)
        offsets.append((xs.mean() - crop.shape[1] / 2, ys.mean() - crop.shape[0] / 2))
    assert len(offsets) > 80
    # the figures are printed centred in their cells; the page is tilted 0.64 degrees, which
    # would move a figure up to 5 pt if the boxes were not turned back
    assert float(np.abs(np.array(offsets)).max()) / k < 2.0


def test_a_page_over_its_time_limit_is_an_error_and_the_run_goes_on(tmp_path: Path) -> None:
    start = time.monotonic()
    page = read_pages(str(SCAN / "2024_huaian-hongze_scan.pdf"), ReadOptions(ocr_timeout=0.3), 0, 1)[0]
    assert time.monotonic() - start < 10
    assert page.error is not None and page.error.error == "ocr_timeout"
    assert page.ocr_reason == "no_text_layer" and page.method == "ocr"


def test_a_report_with_a_page_over_the_limit_is_partial(tmp_path: Path) -> None:
    src = SCAN / "2024_huaian-hongze_scan.pdf"
    result = process_file(src, src.parent, ReadOptions(ocr_timeout=0.3))
    assert result.status == "partial"
    assert {e.error for e in result.errors} >= {"ocr_timeout"}
    assert len(result.pages) == 5


def test_body_text_reads_like_the_text_layer() -> None:
    page = ocr_page("2024_huaian-hongze", 1)
    text = [line.text for line in page.lines]
    assert "一、总体情况" in text
    assert not any(re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", line) for line in text)
    printed = "".join(line.text for line in text_page("2024_huaian-hongze", 1).lines)
    read = "".join(text)
    # character overlap with the text layer (NFKC-folded), a loose floor for the engine
    from pipeline.extract.decide import agreement

    assert agreement(printed, read) > 0.9
