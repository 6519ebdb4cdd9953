"""Printed cell values → numbers in the canonical unit, keeping blank / 0 / '/' / '-' apart."""

from __future__ import annotations

import re

from pipeline.core.text import squash

NOT_APPLICABLE = {"/", "-", "—", "——", "--", "－", "_", "无", "空", "\\", "／"}
UNITS = ("万元", "元", "件", "条", "项", "个", "次", "%")
_DECIMAL_COMMA = r"\d+,\d{2}"  # a comma groups three digits, never two: OCR's decimal point
_NUMBER = re.compile(
    rf"([+-]?)(\d+(?:,\d{{3}})*(?:\.\d+)?|\d*\.\d+|{_DECIMAL_COMMA})(万元|元|件|条|项|个|次|%)?"
)
MONEY = ("元", "万元")
COUNTS = ("件", "条", "项", "个", "次")  # units of whole numbers
_UNIT_IN_LABEL = re.compile(r"(?:单位[:：])?\s*(万元|元)\s*[)）]?\s*$")
# (单位,方元): the unit clause as OCR may read it — one character before 元 can only be 万
_READ_UNIT_IN_LABEL = re.compile(r"单位[:：,，.]?\s*[^\W元]元\s*[)）]?\s*$")


def is_value_text(text: str) -> bool:
    """A printed number or not-applicable mark (not a label); blank is not a value text."""
    s = squash(text)
    return s in NOT_APPLICABLE or _NUMBER.fullmatch(s) is not None


def is_blank(text: str) -> bool:
    return squash(text) == ""


def unit_in_label(label: str) -> str | None:
    """The money unit a column header declares, as in 本年收费金额（单位：万元）."""
    if _READ_UNIT_IN_LABEL.search(squash(label)):
        return "万元"
    m = _UNIT_IN_LABEL.search(squash(label))
    return m.group(1) if m else None


def parse_value(raw: str, unit: str | None = None, header_unit: str | None = None) -> float | None:
    """The number in `unit`; None for blank, not-applicable or unreadable text.

    `header_unit` is the money unit the column header declares; a unit printed in the cell wins.
    """
    s = squash(raw)
    if s in NOT_APPLICABLE or not s:
        return None
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    sign, digits, printed_unit = m.groups()
    source_unit = printed_unit or header_unit
    if re.fullmatch(_DECIMAL_COMMA, digits):
        # before a sum's two last digits the comma is its decimal point (1457633,24 元); a
        # count's is no number
        if (source_unit or unit) not in MONEY:
            return None
        digits = digits.replace(",", ".")
    value = float(digits.replace(",", ""))
    if sign == "-":
        value = -value
    if unit in MONEY and source_unit in MONEY and source_unit != unit:
        value = value * 10000 if source_unit == "万元" else value / 10000
    return value
