"""Scans the way archives hold them, each mechanism on a real corpus scan page changed in one way.

Real tesseract; each test reads one or two pages (a few seconds each).
"""

from __future__ import annotations

import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from pipeline import process_file
from pipeline.core.model import ReportResult

from .conftest import CORPUS, needs_corpus
from .ocr_support import needs_tesseract

pytestmark = [needs_corpus, needs_tesseract, pytest.mark.slow]

SCAN = CORPUS / "scan" / "2024_huaian-hongze_scan.pdf"
TABLE_PAGE = 3  # 表二's tail (the fee row) and 表三's head


def page_of_scan(path: Path, change: object = None) -> Path:
    src = pdfium.PdfDocument(str(SCAN))
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, [TABLE_PAGE - 1])
    page = doc[0]  # one page object: PDFium's page must outlive the objects put on it
    if callable(change):
        change(page)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    page.close()
    doc.save(str(path))
    doc.close()
    src.close()
    return path


def red_seal(page: pdfium.PdfPage, cx: float = 420.0, cy: float = 330.0, r: float = 60.0) -> None:
    """A red ring of 3 pt ink over the fee row, multiplied onto the page as seal ink is: black
    print under it stays black."""
    height = page.get_height()
    path = pdfium_c.FPDFPageObj_CreateNewPath(cx + r, height - cy)
    for i in range(1, 49):
        a = 2 * math.pi * i / 48
        pdfium_c.FPDFPath_LineTo(path, cx + r * math.cos(a), height - cy + r * math.sin(a))
    pdfium_c.FPDFPageObj_SetStrokeColor(path, 220, 30, 30, 255)
    pdfium_c.FPDFPageObj_SetStrokeWidth(path, 3.0)
    pdfium_c.FPDFPath_SetDrawMode(path, 0, 1)
    pdfium_c.FPDFPageObj_SetBlendMode(path, b"Multiply")
    pdfium_c.FPDFPage_InsertObject(page.raw, path)


def figures(result: ReportResult) -> dict[tuple[str, str | None, str | None], str]:
    return {(f.table, f.row, f.col): f.raw for f in result.facts if f.row}


def test_a_red_seal_over_a_table_is_masked_and_the_table_reads_as_without_it(tmp_path: Path) -> None:
    plain = process_file(page_of_scan(tmp_path / "plain.pdf"))
    sealed = process_file(page_of_scan(tmp_path / "sealed.pdf", red_seal))
    assert figures(sealed) == figures(plain) and figures(plain)[("t2", "fees", "amount")] == "7545"
    (note,) = sealed.pages[0].notes
    assert "seal" in note and "356,265" in note  # where the seal was, in points (its pale fringe too)
    assert plain.pages[0].notes == ()
