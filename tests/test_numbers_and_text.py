"""Printed values and numerals: the conventions of the dataset contract."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.numbers import is_value_text, parse_value, unit_in_label
from pipeline.core.text import cn_to_int, numbering_of

FULL_WIDTH = str.maketrans("0123456789.-+", "０１２３４５６７８９．－＋")


@pytest.mark.parametrize(
    ("raw", "unit", "header_unit", "value"),
    [
        ("", None, None, None),
        ("/", None, None, None),
        ("-", None, None, None),
        ("—", None, None, None),
        ("0", "件", None, 0.0),
        ("+3", "项", None, 3.0),
        ("-18", "项", None, -18.0),
        ("1,760", "件", None, 1760.0),
        ("1 760", "件", None, 1760.0),
        ("３１１９", "件", None, 3119.0),
        ("96171.6", "万元", "万元", 96171.6),
        ("103.3879万元", "元", None, 1033879.0),
        ("73802895.90元", "元", None, 73802895.9),
        ("35000元", "万元", None, 3.5),
        ("7380.29", "元", "万元", 73802900.0),
        ("约12", "件", None, None),
        ("1457633,24 元", "元", None, 1457633.24),  # a decimal point read as a comma
        ("9,83", "万元", "万元", 9.83),
        ("12,34", "件", None, None),  # a comma before two digits in a count: no number
        ("1,234,56", "元", None, None),
    ],
)
def test_parse_value(raw: str, unit: str | None, header_unit: str | None, value: float | None) -> None:
    got = parse_value(raw, unit, header_unit)
    assert got == pytest.approx(value) if value is not None else got is None


@given(st.integers(min_value=-(10**9), max_value=10**9), st.booleans())
def test_integers_survive_printing_in_either_width(n: int, full_width: bool) -> None:
    printed = f"{n:+d}" if n else "0"
    if full_width:
        printed = printed.translate(FULL_WIDTH)
    assert is_value_text(printed)
    assert parse_value(printed, "件") == float(n)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("十二", 12),
        ("两", 2),
        ("二十三", 23),
        ("一百零五", 105),
        ("二〇一八", 2018),
        ("十", 10),
        ("三万五千", 35000),
    ],
)
def test_chinese_numerals(text: str, n: int) -> None:
    assert cn_to_int(text) == n


@given(st.integers(min_value=1, max_value=99999))
def test_chinese_numerals_round_trip(n: int) -> None:
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        else:
            zero = True
    assert cn_to_int(out) == n


@pytest.mark.parametrize(
    ("line", "level", "number"),
    [
        ("一、总体情况", 1, "一、"),
        ("十一、 政府信息公开工作存在的主要问题", 1, "十一、"),
        ("（三）政府信息管理情况。", 2, "（三）"),
        ("(三)政府信息管理情况", 2, "(三)"),
        ("2.其他法律行政法规禁止公开", 3, "2."),
        ("3、其他", 3, "3、"),
        ("（1）政府工作公开透明", 4, "（1）"),
        ("2024年，我市坚持", None, None),
        ("3.5万元", None, None),
    ],
)
def test_numbering_levels(line: str, level: int | None, number: str | None) -> None:
    found = numbering_of(line)
    assert (found[0], found[1]) == (level, number) if level else found is None


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("本年收费金额（单位：万元）", "万元"),
        ("本年收费金额(单位,方元)", "万元"),  # OCR of a copy: 万 read 方 (112.77 was stored as 0.0113 万元)
        ("采购总金额（单位：元）", "元"),
        ("金额（元）", "元"),
        ("采购总金额", None),
    ],
)
def test_the_unit_a_header_declares(label: str, unit: str | None) -> None:
    assert unit_in_label(label) == unit
