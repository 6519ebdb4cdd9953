"""A heading or date line the page reading garbled is read again alone, by real tesseract, and
the second reading kept only where it is the heading or date the first was not."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr.engine import OcrWord
from pipeline.ocr.line_rereads import reread_lines
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.outline.dates import read_closing_date

from .ocr_support import needs_tesseract

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DPI = 200.0
LINE_TOP, LINE_HEIGHT = 60, 34  # where the printed line stands, in pixels


def _printed(text: str) -> np.ndarray:
    """A strip of page at 200 dpi with `text` printed on it in 12 pt (34 px) type."""
    image = Image.new("L", (1600, 160), 255)
    ImageDraw.Draw(image).text((80, LINE_TOP), text, font=ImageFont.truetype(str(FONT), LINE_HEIGHT), fill=0)
    return np.asarray(image)


def _as_read(text: str, confidence: float = 0.3) -> list[OcrWord]:
    """What the page reading made of the line: `text`, one word a character, on line 7."""
    return [
        OcrWord(
            ch,
            80 + LINE_HEIGHT * i,
            LINE_TOP,
            80 + LINE_HEIGHT * (i + 1),
            LINE_TOP + LINE_HEIGHT,
            confidence,
            7,
        )
        for i, ch in enumerate(text)
    ]


def _text(words: list[OcrWord]) -> str:
    return "".join(w.text for w in words).replace(" ", "")


pytestmark = [needs_tesseract, pytest.mark.skipif(not FONT.exists(), reason="needs the WenQuanYi font")]


@pytest.mark.parametrize(
    ("printed", "garbled"),
    [
        ("二、组织机构建设情况", "二、和"),
        ("一、总体情况", "一、生生和交"),
        ("2020年02月20日", "2020年02月206日"),
    ],
)
def test_a_garbled_heading_or_date_is_read_again_alone(printed: str, garbled: str) -> None:
    words = reread_lines(_as_read(garbled), _printed(printed), DPI, TesseractEngine(), time.monotonic() + 60)
    assert _text(words) == printed
    assert {w.line for w in words} == {7}  # still one line, where it stood
    assert all(
        w.x0 >= 70 and w.top >= LINE_TOP - 10 and w.bottom <= LINE_TOP + LINE_HEIGHT + 12 for w in words
    )


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("二、组织机构建设情况", "二、组织机构建设情况"),  # read right: left alone
        ("我局高度重视政府信息公开工作", "二、和"),  # the line alone is no heading either: kept
        ("全年共收到申请十二件", "全年共收到申请十二件"),  # neither a heading nor a date
    ],
)
def test_a_line_is_kept_as_read_unless_the_second_reading_is_what_it_failed_to_be(
    printed: str, read: str
) -> None:
    words = _as_read(read)
    assert reread_lines(words, _printed(printed), DPI, TesseractEngine(), time.monotonic() + 60) == words


def _line_words(text: str, left: int, top: int, height: int, confidence: float, line: int) -> list[OcrWord]:
    return [
        OcrWord(ch, left + height * i, top, left + height * (i + 1), top + height, confidence, line)
        for i, ch in enumerate(text)
    ]


def test_a_title_in_large_print_is_read_again_alone() -> None:
    """The title (60 px type over body lines of 30 px) as the page reading misread a character
    of the office's name, unsurely: read alone, it is the name printed."""
    image = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.text((200, 40), "鹿安区鹿平街道办事处", font=ImageFont.truetype(str(FONT), 60), fill=0)
    body = ["本报告由鹿安区鹿平街道办事处编制", "全年共收到申请十二件"]
    for k, text in enumerate(body):
        draw.text((80, 200 + 60 * k), text, font=ImageFont.truetype(str(FONT), 30), fill=0)
    words = _line_words("廊安区鹿平街道办事处", 200, 40, 60, 0.3, 1)
    for k, text in enumerate(body):
        words += _line_words(text, 80, 200 + 60 * k, 30, 0.9, 2 + k)
    again = reread_lines(words, np.asarray(image), DPI, TesseractEngine(), time.monotonic() + 60)
    assert _text([w for w in again if w.line == 1]) == "鹿安区鹿平街道办事处"
    assert [w for w in again if w.line != 1] == words[10:]  # body print: not read again


SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not SERIF.exists(), reason="needs Noto Serif CJK")
def test_a_date_in_large_print_is_read_again_at_the_height_tesseract_reads_best() -> None:
    """Seen on scans of the generator's reports: 二〇二五年一月十四日 signed in 三号 type (39 px at 200
    dpi) read "SO和年一月本四目" at its own height and …一月十四日 scaled to 30 px. Here the page
    reading's "二人二五年…" is what tesseract makes of this serif print at 56 px."""
    image = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(image).text(
        (80, LINE_TOP), "二〇二五年一月十四日", font=ImageFont.truetype(str(SERIF), 56), fill=0
    )
    read = [
        OcrWord(ch, 80 + 56 * i, LINE_TOP, 80 + 56 * (i + 1), LINE_TOP + 56, 0.3, 7)
        for i, ch in enumerate("二人二五年一月十四日")
    ]
    words = reread_lines(read, np.asarray(image), DPI, TesseractEngine(), time.monotonic() + 60)
    assert _text(words) == "二〇二五年一月十四日"
    assert all(
        w.x0 >= 70 and w.x1 <= 80 + 56 * 11 and w.top >= LINE_TOP - 20 for w in words
    )  # placed back on the page


def test_a_date_under_a_seals_ghost_is_read_again_thresholded() -> None:
    """Seen on the generator's sealed scans: what is left of a red seal once masked is a pale
    outline of its ring, star and characters (gray 210 on paper at 250), and tesseract read the
    date under it as strokes (二〇二二年守月二才五日). Alone, the gray line still reads garbled
    here; thresholded, the pale ghost is gone and the date is read (its 〇 as two characters,
    which the date reader takes as one)."""
    image = Image.new("L", (1600, 200), 250)
    draw = ImageDraw.Draw(image)
    ghost = 210
    draw.ellipse((80, -90, 420, 250), outline=ghost, width=5)
    draw.regular_polygon((250, 80, 50), 5, outline=ghost, width=4)
    draw.text(
        (120, 0),
        "泉泰建街道",
        font=ImageFont.truetype(str(FONT), 44),
        fill=None,
        stroke_width=2,
        stroke_fill=ghost,
    )
    draw.text(
        (80, LINE_TOP), "二〇二二年一月二十五日", font=ImageFont.truetype(str(FONT), LINE_HEIGHT), fill=20
    )
    words = reread_lines(
        _as_read("二O二二年守月二才五自"), np.asarray(image), DPI, TesseractEngine(), time.monotonic() + 60
    )
    assert read_closing_date([_text(words)]) == date(2022, 1, 25)
