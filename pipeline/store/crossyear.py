"""Checks that need two reports: the 统计表's 历年累计 (cumulative) against the year before.

For an office with 统计表 figures in year Y and Y-1, each row should satisfy
    本年度(Y) + 历年累计(Y-1) = 历年累计(Y).
These checks belong to the dataset, not to one file: they are recomputed over the whole dataset
after every run and written as the `derived` part of the `checks` table.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from pipeline.core.text import squash
from pipeline.store.schema import Row

Figures = dict[tuple[str, str], float]  # (row key, current|cumulative) → value


def legacy_figures(facts: pa.Table, reports: pa.Table) -> dict[tuple[str, int], tuple[str, Figures]]:
    """(office, year) → (report_id, its 统计表 figures), for reports that have them."""
    about = {
        r["report_id"]: (squash(r["office"]), r["year"])
        for r in reports.select(["report_id", "office", "year"]).to_pylist()
        if r["office"] and r["year"]
    }
    figures: dict[str, Figures] = defaultdict(dict)
    for f in facts.select(["report_id", "table", "row", "col", "value"]).to_pylist():
        if f["table"] == "legacy" and f["row"] and f["col"] and f["value"] is not None:
            figures[f["report_id"]].setdefault((f["row"], f["col"]), f["value"])
    out: dict[tuple[str, int], tuple[str, Figures]] = {}
    for report_id, values in figures.items():
        if report_id in about:
            out.setdefault(about[report_id], (report_id, values))
    return out


def cross_year_checks(facts: pa.Table, reports: pa.Table, run_id: str) -> list[Row]:
    by_office_year = legacy_figures(facts, reports)
    rows: list[Row] = []
    for (office, year), (report_id, now) in sorted(by_office_year.items()):
        previous = by_office_year.get((office, year - 1))
        if previous is None:
            continue
        prev_id, before = previous
        for row in sorted({r for r, _ in now}):
            current, cumulative = now.get((row, "current")), now.get((row, "cumulative"))
            prior = before.get((row, "cumulative"))
            if current is None or cumulative is None or prior is None:
                continue
            actual = current + prior
            rows.append(
                {
                    "report_id": report_id,
                    "table": "legacy",
                    "check": f"legacy.cumulative.{row}",
                    "expected": cumulative,
                    "actual": actual,
                    "passed": abs(actual - cumulative) < 1e-6,
                    "cells": [f"{row}:current", f"{row}:cumulative", f"{prev_id}/{row}:cumulative"],
                    "run_id": run_id,
                }
            )
    return rows
