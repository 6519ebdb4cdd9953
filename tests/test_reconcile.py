"""Choosing between OCR readings with the identities of 表三/表四 (facts built by hand: the
function is pure, and the corpus scans happen to give it nothing to choose)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.core.model import Fact
from pipeline.facts.checks import facts_to_checks
from pipeline.facts.reconcile import (
    CHOSEN_CONFIDENCE,
    INFERRED_CONFIDENCE,
    choose_readings,
    inferred_unreadable,
    one_glyph_corrected,
)

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


def unreadable(facts: list[Fact], col: str, raw: str = "和") -> list[Fact]:
    """The cell `col` as the engine left it: ink read as no number."""
    return [
        replace(f, value=None, raw=raw, confidence=0.0).flagged("ocr_unreadable") if f.col == col else f
        for f in facts
    ]


@pytest.mark.parametrize("col", ["maintained", "corrected", "total"])
def test_an_unreadable_cell_takes_the_value_its_identity_fixes(col: str) -> None:
    facts = unreadable(
        t4("review", {"maintained": "1", "corrected": "9", "other": "0", "pending": "2", "total": "12"}), col
    )
    filled = by_col(inferred_unreadable(facts))[col]
    want = {"maintained": 1.0, "corrected": 9.0, "total": 12.0}[col]
    assert filled.value == want and filled.raw == "和"
    assert filled.confidence == INFERRED_CONFIDENCE and filled.flags == ("inferred_by_check",)
    assert all(c.passed for c in facts_to_checks(inferred_unreadable(facts)))


def test_two_unknowns_in_one_identity_stay_unknown() -> None:
    facts = t4("review", {"maintained": "1", "corrected": "9", "other": "0", "pending": "2", "total": "12"})
    facts = unreadable(unreadable(facts, "maintained"), "corrected")
    assert inferred_unreadable(facts) == facts


def test_a_missing_cell_or_an_unprinted_total_fixes_nothing() -> None:
    facts = unreadable(
        t4("review", {"maintained": "1", "corrected": "9", "other": "0", "total": "12"}), "corrected"
    )
    assert inferred_unreadable(facts) == facts  # 'pending' was never found
    blank_total = t4(
        "review", {"maintained": "1", "corrected": "9", "other": "0", "pending": "2", "total": "12"}
    )
    blank_total = [replace(f, value=None, raw="") if f.col == "total" else f for f in blank_total]
    assert inferred_unreadable(unreadable(blank_total, "corrected")) == unreadable(blank_total, "corrected")


def test_a_negative_value_is_no_count() -> None:
    # the printed figures do not add up (a misprint, or a misread): no count can make them
    facts = unreadable(
        t4("review", {"maintained": "5", "corrected": "9", "other": "0", "pending": "2", "total": "12"}),
        "other",
    )
    assert inferred_unreadable(facts) == facts


def test_a_cell_read_doubtfully_is_never_overwritten() -> None:
    facts = t4("review", {"maintained": "1", "corrected": "8", "other": "0", "pending": "2", "total": "12"})
    assert inferred_unreadable(facts) == facts


def t3(values: dict[tuple[str, str], float]) -> list[Fact]:
    return [
        Fact("t3", row, col, "", col, v, str(int(v)), "件", 3, "ocr", 0.95)
        for (row, col), v in values.items()
    ]


@pytest.mark.parametrize(("processed", "filled"), [(3.0, 3.0), (4.0, None)])
def test_every_identity_must_agree(processed: float, filled: float | None) -> None:
    # 予以公开 of natural persons unread: its row's 总计 says 3; （七）总计's column says `processed`
    applicants = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
    values = {("granted", c): 0.0 for c in applicants} | {("total_processed", c): 0.0 for c in applicants}
    values |= {("granted", "natural_person"): 3.0, ("granted", "total"): 3.0}
    values |= {("total_processed", "natural_person"): processed, ("total_processed", "total"): processed}
    facts = unreadable(t3(values), "natural_person")
    facts = [
        f
        if f.row == "granted"
        else replace(f, value=values[(f.row or "", f.col or "")], confidence=0.95, flags=())
        for f in facts
    ]
    cell = next(f for f in inferred_unreadable(facts) if (f.row, f.col) == ("granted", "natural_person"))
    assert cell.value == filled


def test_a_zero_is_not_inferred_where_the_table_leaves_cells_blank() -> None:
    facts = t4("review", {"maintained": "1", "corrected": "9", "other": "0", "pending": "2", "total": "12"})
    facts = unreadable(facts, "other")
    assert by_col(inferred_unreadable(facts))["other"].value == 0.0
    blank = t4(
        "litigation_direct", {"maintained": "0", "corrected": "0", "other": "0", "pending": "0", "total": "0"}
    )
    blank = [replace(f, value=None, raw="") if f.col == "pending" else f for f in blank]
    review = [f for f in inferred_unreadable(facts + blank) if f.row == "review"]
    assert by_col(review)["other"].value is None


APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


def _t3_grid(misread: dict[tuple[str, str], str]) -> list[Fact]:
    """表三's 予以公开 and 不予公开 rows and their 总计 row, every figure 0 but 予以公开's natural
    persons (3), read by OCR; `misread` cells read otherwise."""
    values = {
        (r, c): 0.0
        for r in ("granted", "denied.state_secret", "total_processed")
        for c in (*APPLICANTS, "total")
    }
    for r in ("granted", "total_processed"):
        values[(r, "natural_person")] = values[(r, "total")] = 3.0
    facts = t3(values)
    return [
        replace(f, raw=misread[k], value=float(misread[k]))
        if (k := (f.row or "", f.col or "")) in misread
        else f
        for f in facts
    ]


@pytest.mark.parametrize(
    "misread",
    [
        {("denied.state_secret", "commercial"): "9"},  # a copied 0 read 9
        {
            ("denied.state_secret", "commercial"): "9",
            ("denied.state_secret", "research"): "6",
        },  # two in a row
        {("granted", "total"): "8"},  # a total
        {("granted", "total"): "8", ("total_processed", "total"): "5"},  # a total and the total of totals
        # three, two in one row and two in one column: no identity says what either should be
        {
            ("denied.state_secret", "commercial"): "9",
            ("denied.state_secret", "total"): "6",
            ("granted", "commercial"): "9",
        },
    ],
)
def test_digits_misread_that_rows_and_columns_fix_are_corrected(misread: dict[tuple[str, str], str]) -> None:
    truth = {(f.row, f.col): f.value for f in _t3_grid({})}
    fixed = {(f.row, f.col): f for f in choose_readings(_t3_grid(misread))}
    for key, read in misread.items():
        assert fixed[key].value == truth[key] and fixed[key].alternatives == (read,)
        assert fixed[key].confidence == CHOSEN_CONFIDENCE and "chosen_by_check" in fixed[key].flags
    assert all(c.passed for c in facts_to_checks(list(fixed.values())))


def test_one_misread_digit_is_corrected_before_any_search() -> None:
    misread = {("denied.state_secret", "commercial"): "9"}
    fixed = {(f.row, f.col): f for f in one_glyph_corrected(_t3_grid(misread))}
    assert fixed[("denied.state_secret", "commercial")].value == 0.0
    two = {("denied.state_secret", "commercial"): "9", ("denied.state_secret", "research"): "6"}
    assert one_glyph_corrected(_t3_grid(two)) == _t3_grid(two)  # its row says otherwise: the search's


def test_a_misread_that_is_no_one_glyph_is_left_as_read() -> None:
    facts = _t3_grid({("granted", "natural_person"): "13"})  # a digit more
    assert choose_readings(facts) == facts and one_glyph_corrected(facts) == facts


def test_a_text_layer_figure_is_never_corrected() -> None:
    facts = [replace(f, method="text") for f in _t3_grid({("denied.state_secret", "commercial"): "9"})]
    assert choose_readings(facts) == facts


def test_readings_of_one_value_are_one_fit() -> None:
    # the engine's '-0' beside a '0' (seen on a photocopy): no second way to add up
    facts = _t3_grid({("denied.state_secret", "commercial"): "9", ("denied.state_secret", "total"): "6"})
    facts = [
        replace(f, alternatives=("-0",)) if (f.row, f.col) == ("denied.state_secret", "research") else f
        for f in facts
    ]
    fixed = {(f.row, f.col): f for f in choose_readings(facts)}
    assert (
        fixed[("denied.state_secret", "commercial")].value == 0.0
        and fixed[("denied.state_secret", "total")].value == 0.0
    )
