"""tesseract in the process reads exactly what the `tesseract` command reads, in every mode, on
real scanned pages; it obeys its time limit; the default engine is the library where installed."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest

from pipeline.core.model import PipelineError
from pipeline.ocr.engine import Gray, ReadMode
from pipeline.ocr.engines import engine_for
from pipeline.ocr.raster import page_to_raster, text_image
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.tesseract_library import TesseractLibraryEngine, library_available

from .conftest import needs_corpus
from .ocr_support import SCAN, needs_tesseract

pytestmark = [needs_tesseract, needs_corpus]
DPI = 200


def _page(name: str, number: int) -> Gray:
    pdf = pdfium.PdfDocument(SCAN / name)
    try:
        return text_image(page_to_raster(pdf[number - 1], DPI))
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def table_page() -> Gray:
    return _page("2024_huaian-hongze_scan.pdf", 3)


def test_the_library_is_installed() -> None:
    assert library_available(), "tesserocr is missing: `make setup` builds it"


@pytest.mark.parametrize(
    ("mode", "rows", "cols"),
    [
        ("page", slice(None), slice(None)),  # the whole page, layout analysis on
        ("lines", slice(0, 420), slice(None)),  # a band of the page's top lines, one block
        ("digits", slice(900, 1500), slice(900, None)),  # a table's columns of figures
    ],
)
def test_the_library_reads_word_for_word_what_the_command_reads(
    table_page: Gray, mode: ReadMode, rows: slice, cols: slice
) -> None:
    image = np.ascontiguousarray(table_page[rows, cols])
    command = TesseractEngine().read(image, DPI, mode, 120)
    library = TesseractLibraryEngine().read(image, DPI, mode, 120)
    assert isinstance(command, list) and len(command) >= 5
    assert library == command  # text, boxes, confidences and lines alike


def test_the_library_reads_the_same_after_other_readings(table_page: Gray) -> None:
    """Models stay loaded between readings, and modes share a model: nothing carries over."""
    engine, band = TesseractLibraryEngine(), np.ascontiguousarray(table_page[:420])
    first = engine.read(band, DPI, "lines", 120)
    engine.read(table_page, DPI, "page", 120)
    engine.read(band, DPI, "digits", 120)
    assert engine.read(band, DPI, "lines", 120) == first


def test_the_library_obeys_its_time_limit(table_page: Gray) -> None:
    engine = TesseractLibraryEngine()
    over = engine.read(table_page, DPI, "page", 0.05)
    assert isinstance(over, PipelineError) and over.error == "ocr_timeout"
    none_left = engine.read(table_page, DPI, "page", 0)
    assert isinstance(none_left, PipelineError) and none_left.error == "ocr_timeout"


def test_the_default_engine_is_the_library_and_the_command_can_be_chosen() -> None:
    assert isinstance(engine_for("tesseract"), TesseractLibraryEngine)
    assert isinstance(engine_for("tesseract-cli"), TesseractEngine)
