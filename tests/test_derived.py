"""Dataset-wide rows: the 统计表 cross-year checks are recomputed after a run, never duplicated."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.store.compact import compact
from pipeline.store.derived import refresh_cross_year_checks
from pipeline.store.parts import ensure_tables, write_batch


def _report(rid: str, office: str, year: int, current: float, cumulative: float) -> dict[str, list[dict]]:
    facts = [
        {
            "report_id": rid,
            "table": "legacy",
            "row": "requests_received",
            "col": col,
            "value": v,
            "raw": str(v),
        }
        for col, v in (("current", current), ("cumulative", cumulative))
    ]
    checks = [
        {
            "report_id": rid,
            "table": "t3",
            "check": "t3.balance.total",
            "expected": 1.0,
            "actual": 1.0,
            "passed": True,
        }
    ]
    reports = [{"report_id": rid, "office": office, "year": year, "status": "ok"}]
    return {"facts": facts, "checks": checks, "reports": reports}


def _cross_year(out: Path) -> pd.DataFrame:
    checks = pd.read_parquet(out / "checks")
    return checks[checks.check.str.startswith("legacy.cumulative.")]


def test_a_new_report_completes_a_pair_and_reruns_replace_not_add(tmp_path: Path) -> None:
    ensure_tables(tmp_path)
    write_batch(tmp_path, "r1-00000", _report("a2011", "平潭县人民政府", 2011, 10, 30))
    assert refresh_cross_year_checks(tmp_path, "r1") == 0  # one year alone: nothing to check

    write_batch(tmp_path, "r2-00000", _report("a2012", "平潭县人民政府", 2012, 5, 36))  # 30 + 5 != 36
    assert refresh_cross_year_checks(tmp_path, "r2") == 1
    (row,) = _cross_year(tmp_path).itertuples()
    assert (row.report_id, row.passed, row.expected, row.actual) == ("a2012", False, 36.0, 35.0)

    write_batch(tmp_path, "r3-00000", _report("a2013", "平潭县人民政府", 2013, 4, 40))  # 36 + 4 = 40
    compact(tmp_path, "size", 2**27, "r3-c")  # the old derived rows may now sit in a merged part
    assert refresh_cross_year_checks(tmp_path, "r3") == 2
    derived = _cross_year(tmp_path).sort_values("report_id")
    assert list(zip(derived.report_id, derived.passed, strict=True)) == [("a2012", False), ("a2013", True)]
    assert len(pd.read_parquet(tmp_path / "checks")) == 3 + 2  # the per-report checks are untouched
