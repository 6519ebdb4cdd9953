"""How far to trust each extracted figure: what the checks and the reading's confidence say.

A figure's status, first match wins:
  `failed`    it takes part in an arithmetic identity (`checks`) that does not hold;
  `low`       its confidence is below SOUND_CONFIDENCE (core/config.py: a reading in doubt, a key
              from the printed order; `facts.flags` says why);
  `checked`   it takes part only in identities that hold;
  `unchecked` no identity covers it (表二, prose figures, pre-2019 统计表) and it was read cleanly.
`checks.cells` lists `row:col` keys; they are matched to the facts of the same table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.core.config import SOUND_CONFIDENCE

Status = Literal["failed", "low", "checked", "unchecked"]
STATUSES: tuple[Status, ...] = ("failed", "low", "checked", "unchecked")


@dataclass(frozen=True)
class CellStatus:
    status: Status
    failed_checks: tuple[str, ...] = ()  # names of the failed identities the figure is part of


def _key(table: str, cell: str) -> tuple[str, str, str]:
    row, _, col = cell.rpartition(":")
    return table, row, col


def statuses(
    facts: Sequence[Mapping[str, Any]],
    checks: Sequence[Mapping[str, Any]],
    low: float = SOUND_CONFIDENCE,  # one threshold for every view and for SQL
) -> list[CellStatus]:
    """The status of each fact, in the order given."""
    failed: dict[tuple[str, str, str], list[str]] = {}
    passed: set[tuple[str, str, str]] = set()
    for check in checks:
        for cell in check.get("cells") or ():
            key = _key(check["table"], cell)
            if check["passed"]:
                passed.add(key)
            else:
                failed.setdefault(key, []).append(check["check"])
    out: list[CellStatus] = []
    for fact in facts:
        key = (fact["table"], fact["row"] or "", fact["col"] or "")
        confidence = fact.get("confidence")
        if fact["row"] is not None and key in failed:
            out.append(CellStatus("failed", tuple(failed[key])))
        elif confidence is not None and confidence < low:
            out.append(CellStatus("low"))
        elif fact["row"] is not None and key in passed:
            out.append(CellStatus("checked"))
        else:
            out.append(CellStatus("unchecked"))
    return out
