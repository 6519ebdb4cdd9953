"""The arithmetic identities of 表三 and 表四, tested on the facts as printed.

A report's own errors are reported as failed checks, never corrected. A check runs only when the
total it tests was printed as a number; blank or '/' addends count as zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.core.config import SOUND_CONFIDENCE
from pipeline.core.model import Check, Fact
from pipeline.knowledge.load import knowledge

T3_RESULT_PREFIXES = ("granted", "partially_granted", "denied.", "unavailable.", "not_processed.", "other")
FAILED_CHECK_PENALTY = 0.75  # confidence factor for a cell that takes part in a failed identity

Key = tuple[str, str]


def table_values(facts: Iterable[Fact]) -> dict[str, dict[Key, float | None]]:
    """表三's and 表四's values by (row, col), the first fact of a key where two share it."""
    out: dict[str, dict[Key, float | None]] = {"t3": {}, "t4": {}}
    for f in facts:
        if f.table in out and f.row and f.col:
            out[f.table].setdefault((f.row, f.col), f.value)
    return out


Identity = tuple[str, str, tuple[Key, ...], tuple[Key, ...]]  # table, name, totals, parts


def identity_check(identity: Identity, values: dict[Key, float | None]) -> Check | None:
    """sum(totals) == sum(parts), when every total is a printed number and some part is present."""
    table, name, totals, parts = identity
    if any(values.get(k) is None for k in totals):
        return None
    present = [k for k in parts if k in values]
    if not present:
        return None
    expected = sum(values[k] or 0.0 for k in totals)
    actual = sum(values[k] or 0.0 for k in present)
    return Check(table, name, expected, actual, abs(actual - expected) < 1e-6, (*totals, *present))


def _parts(table: str) -> tuple[str, ...]:
    """A table's columns that add up to its 总计 column (every column but `total`)."""
    return tuple(c for c in knowledge().columns(table) if c != "total")


def t3_identities(rows: set[str]) -> list[Identity]:
    """表三's identities over the rows it has (the sub-items of 其他处理, or the row itself)."""
    applicants = _parts("t3")
    has_sub_items = any(r.startswith("other.") for r in rows)
    result_rows = sorted(
        r for r in rows if r.startswith(T3_RESULT_PREFIXES) and not (r == "other" and has_sub_items)
    )
    out: list[Identity] = []
    for col in (*applicants, "total"):
        # 一 + 二 = （七）总计 + 四
        out.append(
            (
                "t3",
                f"t3.balance.{col}",
                (("total_processed", col), ("carried_forward", col)),
                (("new_received", col), ("carried_over", col)),
            )
        )
        # （七）总计 = （一） + … + （六）
        out.append(
            ("t3", f"t3.results.{col}", (("total_processed", col),), tuple((r, col) for r in result_rows))
        )
    for row in sorted(rows):
        # 总计 column = the six applicant columns
        out.append(("t3", f"t3.row_total.{row}", ((row, "total"),), tuple((row, c) for c in applicants)))
    return out


def t4_identities() -> list[Identity]:
    parts = _parts("t4")
    return [
        ("t4", f"t4.{row}.total", ((row, "total"),), tuple((row, p) for p in parts))
        for row in knowledge().row_orders("t4")[0]
    ]


def identities(facts: Iterable[Fact]) -> list[Identity]:
    """The identities of 表三 and 表四 that the facts' rows call for."""
    rows = {f.row for f in facts if f.table == "t3" and f.row and f.col}
    return t3_identities(rows) + t4_identities()


def facts_to_checks(facts: list[Fact]) -> list[Check]:
    values = table_values(facts)
    checks = (identity_check(identity, values[identity[0]]) for identity in identities(facts))
    return [c for c in checks if c is not None]


def apply_checks(facts: list[Fact], checks: list[Check]) -> list[Fact]:
    """What the identities say about each cell they cover.

    A cell in a failed identity loses confidence (`check_failed`). An OCR reading in doubt
    (`ocr_unsure`) whose identities all hold is confirmed: one misread digit cannot keep every
    sum it takes part in true, so it counts as a sound reading. (A key taken from the printed
    order stays in doubt: sums do not tell which result row is which.)
    """
    failed = {(c.table, *k) for c in checks if not c.passed for k in c.cells}
    passed = {(c.table, *k) for c in checks if c.passed for k in c.cells}
    out = []
    for f in facts:
        key = (f.table, f.row, f.col)
        if key in failed:
            f = replace(f, confidence=f.confidence * FAILED_CHECK_PENALTY).flagged("check_failed")
        elif key in passed and "ocr_unsure" in f.flags:
            flags = tuple(x for x in f.flags if x != "ocr_unsure")
            confidence = f.confidence if flags else max(f.confidence, SOUND_CONFIDENCE)
            f = replace(f, confidence=confidence, flags=flags)
        out.append(f)
    return out
