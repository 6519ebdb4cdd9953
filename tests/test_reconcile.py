"""Choosing between OCR readings with the identities of 表三/表四 (facts built by hand: the
function is pure, and the corpus scans happen to give it nothing to choose)."""

from __future__ import annotations

from pipeline.core.model import Fact
from pipeline.facts.checks import facts_to_checks
from pipeline.facts.reconcile import CHOSEN_CONFIDENCE, choose_readings

PARTS = ("maintained", "corrected", "other", "pending")


def t4(
    row: str, values: dict[str, str], alternatives: dict[str, tuple[str, ...]] | None = None
) -> list[Fact]:
    alternatives = alternatives or {}
    return [
        Fact("t4", row, col, "", col, float(raw), raw, "件", 5, "ocr", 0.95 if col not in alternatives else 0.3,
             alternatives=alternatives.get(col, ()))
        for col, raw in values.items()
    ]  # fmt: skip


def by_col(facts: list[Fact]) -> dict[str, Fact]:
    return {f.col or "": f for f in facts}


def test_the_only_reading_that_adds_up_is_taken() -> None:
    # 9 read as 8: 1 + 8 + 0 + 0 != 10, and only the alternative 9 makes it add up
    facts = t4("review", {"maintained": "1", "corrected": "8", "other": "0", "pending": "0", "total": "10"},
               {"corrected": ("9",)})  # fmt: skip
    chosen = by_col(choose_readings(facts))
    assert chosen["corrected"].raw == "9" and chosen["corrected"].value == 9.0
    assert chosen["corrected"].confidence == CHOSEN_CONFIDENCE
    assert chosen["corrected"].alternatives == ("8",)
    assert all(c.passed for c in facts_to_checks(list(chosen.values())))


def test_two_ways_to_add_up_choose_nothing() -> None:
    facts = t4("review", {"maintained": "1", "corrected": "8", "other": "0", "pending": "0", "total": "10"},
               {"corrected": ("9",), "maintained": ("2",)})  # fmt: skip
    assert choose_readings(facts) == facts


def test_a_misprinted_total_is_never_corrected() -> None:
    # the report's own error (the corpus has one: 总计 printed as 0): no alternative, no change
    facts = t4("review", {"maintained": "10", "corrected": "1", "other": "0", "pending": "0", "total": "0"})
    assert choose_readings(facts) == facts


def test_an_alternative_that_does_not_help_is_left_as_an_alternative() -> None:
    facts = t4("review", {"maintained": "1", "corrected": "8", "other": "0", "pending": "0", "total": "10"},
               {"corrected": ("3",)})  # fmt: skip
    assert choose_readings(facts) == facts
