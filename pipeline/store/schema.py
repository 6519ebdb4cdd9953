"""Arrow schemas of the six dataset tables, and `ReportResult` → rows.

The schemas are explicit so that every part file of a table has the same types, whatever a
batch happened to contain (an all-null column is still float64, not null-typed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from pipeline.core.model import PathStat, ReportResult
from pipeline.knowledge.panel import panel_metrics
from pipeline.store.panel import panel_schema

UTC_TS = pa.timestamp("us", tz="UTC")
Row = dict[str, Any]

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            ("report_id", pa.string()),
            ("source_path", pa.string()),
            ("source_paths", pa.list_(pa.string())),
            ("source_mtimes", pa.list_(UTC_TS)),
            ("path_escaped", pa.bool_()),  # a path was not UTF-8: stored escaped (store/pathtext.py)
            ("title", pa.string()),
            ("office", pa.string()),
            ("year", pa.int16()),
            ("published", pa.date32()),
            ("format", pa.string()),
            ("office_source", pa.string()),
            ("year_source", pa.string()),
            ("published_source", pa.string()),
            ("pages", pa.int16()),
            ("ocr_pages", pa.int16()),
            ("status", pa.string()),
            ("pipeline_version", pa.string()),
            ("facts", pa.int32()),
            ("checks_failed", pa.int32()),
            ("errors", pa.int32()),
            ("cells_expected", pa.int32()),
            ("cells_found", pa.int32()),
            ("cells_flagged", pa.int32()),
            ("file_size", pa.int64()),
            ("file_mtime", UTC_TS),
            ("seconds", pa.float32()),
            ("ingested_at", UTC_TS),
            ("run_id", pa.string()),
            # office and report identity: filled after each run for the whole dataset (store/derived.py)
            ("office_id", pa.string()),
            ("adcode", pa.string()),
            ("is_primary", pa.bool_()),
            ("primary_report_id", pa.string()),
            ("primary_reason", pa.string()),
        ]
    ),
    "facts": pa.schema(
        [
            ("report_id", pa.string()),
            ("table", pa.string()),
            ("row", pa.string()),
            ("col", pa.string()),
            ("row_label", pa.string()),
            ("col_label", pa.string()),
            ("value", pa.float64()),
            ("raw", pa.string()),
            ("unit", pa.string()),
            ("page", pa.int16()),
            ("method", pa.string()),
            ("confidence", pa.float32()),
            ("flags", pa.list_(pa.string())),
            ("x0", pa.float32()),
            ("top", pa.float32()),
            ("x1", pa.float32()),
            ("bottom", pa.float32()),
            ("source_text", pa.string()),
            ("run_id", pa.string()),
        ]
    ),
    "sections": pa.schema(
        [
            ("report_id", pa.string()),
            ("ordinal", pa.int16()),
            ("level", pa.int8()),
            ("number", pa.string()),
            ("heading", pa.string()),
            ("kind", pa.string()),
            ("text", pa.string()),
            ("page_start", pa.int16()),
            ("page_end", pa.int16()),
            ("run_id", pa.string()),
        ]
    ),
    "pages": pa.schema(
        [
            ("report_id", pa.string()),
            ("page", pa.int16()),
            ("method", pa.string()),
            ("chars", pa.int32()),
            ("ocr_reason", pa.string()),
            ("ocr_confidence", pa.float32()),
            ("seconds", pa.float32()),
            ("tables", pa.int16()),
            ("rotation", pa.int16()),
            ("notes", pa.list_(pa.string())),
            ("run_id", pa.string()),
        ]
    ),
    "checks": pa.schema(
        [
            ("report_id", pa.string()),
            ("table", pa.string()),
            ("check", pa.string()),
            ("expected", pa.float64()),
            ("actual", pa.float64()),
            ("passed", pa.bool_()),
            ("cells", pa.list_(pa.string())),
            ("run_id", pa.string()),
        ]
    ),
    "errors": pa.schema(
        [
            ("report_id", pa.string()),
            ("source_path", pa.string()),
            ("path_escaped", pa.bool_()),  # see reports
            ("stage", pa.string()),
            ("error", pa.string()),
            ("message", pa.string()),
            ("page", pa.int16()),
            ("at", UTC_TS),
            ("run_id", pa.string()),
        ]
    ),
}
# The per-report tables, `reports` last: a batch is written in this order, so its report rows
# appear after the rows that depend on them.
TABLES = ("facts", "sections", "pages", "checks", "errors", "reports")
RUNS_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("started_at", UTC_TS),
        ("finished_at", UTC_TS),
        ("outcome", pa.string()),  # running | ok | some_failed | interrupted | error
        ("pipeline_version", pa.string()),
        ("executor", pa.string()),
        ("workers", pa.int16()),
        ("source", pa.string()),
        ("host", pa.string()),
        ("pid", pa.int32()),
        ("files_found", pa.int64()),
        ("unchanged", pa.int64()),
        ("hashed", pa.int64()),
        ("processed", pa.int64()),
        ("skipped", pa.int64()),
        ("ok", pa.int64()),
        ("partial", pa.int64()),
        ("failed", pa.int64()),
        ("path_updates", pa.int64()),
        ("removed", pa.int64()),
        ("missing", pa.int64()),
        ("pages", pa.int64()),
        ("facts", pa.int64()),
        ("checks_failed", pa.int64()),
        ("batches", pa.int32()),
        ("seconds", pa.float64()),
        ("message", pa.string()),
        ("root", pa.string()),  # the folder the dataset's source paths are relative to
    ]
)
SCHEMAS["runs"] = RUNS_SCHEMA
# Tables derived from the whole dataset after each run (store/derived.py), rewritten whole.
SCHEMAS["offices"] = pa.schema(
    [
        ("office_id", pa.string()),
        ("office", pa.string()),  # canonical name
        ("names", pa.list_(pa.string())),  # every name it was printed with, most reports first
        ("level", pa.string()),
        ("adcode", pa.string()),
        ("adcode_status", pa.string()),
        ("candidates", pa.list_(pa.string())),
        ("parent_id", pa.string()),
        ("area", pa.string()),
        ("unit", pa.string()),
        ("reports", pa.int32()),
        ("years", pa.list_(pa.int16())),
        ("first_year", pa.int16()),
        ("last_year", pa.int16()),
        ("run_id", pa.string()),
    ]
)
SCHEMAS["panel"] = panel_schema(panel_metrics())
DERIVED_TABLES = ("offices", "panel")
# What a staged (not yet published) batch replaces; lives only under `_pending/changes/`.
CHANGES_SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("source_path", pa.string()),  # identifies the report when report_id is null (unhashable file)
        (
            "action",
            pa.string(),
        ),  # replace: all rows; update: the reports row only; delete: all rows, none new
        ("run_id", pa.string()),
    ]
)


def schema_of(name: str) -> pa.Schema:
    return CHANGES_SCHEMA if name == "changes" else SCHEMAS[name]


def result_to_rows(
    result: ReportResult, version: str, run_id: str, paths: Sequence[PathStat] = ()
) -> dict[str, list[Row]]:
    """One report's rows for every table (the report row last, as it is committed last).

    `paths` are every path the same bytes were found under (the first is `source_path`); by
    default the one path the result was read from.
    """
    paths = paths or (PathStat(result.source.path, result.source.size, _us(result.source.mtime)),)
    rid = result.source.report_id or None
    meta = result.meta
    base: Row = {"report_id": rid, "run_id": run_id}
    facts = [
        {
            **base,
            "table": f.table,
            "row": f.row,
            "col": f.col,
            "row_label": f.row_label,
            "col_label": f.col_label,
            "value": f.value,
            "raw": f.raw,
            "unit": f.unit,
            "page": f.page,
            "method": f.method,
            "confidence": f.confidence,
            "flags": list(f.flags),
            "x0": f.bbox.x0 if f.bbox else None,
            "top": f.bbox.top if f.bbox else None,
            "x1": f.bbox.x1 if f.bbox else None,
            "bottom": f.bbox.bottom if f.bbox else None,
            "source_text": f.source,
        }
        for f in result.facts
    ]
    sections = [
        {
            **base,
            "ordinal": s.ordinal,
            "level": s.level,
            "number": s.number,
            "heading": s.heading,
            "kind": s.kind,
            "text": s.text,
            "page_start": s.page_start,
            "page_end": s.page_end,
        }
        for s in result.sections
    ]
    pages = [
        {
            **base,
            "page": p.page,
            "method": p.method,
            "chars": p.chars,
            "ocr_reason": p.ocr_reason,
            "ocr_confidence": p.ocr_confidence,
            "seconds": p.seconds,
            "tables": p.tables,
            "rotation": p.rotation,
            "notes": list(p.notes),
        }
        for p in result.pages
    ]
    checks = [
        {
            **base,
            "table": c.table,
            "check": c.check,
            "expected": c.expected,
            "actual": c.actual,
            "passed": c.passed,
            "cells": [f"{r}:{col}" for r, col in c.cells],
        }
        for c in result.checks
    ]
    errors = [
        {
            **base,
            "source_path": result.source.path,
            "stage": e.stage,
            "error": e.error,
            "message": e.message,
            "page": e.page,
            "at": result.finished_at,
        }
        for e in result.errors
    ]
    report = {
        **base,
        "source_path": paths[0].path,
        "source_paths": [p.path for p in paths],
        "source_mtimes": [from_us(p.mtime_us) for p in paths],
        "title": meta.title if meta else None,
        "office": meta.office if meta else None,
        "year": meta.year if meta else None,
        "published": meta.published if meta else None,
        "format": meta.format if meta else "unknown",
        "office_source": meta.office_source if meta else None,
        "year_source": meta.year_source if meta else None,
        "published_source": meta.published_source if meta else None,
        "pages": len(result.pages),
        "ocr_pages": sum(1 for p in result.pages if p.method == "ocr"),
        "status": result.status,
        "pipeline_version": version,
        "facts": len(result.facts),
        "checks_failed": sum(1 for c in result.checks if not c.passed),
        "errors": len(result.errors),
        "cells_expected": result.coverage.expected if result.coverage else None,
        "cells_found": result.coverage.found if result.coverage else None,
        "cells_flagged": result.coverage.flagged if result.coverage else None,
        "file_size": paths[0].size,
        "file_mtime": from_us(paths[0].mtime_us),
        "seconds": result.seconds,
        "ingested_at": result.finished_at,
    }
    return {
        "facts": facts,
        "sections": sections,
        "pages": pages,
        "checks": checks,
        "errors": errors,
        "reports": [report],
    }


def _us(seconds: float) -> int:
    return round(seconds * 1_000_000)


def from_us(micros: int) -> datetime:
    """An exact timestamp[us] value (a float of seconds may be off by one microsecond)."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def rows_to_table(name: str, rows: list[Row]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema_of(name))
