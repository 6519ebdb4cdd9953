"""The baseline extractor: plain pdfplumber, feeding the same downstream stages as the pipeline.

Timing uses exactly what the issue names (`extract_text` + `extract_tables` on every page);
accuracy builds a `Document` from pdfplumber's words and table cells, so both extractors are
scored through identical segmentation and field extraction.
"""

from __future__ import annotations

import logging

import pdfplumber

from pipeline.core.model import BBox, Document, Page
from pipeline.layout.grid import boxes_to_table
from pipeline.layout.lines import Glyph, glyphs_to_lines, is_page_furniture, outside
from pipeline.layout.page import tables_in_order

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def plain_pdfplumber(path: str) -> int:
    """What a user of pdfplumber would run; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def pdfplumber_document(path: str) -> Document:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words()
            glyphs = [
                Glyph(w["text"], BBox(w["x0"], w["top"], w["x1"], w["bottom"]), w["bottom"] - w["top"])
                for w in words
            ]
            tables = []
            for found in page.find_tables():
                table = boxes_to_table(found.cells, glyphs_as_chars(page), number)
                if table is not None:
                    tables.append(table)
            body = outside(glyphs, [t.bbox for t in tables])
            lines = tuple(line for line in glyphs_to_lines(body) if not is_page_furniture(line, page.height))
            pages.append(
                Page(
                    number,
                    page.width,
                    page.height,
                    lines,
                    tuple(tables),
                    "text",
                    len(page.chars),
                    "text_layer_ok",
                )
            )
            page.close()
    return Document(tuple(pages), tuple(tables_in_order(pages)))


def glyphs_as_chars(page: pdfplumber.page.Page) -> list[Glyph]:
    return [
        Glyph(c["text"], BBox(c["x0"], c["top"], c["x1"], c["bottom"]), c["bottom"] - c["top"])
        for c in page.chars
    ]
