"""Broken text layers made from good PDFs, for the text-or-OCR decision (tests and bench).

- `without_tounicode`: fonts' ToUnicode maps made unreadable by a same-length rename, so every
  offset of the file stays valid: what a PDF exported without maps looks like to a reader.
- `with_invisible_text`: an invisible (render mode 3) text layer put over a scanned page, as an
  earlier OCR leaves one.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def without_tounicode(src: Path, dst: Path, fonts: int | None = None) -> Path:
    """`src` with the maps of its first `fonts` fonts (all if None) unreadable."""
    parts = src.read_bytes().split(b"/ToUnicode")
    n = len(parts) - 1 if fonts is None else fonts
    dst.write_bytes(
        parts[0] + b"".join((b"/ToUnicodX" if i < n else b"/ToUnicode") + p for i, p in enumerate(parts[1:]))
    )
    return dst


def with_invisible_text(scan: Path, dst: Path, lines: int = 40) -> Path:
    """The first page of `scan` with invisible lines of text over the image."""
    doc = pdfium.PdfDocument(str(scan))
    try:
        page = doc[0]
        for k in range(lines):
            obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(10))
            text = f"hidden layer line {k}"
            buffer = (ctypes.c_ushort * (len(text) + 1))(*[ord(c) for c in text], 0)
            pdfium_c.FPDFText_SetText(obj, buffer)
            pdfium_c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 72 + 15 * k)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        page.close()
        for i in range(len(doc) - 1, 0, -1):
            doc.del_page(i)
        doc.save(str(dst))
    finally:
        doc.close()
    return dst
