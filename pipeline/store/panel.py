"""The panel: one row per office and year, from its primary report, with the headline metrics
harmonised across the 2008, 2019 and 2021 formats (knowledge/panel.toml says what each means and
where it is read). Each metric `m` comes with `m_source` (the table it was read from: t2, t3, t4,
legacy, prose; null when the report states it nowhere) and `m_checked` (true: every arithmetic
identity of its report that involves its cells holds; false: one fails; null: none covers them).
Pure: Arrow tables in, rows out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from pipeline.knowledge.panel import PanelMetric, Source
from pipeline.offices.identity import Office

Row = dict[str, Any]
Figures = dict[tuple[str, str, str], float | None]  # (table, row, col) → value (None: printed, no number)


def wanted_keys(metrics: Sequence[PanelMetric]) -> tuple[set[str], set[str]]:
    """The tables and row keys the panel reads from `facts`."""
    tables = {s.table for m in metrics for s in m.sources}
    rows = {r for m in metrics for s in m.sources for r in s.rows}
    return tables, rows


def _figures(facts: pa.Table) -> dict[str, Figures]:
    found: dict[str, Figures] = {}
    for f in facts.select(["report_id", "table", "row", "col", "value"]).to_pylist():
        if f["row"] and f["col"]:
            found.setdefault(f["report_id"], {}).setdefault((f["table"], f["row"], f["col"]), f["value"])
    return found


def _checks(checks: pa.Table) -> dict[str, list[tuple[str, bool, set[str]]]]:
    found: dict[str, list[tuple[str, bool, set[str]]]] = {}
    for c in checks.select(["report_id", "table", "passed", "cells"]).to_pylist():
        if c["passed"] is not None:
            found.setdefault(c["report_id"], []).append(
                (c["table"], bool(c["passed"]), set(c["cells"] or ()))
            )
    return found


def _value(source: Source, figures: Figures) -> float | None:
    values = [figures.get((source.table, r, source.col)) for r in source.rows]
    numbers = [v for v in values if v is not None]
    return sum(numbers) * source.scale if numbers else None


def _checked(source: Source, checks: list[tuple[str, bool, set[str]]]) -> bool | None:
    cells = {f"{r}:{source.col}" for r in source.rows}
    verdicts = [passed for table, passed, involved in checks if table == source.table and cells & involved]
    return all(verdicts) if verdicts else None


def metric_fields(metric: PanelMetric, figures: Figures, checks: list[tuple[str, bool, set[str]]]) -> Row:
    for source in metric.sources:
        value = _value(source, figures)
        if value is not None:
            return {
                metric.name: value,
                f"{metric.name}_source": source.table,
                f"{metric.name}_checked": _checked(source, checks),
            }
    return {metric.name: None, f"{metric.name}_source": None, f"{metric.name}_checked": None}


def panel_rows(
    primaries: Sequence[Mapping[str, Any]],
    offices: Mapping[str, Office],
    group_sizes: Mapping[str, int],
    facts: pa.Table,
    checks: pa.Table,
    metrics: Sequence[PanelMetric],
    run_id: str,
) -> list[Row]:
    """One row per primary report (its `reports` row, with `office_id`), sorted by office and year."""
    figures, verdicts = _figures(facts), _checks(checks)
    rows = []
    for report in primaries:
        rid = report["report_id"]
        office = offices[report["office_id"]]
        row: Row = {
            "office_id": office.office_id,
            "office": office.canonical,
            "adcode": office.adcode,
            "adcode_status": office.adcode_status,
            "level": office.level,
            "parent_id": office.parent_id,
            "year": report["year"],
            "format": report["format"],
            "report_id": rid,
            "status": report["status"],
            "files": group_sizes.get(rid, 1),
            "source_path": report["source_path"],
            "checks_failed": report.get("checks_failed"),
        }
        for metric in metrics:
            row.update(metric_fields(metric, figures.get(rid, {}), verdicts.get(rid, [])))
        row["run_id"] = run_id
        rows.append(row)
    return sorted(rows, key=lambda r: (r["office_id"], r["year"]))


def panel_schema(metrics: Sequence[PanelMetric]) -> pa.Schema:
    fields = [
        ("office_id", pa.string()),
        ("office", pa.string()),
        ("adcode", pa.string()),
        ("adcode_status", pa.string()),
        ("level", pa.string()),
        ("parent_id", pa.string()),
        ("year", pa.int16()),
        ("format", pa.string()),
        ("report_id", pa.string()),
        ("status", pa.string()),
        ("files", pa.int32()),
        ("source_path", pa.string()),
        ("checks_failed", pa.int32()),
    ]
    for m in metrics:
        fields += [
            (m.name, pa.float64()),
            (f"{m.name}_source", pa.string()),
            (f"{m.name}_checked", pa.bool_()),
        ]
    return pa.schema([*fields, ("run_id", pa.string())])
