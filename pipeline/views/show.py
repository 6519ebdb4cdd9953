"""`pipeline show REPORT`: one report's metadata, sections, tables and failed checks.

`report_view` gathers the data; `to_json` gives it to machines; `renderables` lays it out as
rich tables for a terminal (the CLI prints them: nothing here writes to the screen).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from pipeline.core.printable import printable
from pipeline.store.dataset import DatasetError, find_report, report_rows
from pipeline.views.cellstatus import CellStatus, statuses
from pipeline.views.printed import Printed, printed_tables, short_label

META = (
    "report_id",
    "source_path",
    "title",
    "office",
    "year",
    "published",
    "format",
    "pages",
    "ocr_pages",
    "status",
    "facts",
    "checks_failed",
    "errors",
    "seconds",
    "pipeline_version",
    "run_id",
    "ingested_at",
)
STYLES = {"failed": "bold white on red", "low": "black on dark_orange", "checked": "green", "unchecked": ""}


@dataclass(frozen=True)
class ReportView:
    report: dict[str, Any]
    facts: list[dict[str, Any]]
    status: list[CellStatus]
    tables: list[Printed]
    sections: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    errors: list[dict[str, Any]]


def report_view(dataset: Path, key: str) -> ReportView | DatasetError:
    ref = find_report(dataset, key)
    if isinstance(ref, DatasetError):
        return ref
    rows = report_rows(dataset, ref.report_id)
    facts = rows.facts.to_pylist()
    checks = rows.checks.to_pylist()
    return ReportView(
        report=rows.report,
        facts=facts,
        status=statuses(facts, checks),
        tables=printed_tables(facts),
        sections=rows.sections.select(
            ["ordinal", "level", "number", "heading", "kind", "page_start", "page_end"]
        ).to_pylist(),
        checks=checks,
        errors=rows.errors.select(["stage", "error", "message", "page"]).to_pylist(),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _cell_json(view: ReportView, index: int | None) -> dict[str, Any] | None:
    if index is None:
        return None
    f = view.facts[index]
    return {
        "raw": f["raw"],
        "value": f["value"],
        "row": f["row"],
        "col": f["col"],
        "page": f["page"],
        "method": f["method"],
        "confidence": f["confidence"],
        "status": view.status[index].status,
    }


def to_json(view: ReportView) -> dict[str, Any]:
    """Everything `show` prints, as JSON-ready data (tables as printed: row and column labels, cells)."""
    return {
        "report": {k: _plain(view.report.get(k)) for k in META},
        "sections": view.sections,
        "tables": [
            {
                "table": t.table,
                "title": t.title,
                "rows": list(t.rows),
                "cols": list(t.cols),
                "cells": [[_cell_json(view, i) for i in row] for row in t.cells],
            }
            for t in view.tables
        ],
        "prose": [
            {k: f[k] for k in ("row", "row_label", "raw", "value", "unit", "page", "source_text")}
            for f in view.facts
            if f["table"] == "prose"
        ],
        "failed_checks": [
            {k: c[k] for k in ("table", "check", "expected", "actual", "cells")}
            for c in view.checks
            if not c["passed"]
        ],
        "checks": {"tested": len(view.checks), "failed": sum(1 for c in view.checks if not c["passed"])},
        "errors": view.errors,
    }


def _t(value: object, style: str = "") -> Text:
    """Text from the dataset (names, titles, labels, messages) for the terminal: never markup,
    and escaped where a character would act on the terminal (core/printable.py)."""
    return Text("" if value is None else printable(value), style=style)


def _lines(parts: str) -> Text:
    """A column header whose parts this view put on lines of their own: each part escaped."""
    return Text("\n".join(printable(part) for part in parts.split("\n")))


def _meta_table(report: Mapping[str, Any]) -> Table:
    table = Table(title="report", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for key in META:
        value = _plain(report.get(key))
        table.add_row(key, _t(value))
    return table


def _sections_table(sections: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title=f"sections ({len(sections)})", title_justify="left")
    for name in ("heading", "kind", "pages"):
        table.add_column(name)
    for s in sections:
        pages = (
            f"{s['page_start']}–{s['page_end']}" if s["page_end"] != s["page_start"] else f"{s['page_start']}"
        )
        table.add_row(_t("  " * (s["level"] - 1) + (s["heading"] or "")), _t(s["kind"] or ""), pages)
    return table


def distinct_suffixes(labels: Sequence[str]) -> list[str]:
    """Each label path shortened to its shortest tail that no other label shares (parts on lines)."""
    paths = [label.split(" / ") for label in labels]
    out = []
    for path in paths:
        for k in range(1, len(path) + 1):
            tail = path[-k:]
            if sum(1 for other in paths if other[-k:] == tail) == 1 or k == len(path):
                out.append("\n".join(tail))
                break
    return out


def _value(view: ReportView, index: int | None) -> Text:
    if index is None:
        return _t("")
    raw = view.facts[index]["raw"]
    return _t(raw if raw != "" else "␣", style=STYLES[view.status[index].status])


def _printed_table(view: ReportView, printed: Printed) -> Table:
    title = _t(f"{printed.title} ({printed.table})")
    if len(printed.rows) == 1:  # 表四: one row of many columns reads better turned on its side
        table = Table(title=title, title_justify="left")
        table.add_column("column", overflow="fold")
        table.add_column(_t(printed.rows[0] or "value"), justify="right", no_wrap=True)
        for col, index in zip(printed.cols, printed.cells[0], strict=True):
            table.add_row(_t(col), _value(view, index))
        return table
    table = Table(title=title, title_justify="left")
    table.add_column("", min_width=12, overflow="fold")
    for c, header in enumerate(distinct_suffixes(printed.cols)):
        column = [i for i in (row[c] for row in printed.cells) if i is not None]
        widest = max((len(view.facts[i]["raw"]) for i in column), default=1)
        table.add_column(_lines(header), justify="right", overflow="fold", min_width=max(widest, 1))
    shown: list[str] = []  # the parent labels above the current row
    for label, row in zip(printed.rows, printed.cells, strict=True):
        parts = label.split(" / ") if label else [""]
        for depth, parent in enumerate(parts[:-1]):  # a parent group starts: print its label once
            if shown[: depth + 1] != parts[: depth + 1]:
                table.add_row(_t("  " * depth + parent, style="dim"))
                shown = parts[: depth + 1]
        shown = parts[:-1]
        depth, name = short_label(label)
        table.add_row(_t("  " * depth + name), *(_value(view, i) for i in row))
    return table


def _checks_table(checks: Sequence[Mapping[str, Any]]) -> Table:
    failed = [c for c in checks if not c["passed"]]
    table = Table(title=f"failed checks ({len(failed)} of {len(checks)})", title_justify="left")
    for name in ("check", "printed total", "sum of parts", "cells"):
        table.add_column(name)
    for c in failed:
        table.add_row(
            _t(c["check"]), f"{c['expected']:g}", f"{c['actual']:g}", _t(" ".join(c["cells"] or ()))
        )
    return table


def renderables(view: ReportView) -> RenderableType:
    """The report for a terminal: metadata, sections, each table as printed, failed checks, errors."""
    parts: list[RenderableType] = [_meta_table(view.report), _sections_table(view.sections)]
    parts += [_printed_table(view, t) for t in view.tables]
    parts.append(_checks_table(view.checks))
    if view.errors:
        errors = Table(title=f"errors ({len(view.errors)})", title_justify="left")
        for name in ("stage", "error", "page", "message"):
            errors.add_column(name)
        for e in view.errors:
            errors.add_row(
                _t(e["stage"]), _t(e["error"]), "" if e["page"] is None else str(e["page"]), _t(e["message"])
            )
        parts.append(errors)
    parts.append(
        _t("cells: red = in a failed check, orange = low confidence, green = in passed checks", style="dim")
    )
    return Group(*parts)
