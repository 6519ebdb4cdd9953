"""The real reports with a text layer: the 2019/2021 tables scored by ../shared/eval/score.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CORPUS, needs_corpus, score_rates

pytestmark = needs_corpus


def _truths(fmt: set[str]) -> list[Path]:
    out = []
    for f in sorted((CORPUS / "truth").glob("*.json")):
        truth = json.loads(f.read_text(encoding="utf-8"))
        if (CORPUS / "pdf" / truth["file"]).exists() and truth["format"] in fmt:
            out.append(f)
    return out


def test_table_reports_meet_the_issue_targets(corpus_pdf_dataset: Path, tmp_path: Path) -> None:
    rates = score_rates(corpus_pdf_dataset, _truths({"2019", "2021"}), tmp_path)
    assert rates["cell"]["rate"] == 1.0, rates["cell"]
    assert rates["heading"]["rate"] >= 0.98, rates["heading"]
    assert rates["doc"]["rate"] >= 0.95, rates["doc"]


def test_pre_2019_reports_are_processed(corpus_pdf_dataset: Path, tmp_path: Path) -> None:
    rates = score_rates(corpus_pdf_dataset, _truths({"2008"}), tmp_path)
    assert rates["doc"]["rate"] == 1.0, rates["doc"]
    assert rates["heading"]["rate"] == 1.0, rates["heading"]
    assert rates["appendix"]["rate"] == 1.0, rates["appendix"]


# Failed identities are the reports' own printing errors, each documented in its truth's data_quality.
OWN_ERRORS = {
    "2023_huaian-hongze.pdf": {"t4.review.total", "t4.litigation_after_review.total"},  # 总计 printed as 0
    "2024_huaian-city.pdf": set(),
    "2024_huaian-hongze.pdf": set(),
    "2020_pingtan-syq_80595.pdf": {
        "t3.results.natural_person",
        "t3.results.total",
    },  # rows sum to 26, 总计 20
}


@pytest.mark.parametrize(("name", "expected"), sorted(OWN_ERRORS.items()))
def test_failed_checks_are_exactly_the_reports_own_errors(
    corpus_pdf_dataset: Path, name: str, expected: set[str]
) -> None:
    import pandas as pd

    reports = pd.read_parquet(corpus_pdf_dataset / "reports")
    row = reports[reports.source_path == name].iloc[0]
    assert row.status == "ok"
    checks = pd.read_parquet(corpus_pdf_dataset / "checks")
    mine = checks[checks.report_id == row.report_id]
    failed = set(mine[~mine.passed].check)
    assert failed == expected
    assert len(mine) >= 20  # the identities were tested, not skipped
