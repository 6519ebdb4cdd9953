"""Folios in the page margins are not body lines, even as OCR garbles them."""

from __future__ import annotations

import pytest

from pipeline.core.model import BBox, Line
from pipeline.layout.lines import is_page_furniture

HEIGHT = 842.0


def line_at(text: str, top: float) -> Line:
    return Line(text, BBox(280.0, top, 320.0, top + 10.0), 10.0, ())


@pytest.mark.parametrize(
    "text", ["- 3 -", "-3-", "3", "第3页", "第3页共10页", "3/10", "1 M 1", "— 2 —", "~4~", "- 2 _"]
)
def test_folios_in_the_bottom_margin_are_furniture(text: str) -> None:
    assert is_page_furniture(line_at(text, 800.0), HEIGHT)


@pytest.mark.parametrize("text", ["- 3 -", "1 M 1"])
def test_folios_in_the_top_margin_are_furniture(text: str) -> None:
    assert is_page_furniture(line_at(text, 20.0), HEIGHT)


@pytest.mark.parametrize(
    "text",
    ["2187.2 元。", "六、其他需要报告的事项", "第三节", "12。", "Section 12 of the law", "(一)", "ABC"],
)
def test_body_text_in_the_margin_is_kept(text: str) -> None:
    assert not is_page_furniture(line_at(text, 800.0), HEIGHT)


@pytest.mark.parametrize("text", ["- 3 -", "1 M 1", "3"])
def test_nothing_is_furniture_outside_the_margins(text: str) -> None:
    assert not is_page_furniture(line_at(text, 400.0), HEIGHT)


@pytest.mark.parametrize(
    ("text", "furniture"), [("第2页", True), ("- 2 -", True), ("2/10", True), ("2", False)]
)
def test_a_folio_marked_as_one_is_furniture_a_little_further_in(text: str, furniture: bool) -> None:
    """A phone photo's page, straightened from its outline, set 第 2 页 10.3% from the bottom: its
    table on the next page was not joined. A bare number there may be a line of the body."""
    assert is_page_furniture(line_at(text, 745.0), HEIGHT) is furniture
