"""Arrow schemas of the six dataset tables, and `ReportResult` → rows.

The schemas are explicit so that every part file of a table has the same types, whatever a
batch happened to contain (an all-null column is still float64, not null-typed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .model import ReportResult

UTC_TS = pa.timestamp("us", tz="UTC")
Row = dict[str, Any]

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            ("report_id", pa.string()),
            ("source_path", pa.string()),
            ("source_paths", pa.list_(pa.string())),
            ("title", pa.string()),
            ("office", pa.string()),
            ("year", pa.int16()),
            ("published", pa.date32()),
            ("format", pa.string()),
            ("pages", pa.int16()),
            ("ocr_pages", pa.int16()),
            ("status", pa.string()),
            ("pipeline_version", pa.string()),
            ("facts", pa.int32()),
            ("checks_failed", pa.int32()),
            ("errors", pa.int32()),
            ("file_size", pa.int64()),
            ("file_mtime", UTC_TS),
            ("seconds", pa.float32()),
            ("ingested_at", UTC_TS),
            ("run_id", pa.string()),
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
            ("stage", pa.string()),
            ("error", pa.string()),
            ("message", pa.string()),
            ("page", pa.int16()),
            ("at", UTC_TS),
            ("run_id", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


def result_to_rows(result: ReportResult, version: str, run_id: str) -> dict[str, list[Row]]:
    """One report's rows for every table (the report row last, as it is committed last)."""
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
        "source_path": result.source.path,
        "source_paths": [result.source.path],
        "title": meta.title if meta else None,
        "office": meta.office if meta else None,
        "year": meta.year if meta else None,
        "published": meta.published if meta else None,
        "format": meta.format if meta else "unknown",
        "pages": len(result.pages),
        "ocr_pages": sum(1 for p in result.pages if p.method == "ocr"),
        "status": result.status,
        "pipeline_version": version,
        "facts": len(result.facts),
        "checks_failed": sum(1 for c in result.checks if not c.passed),
        "errors": len(result.errors),
        "file_size": result.source.size,
        "file_mtime": datetime.fromtimestamp(result.source.mtime, UTC),
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


def rows_to_table(name: str, rows: list[Row]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])
