"""One office, one year, one row: the whole corpus (text, scans, mixed) in one dataset gives one
primary report per office and year, the 洪泽区 names one office, and a panel of six rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import pipeline
from pipeline.store.primary import choose_primaries

from .conftest import needs_corpus


@needs_corpus
def test_one_primary_per_office_and_year(corpus_all_dataset: Path) -> None:
    reports = pipeline.open_dataset(corpus_all_dataset).pandas("reports")
    placed = reports[reports.office_id.notna()]
    assert len(placed) == 11 and reports.is_primary.sum() == 6
    assert (placed.groupby(["office_id", "year"]).is_primary.sum() == 1).all()
    primaries = placed[placed.is_primary]
    assert all(p.startswith("pdf/") for p in primaries.source_path)  # the text layer wins
    others = placed[~placed.is_primary.astype(bool)]
    assert set(others.primary_report_id) <= set(primaries.report_id)
    assert set(others.primary_reason) == {"text_layer"}
    failed = reports[reports.status == "failed"]
    assert len(failed) == 2 and not failed.is_primary.any() and failed.office_id.isna().all()


@needs_corpus
def test_the_two_hongze_names_are_one_office(corpus_all_dataset: Path) -> None:
    data = pipeline.open_dataset(corpus_all_dataset)
    reports = data.pandas("reports")
    hongze = reports[reports.office.isin(["洪泽区人民政府", "淮安市洪泽区人民政府"])]
    assert set(hongze.office) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}
    assert set(hongze.office_id) == {"320813"} and set(hongze.adcode) == {"320813"}
    offices = data.offices().set_index("office_id")
    assert offices.loc["320813", "office"] == "淮安市洪泽区人民政府"
    assert set(offices.loc["320813", "names"]) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}
    assert offices.loc["320813", "level"] == "county" and offices.loc["320813", "parent_id"] == "320800"
    assert offices.loc["350128:综合实验区", "level"] == "zone"


@needs_corpus
def test_the_panel(corpus_all_dataset: Path) -> None:
    panel = pipeline.open_dataset(corpus_all_dataset).panel()
    assert len(panel) == 6 and not panel.duplicated(["office_id", "year"]).any()
    assert panel.year.dtype == pd.Int16Dtype()
    row = panel.set_index(["office", "year"]).loc[("淮安市人民政府", 2024)]
    assert row.requests_received == 3119 and row.requests_received_source == "t3"
    assert row.requests_received_checked and row.files == 3 and row.adcode == "320800"
    assert row.litigation_cases == 46 and row.litigation_cases_source == "t4"  # 直接起诉 + 复议后起诉
    assert row.admin_fees == 96171.6 * 10_000  # 表二 prints 万元; the panel is in 元
    old = panel.set_index(["office_id", "year"]).loc[("350128", 2012)]
    assert old.format == "2008" and old.requests_received_source == "legacy"
    hongze_2023 = panel.set_index(["office_id", "year"]).loc[("320813", 2023)]
    assert hongze_2023.review_cases_checked == False  # noqa: E712  表四's printed 总计 0 ≠ 10 + 1
    con = pipeline.open_dataset(corpus_all_dataset).duckdb()
    assert con.sql("SELECT count(*) FROM panel").fetchall() == [(6,)]


def test_primary_rules_in_order() -> None:
    base = {"year": 2024, "pages": 5, "cells_expected": 10, "cells_found": 10, "cells_flagged": 0}
    rows = [
        {**base, "report_id": "scan", "status": "ok", "ocr_pages": 5},
        {**base, "report_id": "text", "status": "ok", "ocr_pages": 0},
        {**base, "report_id": "partial", "status": "partial", "ocr_pages": 0, "cells_found": 8},
        {**base, "report_id": "failed", "status": "failed", "ocr_pages": 0},
    ]
    decided = choose_primaries(rows, dict.fromkeys(["scan", "text", "partial", "failed"], "o"))
    assert [rid for rid, d in decided.items() if d.is_primary] == ["text"]
    assert decided["text"].primary_reason == "text_layer" and decided["scan"].primary_report_id == "text"
    import datetime as dt

    early = {**rows[1], "report_id": "a", "published": dt.date(2025, 1, 1)}
    late = {**rows[1], "report_id": "b", "published": dt.date(2025, 3, 1)}
    decided = choose_primaries([early, late], {"a": "o", "b": "o"})
    assert decided["b"].is_primary and decided["b"].primary_reason == "later"
