"""Glyph boxes that cannot stand as PDFium gives them (extract/pdf.py `_second_look`), on a real print."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from pipeline.core.config import ReadOptions
from pipeline.core.model import Document
from pipeline.extract.document import read_document
from pipeline.extract.pdf import page_glyphs

# A LibreOffice print of the generator (seed 19, report 224): its bold 14.5 pt headings give a 、 the
# box of its ink, 0.57 em tall and level with the top of the line. Against the page's usual height
# (its 12 pt body text) that is no flat box, so it was left there, set on a line of its own, and
# 四、政府信息公开行政复议、行政诉讼情况 read 四 政府信息公开行政复议 行政诉讼情况: no heading.
FLAT = Path(__file__).parent / "data" / "libreoffice_flat_comma_boxes.pdf"


def test_a_flat_mark_gets_the_em_square_of_its_own_size() -> None:
    with pdfium.PdfDocument(FLAT) as doc:
        glyphs, _ = page_glyphs(doc[4])
    heading = glyphs[:7]
    assert "".join(g.text for g in heading) == "四、政府信息公"
    centres = {round((g.bbox.top + g.bbox.bottom) / 2) for g in heading}
    assert max(centres) - min(centres) <= 1


def test_the_heading_reads_whole() -> None:
    doc = read_document(FLAT, ReadOptions(ocr="never"))
    assert isinstance(doc, Document)
    texts = [line.text for page in doc.pages for line in page.lines]
    assert "四、政府信息公开行政复议、行政诉讼情况" in texts


# A LibreOffice print of the generator (seed 19, report 43, its page 3): a fallback font gives some
# 9 pt Han glyphs of the 表二 labels a box 17 pt tall, reaching up into the line above, under half as
# tall again as the page's usual box. Within a cell the two lines interleaved: 规章 read 章规,
# 行政许可 行许可政, and no 表二 row was keyed.
TALL = Path(__file__).parent / "data" / "libreoffice_fallback_tall_boxes.pdf"


def test_a_box_taller_than_its_own_size_allows_gets_its_em_square() -> None:
    with pdfium.PdfDocument(TALL) as doc:
        glyphs, _ = page_glyphs(doc[0])
    sizes = {round(g.bbox.height) for g in glyphs if "\u4e00" <= g.text <= "\u9fff"}
    assert max(sizes) <= 1.5 * 12  # the largest text on the page is 12 pt


def test_the_labels_of_a_cell_read_in_order() -> None:
    doc = read_document(TALL, ReadOptions(ocr="never"))
    assert isinstance(doc, Document)
    cells = [c.text for page in doc.pages for table in page.tables for c in table.cells]
    assert {"规章", "规范性文件", "行政许可", "第二十条第（五）项"} <= set(cells), cells[:12]
