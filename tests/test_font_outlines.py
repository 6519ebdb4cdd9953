"""font_outlines: glyphs of a font that lost its Unicode map, named by the same outline in an installed font.

A real reportlab print in an installed TrueType font, re-distilled by real ghostscript (which drops
the subset's ToUnicode map and writes raw codes, CR and LF among them), read back exactly from its
layer; and the small rules on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from pipeline.core.config import ReadOptions
from pipeline.extract.font_outlines import EmbeddedFont, glyph_names, installed_faces, one_character
from pipeline.extract.pdf_reader import read_pages
from samplegen.fonts import FONT_FILES, font
from samplegen.producers import gs_redistill, looks_alike, missing

LINES = (
    "一、总体情况",
    "本年度共收到政府信息公开申请123件，其中当面申请45件、网上申请78件。",
    "（二）依申请公开情况：行政复议0件，行政诉讼6件。",
    "二〇二二年一月十五日",
)


@pytest.mark.skipif(missing("gs") is not None, reason="ghostscript is not installed")
@pytest.mark.parametrize("face", ["wqy-zenhei", "uming"])
@pytest.mark.skipif(
    not all(Path(path).exists() for path, _ in FONT_FILES.values()), reason="the CJK fonts are not installed"
)
def test_a_redistilled_print_without_a_map_reads_exactly_from_its_layer(tmp_path: Path, face: str) -> None:
    printed, redistilled = tmp_path / "print.pdf", tmp_path / "gs.pdf"
    canvas = Canvas(str(printed))
    canvas.setFont(font(face), 12)
    for i, line in enumerate(LINES):
        canvas.drawString(60, 760 - 24 * i, line)
    canvas.save()
    gs_redistill(printed, redistilled, "default")
    assert looks_alike(printed, redistilled)

    (page,) = read_pages(str(redistilled), ReadOptions(), 0, 1)

    assert page.method == "text", page.ocr_reason  # no OCR: the layer itself is read
    assert page.ocr_reason == "repaired_text"
    assert "named by their outline in an installed font" in page.notes[0]
    assert [line.text.replace(" ", "") for line in page.lines] == list(LINES)


@pytest.mark.parametrize(
    ("found", "named"),
    [
        ({"民"}, "民"),
        ({"人", "⼈"}, "人"),  # a Kangxi radical sharing its ideograph's outline is the ideograph
        ({"０", "Ｏ"}, None),  # two characters with one outline: neither
        (set(), None),
    ],
)
def test_one_character_for_a_set_of_look_alike_glyphs(found: set[str], named: str | None) -> None:
    assert one_character(found) == named


def test_a_font_program_that_cannot_be_read_names_nothing() -> None:
    assert glyph_names(EmbeddedFont(b"not a font", cid=False), [1, 2, 3], installed_faces()) == {}
