"""What the run report shows, computed from the dataset's tables (Arrow in, frozen dataclass out).

Only the columns needed are read: the `reports` table, `checks` (table, passed), `errors`,
and `facts` (report_id, confidence) for the per-report confidence. `checks` and `facts`, which
grow with every report's tables, are summed a batch at a time, never held whole. `pages` is not
read: a report row already counts its pages and OCR pages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.config import SOUND_CONFIDENCE
from pipeline.store.dataset import latest_runs, read, read_batches
from pipeline.views.officelevel import LEVELS, office_level

REPORT_COLUMNS = [
    "report_id",
    "source_path",
    "title",
    "office",
    "year",
    "format",
    "pages",
    "ocr_pages",
    "status",
    "facts",
    "checks_failed",
    "errors",
    "cells_expected",
    "cells_found",
    "cells_flagged",
    "seconds",
    "run_id",
    "ingested_at",
]


@dataclass(frozen=True)
class RunStats:
    totals: dict[str, int]
    by_year_format: dict[str, dict[str, int]]  # year → format → reports
    by_level: dict[str, int]
    pages_by_year: dict[str, tuple[int, int]]  # year → (text pages, OCR pages)
    checks_by_table: dict[str, tuple[int, int]]  # table → (failed, tested)
    errors_by_class: dict[str, int]
    slowest: list[dict[str, Any]]
    lowest_confidence: list[dict[str, Any]]  # confidence = (mean, min, figures below SOUND_CONFIDENCE)
    problems: list[
        dict[str, Any]
    ]  # every report under 100% (`under_complete`) with its reasons (up to the limit)
    problems_total: int
    failing_checks: list[dict[str, Any]]  # reports whose tables fail checks
    runs: list[dict[str, Any]]


def _year(value: int | None) -> str:
    return str(value) if value is not None else "unknown"


def latest_reports(reports: pa.Table) -> tuple[pa.Table, pa.Table | None]:
    """One `reports` row per report id, the latest run's (a folder ingested twice into the same
    dataset writes its reports twice); and the (report_id, run_id) pairs kept, or None when no
    report was written twice (then every row of every table counts)."""
    ids = reports["report_id"]
    valid = pc.drop_null(ids)
    if len(pc.unique(valid)) == len(valid):
        return reports, None
    order = pc.sort_indices(reports, [("report_id", "ascending"), ("ingested_at", "descending")])
    ordered = reports.take(order)
    sorted_ids = ordered["report_id"].to_pylist()
    keep = [i for i, rid in enumerate(sorted_ids) if rid is None or i == 0 or rid != sorted_ids[i - 1]]
    latest = ordered.take(pa.array(keep, pa.int64()))
    return latest, latest.select(["report_id", "run_id"]).filter(pc.is_valid(latest["report_id"]))


def _kept(table: pa.Table, pairs: pa.Table | None) -> pa.Table:
    """Rows of `table` written by the kept (report_id, run_id) pairs (rows without a report id stay)."""
    if pairs is None:
        return table
    unhashed = table.filter(pc.is_null(table["report_id"]))
    joined = table.join(pairs, keys=["report_id", "run_id"], join_type="inner")
    return pa.concat_tables([joined.select(table.column_names), unhashed.select(table.column_names)])


def _confidence(dataset: Path, pairs: pa.Table | None) -> dict[str, tuple[float, float, int]]:
    """report_id → (mean, min, figures below SOUND_CONFIDENCE), summed batch by batch: the whole
    facts table is never in memory (the run report is written after every run)."""
    totals: dict[str, tuple[float, int, float, int]] = {}  # sum, count, min, low
    for batch in read_batches(dataset, "facts", ["report_id", "run_id", "confidence"]):
        facts = _kept(batch, pairs)
        if not facts.num_rows:
            continue
        low = pc.cast(pc.less(facts["confidence"], SOUND_CONFIDENCE), pa.int32())
        grouped = (
            facts.append_column("low", low)
            .group_by("report_id")
            .aggregate(
                [("confidence", "sum"), ("confidence", "count"), ("confidence", "min"), ("low", "sum")]
            )
        )
        columns = ["report_id", "confidence_sum", "confidence_count", "confidence_min", "low_sum"]
        for rid, total, count, least, lows in zip(*(grouped[c].to_pylist() for c in columns), strict=True):
            if rid is None or not count:
                continue
            s, n, m, lo = totals.get(rid, (0.0, 0, 1.0, 0))
            totals[rid] = (s + total, n + count, min(m, least), lo + (lows or 0))
    return {rid: (s / n, m, lo) for rid, (s, n, m, lo) in totals.items()}


def _check_counts(dataset: Path, pairs: pa.Table | None) -> tuple[Counter[str], Counter[str]]:
    """Checks run and checks failed per table, counted batch by batch."""
    tested: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for batch in read_batches(dataset, "checks", ["report_id", "run_id", "table", "passed"]):
        checks = _kept(batch, pairs)
        tables, passed = checks["table"].to_pylist(), checks["passed"].to_pylist()
        tested.update(tables)
        failed.update(t for t, ok in zip(tables, passed, strict=True) if not ok)
    return tested, failed


def _reasons(errors: pa.Table) -> dict[str | None, tuple[str, str]]:
    """Each report's error classes (`table_not_found ×2, cells_doubtful`) and its first message
    (key: report_id, or source_path for unhashable files)."""
    classes: dict[str | None, Counter[str]] = {}
    first: dict[str | None, str] = {}
    for row in errors.to_pylist():
        key = row["report_id"] or row["source_path"]
        classes.setdefault(key, Counter())[row["error"] or "?"] += 1
        first.setdefault(key, row["message"] or "")
    return {
        key: (", ".join(f"{c} ×{n}" if n > 1 else c for c, n in counts.items()), first[key])
        for key, counts in classes.items()
    }


def under_complete(report: dict[str, Any]) -> bool:
    """Not every expected figure read surely: failed, partial, or cells missing (coverage)."""
    expected, found = report.get("cells_expected") or 0, report.get("cells_found") or 0
    return report["status"] in ("failed", "partial") or found < expected


def _runs(dataset: Path, limit: int = 10) -> list[dict[str, Any]]:
    runs = latest_runs(dataset)
    if runs is None:
        return []
    wanted = [
        c
        for c in (
            "run_id",
            "started_at",
            "finished_at",
            "outcome",
            "pipeline_version",
            "source",
            "processed",
            "ok",
            "partial",
            "failed",
            "seconds",
        )
        if c in runs.schema.names
    ]
    return runs.select(wanted).slice(0, limit).to_pylist()


def compute(dataset: Path, top: int = 15, problem_limit: int = 2000) -> RunStats:
    """Every figure of the run report for the dataset at `dataset`."""
    kept, pairs = latest_reports(read(dataset, "reports", REPORT_COLUMNS))
    reports = kept.to_pylist()
    tested, failed = _check_counts(dataset, pairs)
    errors = _kept(read(dataset, "errors", ["report_id", "run_id", "source_path", "error", "message"]), pairs)
    by_year_format: dict[str, dict[str, int]] = {}
    by_level: Counter[str] = Counter()
    pages_by_year: dict[str, tuple[int, int]] = {}
    for r in reports:
        year = _year(r["year"])
        cell = by_year_format.setdefault(year, {})
        cell[r["format"] or "unknown"] = cell.get(r["format"] or "unknown", 0) + 1
        by_level[office_level(r["office"])] += 1
        text, ocr = pages_by_year.get(year, (0, 0))
        pages, ocr_pages = r["pages"] or 0, r["ocr_pages"] or 0
        pages_by_year[year] = (text + pages - ocr_pages, ocr + ocr_pages)
    confidence = _confidence(dataset, pairs)
    reasons = _reasons(errors)
    status = Counter(r["status"] for r in reports)
    problems = [
        {**r, "level": office_level(r["office"]), "reason": reasons.get(r["report_id"] or r["source_path"])}
        for r in sorted(reports, key=lambda r: (r["status"] != "failed", r["source_path"] or ""))
        if under_complete(r)
    ]
    failing = sorted(
        (r for r in reports if (r["checks_failed"] or 0) > 0),
        key=lambda r: (-(r["checks_failed"] or 0), r["office"] or "", r["year"] or 0),
    )
    scored = [  # reports with at least one figure read with less than full confidence
        {**r, "confidence": confidence[r["report_id"]]}
        for r in reports
        if r["report_id"] in confidence and confidence[r["report_id"]][1] < 1.0
    ]
    totals = {
        "reports": len(reports),
        "ok": status.get("ok", 0),
        "partial": status.get("partial", 0),
        "failed": status.get("failed", 0),
        "pages": sum(r["pages"] or 0 for r in reports),
        "ocr_pages": sum(r["ocr_pages"] or 0 for r in reports),
        "facts": sum(r["facts"] or 0 for r in reports),
        "checks": sum(tested.values()),
        "checks_failed": sum(failed.values()),
        "reports_failing_checks": len(failing),
        "errors": errors.num_rows,
        "low_confidence_figures": sum(c[2] for c in confidence.values()),
        "cells_expected": sum(r["cells_expected"] or 0 for r in reports),
        "cells_found": sum(r["cells_found"] or 0 for r in reports),
        "cells_flagged": sum(r["cells_flagged"] or 0 for r in reports),
    }
    return RunStats(
        totals=totals,
        by_year_format=dict(sorted(by_year_format.items())),
        by_level={level: by_level[level] for level in LEVELS if by_level[level]},
        pages_by_year=dict(sorted(pages_by_year.items())),
        checks_by_table={t: (failed.get(t, 0), n) for t, n in sorted(tested.items())},
        errors_by_class=dict(Counter(errors["error"].to_pylist()).most_common()),
        slowest=sorted(reports, key=lambda r: -(r["seconds"] or 0.0))[:top],
        lowest_confidence=sorted(scored, key=lambda r: (r["confidence"][0], r["confidence"][1]))[:top],
        problems=problems[:problem_limit],
        problems_total=len(problems),
        failing_checks=failing[:problem_limit],
        runs=_runs(dataset),
    )
