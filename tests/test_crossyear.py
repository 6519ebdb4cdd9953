"""统计表 历年累计 checked against the office's report of the year before."""

from __future__ import annotations

import pyarrow as pa

from pipeline.store.crossyear import cross_year_checks
from pipeline.store.schema import SCHEMAS


def _facts(rows: list[tuple[str, str, str, float]]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"report_id": rid, "table": "legacy", "row": row, "col": col, "value": v}
            for rid, row, col, v in rows
        ],
        schema=SCHEMAS["facts"],
    )


def _reports(rows: list[tuple[str, str, int]]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"report_id": rid, "office": office, "year": year} for rid, office, year in rows],
        schema=SCHEMAS["reports"],
    )


def test_cumulative_follows_from_last_year() -> None:
    facts = _facts(
        [
            ("a2011", "proactive_items", "current", 100),
            ("a2011", "proactive_items", "cumulative", 300),
            ("a2012", "proactive_items", "current", 50),
            ("a2012", "proactive_items", "cumulative", 350),  # 300 + 50: holds
            ("a2011", "requests_received", "cumulative", 10),
            ("a2012", "requests_received", "current", 4),
            ("a2012", "requests_received", "cumulative", 13),  # 10 + 4 = 14: fails
            ("b2012", "proactive_items", "current", 1),
            ("b2012", "proactive_items", "cumulative", 1),  # no 2011 report of this office: no check
        ]
    )
    reports = _reports(
        [
            ("a2011", "平潭县人民政府", 2011),
            ("a2012", "平潭县人民政府", 2012),
            ("b2012", "某镇人民政府", 2012),
        ]
    )
    checks = {c["check"]: c for c in cross_year_checks(facts, reports, "run")}
    assert set(checks) == {"legacy.cumulative.proactive_items", "legacy.cumulative.requests_received"}
    assert checks["legacy.cumulative.proactive_items"]["passed"] is True
    failed = checks["legacy.cumulative.requests_received"]
    assert (failed["passed"], failed["expected"], failed["actual"], failed["report_id"]) == (
        False,
        13,
        14,
        "a2012",
    )
