"""Drawing a PDF's pages as compressed images: the part of the review page that parses the PDF.

It runs in a killable worker process (pageimages.py starts it), never in the process that asked:
the PDF comes from the archive and is as untrusted as any ingest reads. Before a page is drawn,
ingest's own refusals apply (extract/guard.py: not a PDF, too many pages, an image too large,
a page tree PDFium can load nothing of). Nothing here imports the dataset side (pyarrow), so a
worker starts light.

JPEG by default: at 1.5× (108 dpi, digits stay legible) and quality 60 a text page is ~100 KB and
encodes in ~15 ms; WebP is ~35% smaller and ~4× slower to encode (see docs/html-reports.md).
The page size is reported in PDF points, the unit of the facts' boxes, so boxes are placed in
percent of the page and scale with the image.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium

from pipeline.core.config import MAX_IMAGE_PIXELS, MAX_PAGES
from pipeline.core.model import PipelineError
from pipeline.extract.guard import precheck, sniff_pdf

ImageFormat = Literal["jpeg", "webp"]


@dataclass(frozen=True)
class ImageOptions:
    scale: float = 1.5  # pixels per PDF point (1.5 = 108 dpi)
    quality: int = 60
    format: ImageFormat = "jpeg"


@dataclass(frozen=True)
class PageImage:
    page: int  # 1-based
    width: float  # PDF points
    height: float
    pixels: tuple[int, int]
    data_uri: str


@dataclass(frozen=True)
class RenderJob:
    """What a worker draws: one file, its password, the images wanted, ingest's caps."""

    pdf: str
    options: ImageOptions
    password: str | None = None
    max_pages: int = MAX_PAGES
    max_image_pixels: int = MAX_IMAGE_PIXELS
    # (page, degrees): a page the pipeline read turned clockwise (pages.rotation) is drawn turned
    # so too, as its figures' boxes are on the page turned
    rotations: tuple[tuple[int, int], ...] = ()


def draw_pages(job: RenderJob) -> list[PageImage] | PipelineError:
    """Every page of the job's PDF as an image, or the refusal or failure that stopped it."""
    path = Path(job.pdf)
    refused = sniff_pdf(path) or precheck(job.pdf, job.password, job.max_pages, job.max_image_pixels)
    if refused is not None:
        return refused
    try:
        doc = pdfium.PdfDocument(job.pdf, password=job.password)
    except pdfium.PdfiumError as exc:
        return PipelineError("open", "pdf_unreadable", f"PDFium cannot open it ({exc})")
    try:
        images: list[PageImage] = []
        turns = dict(job.rotations)
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError as exc:
                return PipelineError("open", "corrupt_pdf", f"page {index + 1} cannot be loaded ({exc})")
            try:
                width, height = page.get_size()
                turn = turns.get(index + 1, 0)
                if turn in (90, 270):
                    width, height = height, width
                image = page.render(scale=job.options.scale, rotation=turn).to_pil()
                images.append(PageImage(index + 1, width, height, image.size, _encode(image, job.options)))
            finally:
                page.close()
        return images
    finally:
        doc.close()


def _encode(image: object, options: ImageOptions) -> str:
    buffer = io.BytesIO()
    if options.format == "webp":
        image.save(buffer, "WEBP", quality=options.quality, method=0)  # type: ignore[attr-defined]
        mime = "image/webp"
    else:
        image.save(buffer, "JPEG", quality=options.quality, optimize=True)  # type: ignore[attr-defined]
        mime = "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
