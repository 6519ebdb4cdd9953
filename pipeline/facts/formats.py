"""Which format a report is printed in, from what it prints — never from its year.

2019- and 2021-format reports differ in 表二's columns and in 表三's （六）其他处理 sub-items.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.model import Fact
from pipeline.core.text import squash
from pipeline.knowledge.load import knowledge


def detect_format(facts: Sequence[Fact], kinds: Sequence[str], has_text: bool, text: str = "") -> str:
    """A format of formats.toml, or `unknown`: from the labels 表二 prints, else the one circular
    the report cites (国办公开办函〔2021〕30号), else 表三's rows (its [detection])."""
    k = knowledge()
    rule = k.detection
    votes = {f.key: 0 for f in k.formats if rule.vote_table in f.tables}
    for f in facts:
        if f.table == rule.vote_table and f.row and f.col:
            formats = {
                fmt
                for m in k.metrics
                if (m.table, m.row, m.col) == (f.table, f.row, f.col)
                for fmt in m.formats
            }
            if len(formats) == 1 and (fmt := formats.pop()) in votes:
                votes[fmt] += 1
    if len(set(votes.values())) > 1:
        return max(votes, key=lambda key: votes[key])
    plain = squash(text)
    cited = [f.key for f in k.formats if any(squash(c) in plain for c in f.cites)]
    if len(cited) == 1:
        return cited[0]
    t3_rows = {f.row for f in facts if f.table == "t3" and f.row}
    for fmt, marks in rule.t3_rows:
        if t3_rows & marks:
            return fmt
    if any(kind in fmt.tables for fmt in k.formats for kind in kinds):
        return rule.tables_default
    return rule.text_default if has_text else "unknown"
