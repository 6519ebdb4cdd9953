"""Which format a report is printed in, from what it prints — never from its year.

2019- and 2021-format reports differ in 表二's columns and in 表三's （六）其他处理 sub-items.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.model import Fact
from pipeline.facts import catalogue


def detect_format(facts: Sequence[Fact], kinds: Sequence[str], has_text: bool) -> str:
    """`2021`, `2019`, `2008` or `unknown`, from the labels the tables print."""
    votes = {"2019": 0, "2021": 0}
    for f in facts:
        if f.table == "t2" and f.row and f.col:
            formats = {
                fmt
                for m in catalogue.metrics()
                if (m.table, m.row, m.col) == ("t2", f.row, f.col)
                for fmt in m.formats
            }
            if len(formats) == 1:
                votes[formats.pop()] += 1
    if votes["2019"] != votes["2021"]:
        return max(votes, key=lambda k: votes[k])
    t3_rows = {f.row for f in facts if f.table == "t3" and f.row}
    if any(r.startswith("other.") for r in t3_rows):
        return "2021"
    if "other" in t3_rows:
        return "2019"
    if any(k in ("t2", "t3", "t4") for k in kinds):
        return "2021"
    return "2008" if has_text else "unknown"
