"""Rules found in pieces made whole (ocr/broken_rules.py): pure functions on pixel segments."""

from __future__ import annotations

from pipeline.ocr.broken_rules import reach_rules

# a frame 100 × 60 px: top and bottom rules that stop short of its left side, as a copier's specks
# clear a table's corners, and a row rule that stops short of a column rule it crosses
LEFT = (10, 0, 10, 60)
TOP, BOTTOM = (18, 0, 110, 0), (21, 60, 110, 60)
RIGHT = (110, 0, 110, 60)
MIDDLE_COLUMN = (60, 0, 60, 60)
ROW = (68, 30, 110, 30)


def test_a_frames_corner_is_closed_and_only_the_corner() -> None:
    h, v = reach_rules([TOP, BOTTOM, ROW], [LEFT, MIDDLE_COLUMN, RIGHT], reach=16, tol=2, corners=True)
    assert h[0] == (10, 0, 110, 0) and h[1] == (10, 60, 110, 60)
    assert h[2] == ROW  # the column it stops short of runs on through its line: no corner there
    assert v == [LEFT, MIDDLE_COLUMN, RIGHT]


def test_a_broken_rule_reaches_any_crossing_rule() -> None:
    h, _ = reach_rules([TOP, ROW], [LEFT, MIDDLE_COLUMN, RIGHT], reach=16, tol=2)
    assert h == [(10, 0, 110, 0), (60, 30, 110, 30)]


def test_a_rule_further_than_its_reach_is_not_carried() -> None:
    h, _ = reach_rules([(30, 0, 110, 0)], [LEFT, RIGHT], reach=16, tol=2, corners=True)
    assert h == [(30, 0, 110, 0)]
