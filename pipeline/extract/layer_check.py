"""Measurements of a page's text layer for the text-or-OCR decision (decide.py).

Cheap ones for every page come with PDFium's own reading (pdf.TextLayerStats): characters,
bad characters, and PDFium's flag for characters its font cannot map to Unicode. Two more are
taken only where they can change the answer:
- invisible text (render mode 3) when images cover the page: an earlier OCR layer over a scan;
- a second, independent reading with pdfminer (its own font and CMap code) when the page is
  suspicious. pdfminer costs ~100-250 ms a page against PDFium's ~3 ms, so never on clean pages.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.extract.decide import IMAGE_COVER, LayerEvidence, agreement, is_suspicious, text_to_counts
from pipeline.extract.objects import page_objects
from pipeline.extract.pdf import TextLayerStats
from pipeline.layout.lines import Glyph

TEXT_OBJECTS = frozenset({pdfium_c.FPDF_PAGEOBJ_TEXT})


def glyphs_to_evidence(glyphs: list[Glyph], stats: TextLayerStats) -> LayerEvidence:
    cjk, common, latin, accented = text_to_counts("".join(g.text for g in glyphs))
    return LayerEvidence(
        stats.chars,
        stats.bad_chars,
        stats.map_errors,
        cjk,
        common,
        latin,
        stats.image_area,
        drawing=stats.drawing,
        accented=accented,
        wide_latin=stats.wide_latin,
    )


def invisible_chars(page: pdfium.PdfPage) -> int:
    """Characters in text objects drawn invisibly (render mode 3)."""
    textpage = page.get_textpage()
    try:
        count = 0
        for obj in page_objects(page, TEXT_OBJECTS, max_depth=3):
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.handle) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                continue
            size = pdfium_c.FPDFTextObj_GetText(obj.handle, textpage.raw, None, 0)
            if size > 2:
                buffer = (ctypes.c_ushort * (size // 2))()
                pdfium_c.FPDFTextObj_GetText(obj.handle, textpage.raw, buffer, size)
                text = bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\x00")
                count += sum(1 for ch in text if not ch.isspace())
        return count
    finally:
        textpage.close()


def pdfminer_text(path: str, index: int, password: str | None) -> str | None:
    """Page `index` as pdfminer reads it; None if pdfminer cannot read the file."""
    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return extract_text(path, page_numbers=[index], password=password or "")
    except Exception:  # pdfminer raises many types on odd files; then it simply has no say
        return None


def page_evidence(
    path: str,
    page: pdfium.PdfPage,
    index: int,
    glyphs: list[Glyph],
    stats: TextLayerStats,
    password: str | None,
) -> LayerEvidence:
    """Everything `decide.auto_decision` looks at, the costly parts only where they matter."""
    evidence = glyphs_to_evidence(glyphs, stats)
    if evidence.chars and evidence.image_area >= IMAGE_COVER:
        evidence = replace(evidence, invisible=invisible_chars(page))
    if evidence.chars and is_suspicious(evidence):
        second = pdfminer_text(path, index, password)
        if second is not None:
            evidence = replace(evidence, agreement=agreement("".join(g.text for g in glyphs), second))
    return evidence
