"""Cheap refusals before the real work: what is not a PDF, and files too large to be a report.

Reading a 2,000-page PDF or decoding a 20,000 × 20,000 image would take minutes and gigabytes;
an annual report has tens of pages and page-sized scans. Such a file fails with a stable
error class at once, instead of running into the worker's time or memory limit. Both checks
only read the page tree and image dictionaries (no decoding).
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.model import PipelineError
from pipeline.extract.objects import page_objects

IMAGES = frozenset({pdfium_c.FPDF_PAGEOBJ_IMAGE})

PDF_MAGIC = b"%PDF-"


def sniff_pdf(path: Path) -> PipelineError | None:
    """Reject what is not a PDF before a parser sees it."""
    size = path.stat().st_size
    if size == 0:
        return PipelineError("open", "empty_file", "the file is empty (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        return PipelineError(
            "open", "not_a_pdf", f"no PDF header in the first 1024 bytes (starts with {head[:8]!r})"
        )
    return None


def image_px_size(handle: pdfium_c.FPDF_PAGEOBJECT) -> tuple[int, int]:
    """An image object's size in pixels, as its dictionary states it (no decoding); (0, 0) when
    PDFium cannot tell."""
    width, height = ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFImageObj_GetImagePixelSize(handle, width, height):
        return 0, 0
    return width.value, height.value


def precheck(path: str, password: str | None, max_pages: int, max_image_pixels: int) -> PipelineError | None:
    """A `too_many_pages` or `image_too_large` error, a `corrupt_pdf` one when PDFium can load
    none of the pages its page tree counts (a tree that is its own kid, say), else None (also when
    the file will not open: opening is extraction's job, which names the reason). A page that
    alone cannot be loaded is left to the reading, where it becomes a failed page."""
    try:
        doc = pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError:
        return None
    try:
        pages = len(doc)
        if pages > max_pages:
            return PipelineError(
                "open", "too_many_pages", f"{pages} pages, over the limit of {max_pages} (--max-pages)"
            )
        loaded = 0
        for index in range(pages):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                continue
            loaded += 1
            try:
                for image in page_objects(page, IMAGES, max_depth=2):
                    width, height = image_px_size(image.handle)
                    if width * height > max_image_pixels:
                        return PipelineError(
                            "open",
                            "image_too_large",
                            f"page {index + 1} has a {width} × {height} image, over the limit of "
                            f"{max_image_pixels / 1e6:.0f} megapixels",
                            index + 1,
                        )
            finally:
                page.close()
        if pages and not loaded:
            return PipelineError(
                "open", "corrupt_pdf", f"the page tree is damaged: PDFium can load none of its {pages} pages"
            )
    finally:
        doc.close()
    return None
