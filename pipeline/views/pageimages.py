"""Page images for the review page: PDFium renders each page, Pillow compresses it to a data URI.

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

from pipeline.store.dataset import DatasetError

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


def _encode(image: object, options: ImageOptions) -> str:
    buffer = io.BytesIO()
    if options.format == "webp":
        image.save(buffer, "WEBP", quality=options.quality, method=0)  # type: ignore[attr-defined]
        mime = "image/webp"
    else:
        image.save(buffer, "JPEG", quality=options.quality, optimize=True)  # type: ignore[attr-defined]
        mime = "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_pages(
    pdf: Path, options: ImageOptions | None = None, password: str | None = None
) -> list[PageImage] | DatasetError:
    """Every page of `pdf` as a compressed image, or why the PDF could not be rendered."""
    options = options or ImageOptions()
    try:
        doc = pdfium.PdfDocument(str(pdf), password=password)
    except pdfium.PdfiumError as exc:
        return DatasetError("pdf_unreadable", f"{pdf}: PDFium cannot open it ({exc})")
    try:
        images: list[PageImage] = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=options.scale)
                image = bitmap.to_pil()
                images.append(PageImage(index + 1, width, height, image.size, _encode(image, options)))
            finally:
                page.close()
        return images
    finally:
        doc.close()
