"""Cleaning engine text: brackets, CJK gaps, width folding, numbers (pure functions)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.ocr.cleanup import as_number, clean_lines, clean_text, number_variants, repair_brackets
from pipeline.ocr.engine import OcrWord
from pipeline.ocr.page import without_trailing_specks


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("第二十条第〈一)项", "第二十条第(一)项"),  # （ read as 〈
        ("(一》予以公开", "(一)予以公开"),  # ） read as 》
        ("(三)》不予公开", "(三)不予公开"),  # a stray 》 after the bracket
        ("《条例》(国令第711号)", "《条例》(国令第711号)"),  # balanced title marks stay
        ("《二)部分公开〈区分处理的)", "(二)部分公开(区分处理的)"),
    ],
)
def test_brackets_are_paired(read: str, printed: str) -> None:
    assert repair_brackets(read) == printed


def test_spaces_between_chinese_go_and_widths_fold() -> None:
    assert (
        clean_text("淮安 市 洪 泽区 ( 国令第 711 号 ) ， 电话 : 0517")
        == "淮安市洪泽区(国令第 711 号),电话: 0517"
    )
    assert clean_text("２０２４年，") == "2024年,"


def test_a_cell_of_two_lines_is_one_text() -> None:
    assert (
        clean_lines(["(二 ) 部分公开《区分处理的 ,", "不计其他情形 )"])
        == "(二)部分公开(区分处理的,不计其他情形)"
    )


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("1288", "1288"),
        ("37.", "37"),  # a speck after the number
        (".25", None),  # … but before it, a lost 0 of 0.25 maybe: never 25
        (".185.84", "185.84"),  # … unless the figure has a decimal point of its own
        (",109", "109"),  # no figure begins with a comma (seen on photocopies)
        ('"6426', "6426"),  # … nor with a quote
        ("十 17", "+17"),  # a plus sign the Chinese model read as 十
        ("十七", None),
        ("]", "1"),  # a lone 1 read as a bracket
        ("i24", "124"),  # … or as an i (a photocopy)
        ("1 760", "1760"),
        ("96171.6", "96171.6"),
        ("/", "/"),
        ("总计", None),
        ("到", None),
        ("2.其他", None),
    ],
)
def test_readings_as_numbers(read: str, number: str | None) -> None:
    assert as_number(read) == number


def test_a_dot_between_thousands_may_be_a_comma() -> None:
    assert number_variants("6.439") == ["6,439"]
    assert number_variants("7730.28") == []


def _speck_line(last: str, confidence: float, last_ink: int) -> tuple[list[OcrWord], np.ndarray]:
    """Four 30 px characters drawn as solid squares, then a last word with `last_ink` pixels of ink."""
    pixels = np.full((60, 400), 255, np.uint8)
    words = []
    for i, ch in enumerate("总体情况"):
        x = 10 + 40 * i
        pixels[15:45, x : x + 30] = 0
        words.append(OcrWord(ch, x, 15, x + 30, 45, 0.9, 0))
    side = max(1, int(last_ink**0.5))
    pixels[30 : 30 + side, 205 : 205 + side] = 0  # a dot low in the word's box, or a whole character
    words.append(OcrWord(last, 195, 15, 225, 45, confidence, 0))
    return words, pixels


@pytest.mark.parametrize(
    ("last", "confidence", "ink", "kept"),
    [
        (".", 0.7, 4, False),  # a speck read as a full stop after a heading
        ("人", 0.0, 9, False),  # a speck read as a character, with no confidence
        ("人", 0.9, 9, True),  # read with confidence: a character
        ("1", 0.1, 9, True),  # a digit holds little ink
        ("。", 0.3, 9, True),  # a real full stop
        ("况", 0.2, 225, True),  # a quarter of a character's ink: no speck
    ],
)
def test_a_speck_ending_a_line_is_no_character(last: str, confidence: float, ink: int, kept: bool) -> None:
    words, pixels = _speck_line(last, confidence, ink)
    out = without_trailing_specks(words, pixels)
    assert (len(out) == len(words)) is kept
