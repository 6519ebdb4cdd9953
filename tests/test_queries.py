"""Every code block of docs/queries.md, run against a freshly ingested corpus dataset.

Blocks marked `<!-- query: NAME -->` are SQL run with DuckDB; `<!-- run: python -->` blocks are
executed. `data/processed` in them is replaced by the test dataset's folder.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from tests.conftest import ROOT, needs_corpus

GUIDE = ROOT / "docs" / "queries.md"
BLOCK = re.compile(r"<!-- (query|run): ([\w-]+) -->\n```(\w+)\n(.*?)```", re.S)


def blocks() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, name, _lang, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        found.setdefault(name if kind == "query" else "python", []).append(body)
    return found


def run_sql(name: str, dataset: Path) -> list[dict[str, Any]]:
    (sql,) = blocks()[name]
    frame = duckdb.sql(sql.replace("data/processed", str(dataset))).df()
    return frame.to_dict("records")  # type: ignore[no-any-return]


def test_the_guide_has_its_blocks() -> None:
    found = blocks()
    assert len(found["python"]) == 4
    assert {
        "requests_per_office_year",
        "denied_share_by_year_format",
        "offices_failing_checks",
        "facts_of_primary_reports",
        "review_and_litigation",
    } <= set(found)


@needs_corpus
@pytest.mark.parametrize("index", range(4))
def test_loading_examples_run(corpus_all_dataset: Path, index: int) -> None:
    code = blocks()["python"][index].replace("data/processed", str(corpus_all_dataset))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"docs/queries.md python block {index}", "exec"), {})
    assert out.getvalue().strip()


@needs_corpus
def test_requests_per_office_year(corpus_all_dataset: Path) -> None:
    found = run_sql("requests_per_office_year", corpus_all_dataset)
    rows = {(r["office_id"], r["year"]): r for r in found}
    assert len(found) == len(rows) == 6  # text, scans and mixed: one row per office and year
    assert rows[("320800", 2024)]["requests_received"] == 3119 and rows[("320800", 2024)]["files"] == 3
    assert rows[("320813", 2023)]["requests_received"] == 21
    assert rows[("320813", 2024)]["requests_received"] == 95  # 表三, not the prose's 17
    assert rows[("320813", 2024)]["office"] == "淮安市洪泽区人民政府"
    assert rows[("350128", 2012)]["requests_received"] == 21  # 2008 format: the 统计表
    assert rows[("350128", 2012)]["source"] == "legacy"
    assert rows[("350128:综合实验区", 2020)]["requests_received"] == 21
    assert rows[("320813", 2023)]["adcode"] == "320813"


@needs_corpus
def test_denied_share_matches_pandas_on_primary_reports(corpus_all_dataset: Path) -> None:
    got = {(r["year"], r["format"]): r for r in run_sql("denied_share_by_year_format", corpus_all_dataset)}
    facts = pd.read_parquet(corpus_all_dataset / "facts")
    reports = pd.read_parquet(corpus_all_dataset / "reports")
    primary = reports[reports["is_primary"].fillna(False).astype(bool)]
    t3 = facts[(facts["table"] == "t3") & (facts["col"] == "total")].merge(primary, on="report_id")
    for (year, fmt), part in t3.groupby(["year", "format"]):
        denied = part[part["row"].str.startswith("denied.", na=False)]["value"].sum()
        handled = part[part["row"] == "total_processed"]["value"].sum()
        assert got[(year, fmt)]["denied"] == denied and got[(year, fmt)]["handled"] == handled
        assert got[(year, fmt)]["denied_share"] == pytest.approx(round(denied / handled, 4))
    city = got[(2024, "2021")]
    assert city["offices"] == 2 and city["handled"] == 3050 + 95  # not 3 × 3050 + 2 × 95
    assert got[(2012, "2008")]["denied"] == 2 and got[(2012, "2008")]["handled"] == 21


@needs_corpus
def test_offices_failing_checks_listed_once(corpus_all_dataset: Path) -> None:
    rows = run_sql("offices_failing_checks", corpus_all_dataset)
    assert {(r["office"], r["year"], r["table"], r["failed_checks"]) for r in rows} == {
        ("洪泽区人民政府", 2023, "t4", 2),
        ("平潭综合实验区", 2020, "t3", 2),
    }
    hongze = next(r for r in rows if r["table"] == "t4")
    assert "t4.review.total (printed 0.0, parts sum to 11.0)" in hongze["which"]


@needs_corpus
def test_facts_of_primary_reports(corpus_all_dataset: Path) -> None:
    rows = run_sql("facts_of_primary_reports", corpus_all_dataset)
    total = {(r["office_id"], r["year"]): r["value"] for r in rows if r["col"] == "total"}
    assert total == {
        ("320800", 2024): 3119,
        ("320813", 2023): 21,
        ("320813", 2024): 95,
        ("350128:综合实验区", 2020): 21,
    }
    assert len(rows) == 4 * 7  # 7 columns of row 新收, once per office and year


@needs_corpus
def test_review_and_litigation(corpus_all_dataset: Path) -> None:
    rows = {r["year"]: r for r in run_sql("review_and_litigation", corpus_all_dataset)}
    assert rows[2024]["reviews"] == 351 + 2 and rows[2024]["lawsuits"] == 46 + 4
    assert rows[2023]["failing_table"] == 1  # 洪泽区 2023: 表四's printed totals of 0
