"""A dataset whose report text is hostile HTML/JS, with a real one-page PDF, for the escaping tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from pipeline.store.parts import write_batch
from pipeline.store.schema import Row

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&$\\frac{1}{2}$[bold]'


def make_pdf(path: Path) -> str:
    canvas = Canvas(str(path), pagesize=(400, 300))
    canvas.drawString(100, 200, "12")
    canvas.save()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hostile_dataset(root: Path) -> tuple[Path, Path, str]:
    """(dataset, source folder, report id): every text field of the report carries `EVIL`."""
    src = root / "src"
    src.mkdir(parents=True)
    pdf = src / "evil.pdf"
    rid = make_pdf(pdf)
    now = datetime.now(UTC)
    base: Row = {"report_id": rid, "run_id": "run-evil"}
    fact: Row = {
        **base,
        "table": "t3",
        "row": "new_received",
        "col": "total",
        "row_label": EVIL,
        "col_label": EVIL + " / " + EVIL,
        "value": 12.0,
        "raw": EVIL,
        "unit": "件",
        "page": 1,
        "method": "ocr",
        "confidence": 0.5,
        "x0": 98.0,
        "top": 90.0,
        "x1": 116.0,
        "bottom": 104.0,
        "source_text": EVIL,
    }
    rows: dict[str, list[Row]] = {
        "facts": [fact, {**fact, "table": "prose", "col": None, "col_label": ""}],
        "checks": [
            {
                **base,
                "table": "t3",
                "check": EVIL,
                "expected": 1.0,
                "actual": 2.0,
                "passed": False,
                "cells": ["new_received:total"],
            }
        ],
        "sections": [
            {
                **base,
                "ordinal": 1,
                "level": 1,
                "number": "一、",
                "heading": EVIL,
                "kind": "overview",
                "text": EVIL,
                "page_start": 1,
                "page_end": 1,
            }
        ],
        "pages": [
            {
                **base,
                "page": 1,
                "method": "ocr",
                "chars": 2,
                "ocr_reason": EVIL,
                "ocr_confidence": 0.5,
                "seconds": 0.1,
                "tables": 0,
            }
        ],
        "errors": [
            {
                **base,
                "source_path": EVIL,
                "stage": "extract",
                "error": EVIL,
                "message": EVIL,
                "page": 1,
                "at": now,
            }
        ],
        "reports": [
            {
                **base,
                "source_path": "evil.pdf",
                "source_paths": ["evil.pdf"],
                "title": EVIL,
                "office": EVIL,
                "year": 2024,
                "published": None,
                "format": EVIL,
                "pages": 1,
                "ocr_pages": 1,
                "status": "partial",
                "pipeline_version": "test",
                "facts": 2,
                "checks_failed": 1,
                "errors": 1,
                "file_size": 1,
                "file_mtime": now,
                "seconds": 0.5,
                "ingested_at": now,
            }
        ],
    }
    dataset = root / "dataset"
    write_batch(dataset, "evil-00000", rows)
    return dataset, src, rid
