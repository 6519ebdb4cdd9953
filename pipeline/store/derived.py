"""Rows computed from the whole dataset rather than one file, refreshed after a run:

    reports.office_id, adcode, is_primary, primary_report_id, primary_reason   (identity of
        offices, offices/identity.py; the primary report of each office and year, primary.py)
    offices   one row per office                          rewritten whole
    panel     one row per office and year (panel.py)      rewritten whole
    checks    the 统计表's cross-year checks (crossyear.py), by office_id

A new report can change an older one's primary status or complete a cross-year pair, so all of
it is recomputed after every run that changed the dataset, and swapped in as one journaled
commit: `reports` rows whose identity changed are replaced, the previous offices, panel and
cross-year checks removed (wherever compaction put them) and the new ones moved in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from pipeline.knowledge.panel import panel_metrics
from pipeline.offices.identity import Office, identify
from pipeline.store.crossyear import cross_year_checks
from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.panel import panel_rows, wanted_keys
from pipeline.store.parts import ANCHOR, part_files, read_table, stage_filtered, stage_part
from pipeline.store.primary import choose_primaries
from pipeline.store.schema import DERIVED_TABLES, SCHEMAS, Row, rows_to_table

CROSS_YEAR_PREFIX = "legacy.cumulative."
IDENTITY = ("office_id", "adcode", "is_primary", "primary_report_id", "primary_reason")


def _facts(out: Path, where: pc.Expression, columns: list[str]) -> pa.Table:
    if not part_files(out, "facts"):
        return SCHEMAS["facts"].empty_table().select(columns)
    files = [str(p) for p in part_files(out, "facts")]
    return pads.dataset(files, format="parquet", schema=SCHEMAS["facts"]).to_table(
        columns=columns, filter=where
    )


def _office_rows(reports: list[Row], offices: Mapping[str, Office], run_id: str) -> list[Row]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    years: dict[str, set[int]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for r in reports:
        if r["office_id"] is None:
            continue
        names[r["office_id"]][r["office"]] += 1
        counts[r["office_id"]] += 1
        if r["year"] is not None:
            years[r["office_id"]].add(r["year"])
    rows = []
    for office_id in sorted(names):
        o = offices[office_id]
        seen = sorted(years[office_id])
        rows.append(
            {
                "office_id": office_id,
                "office": o.canonical,
                "names": [n for n, _ in sorted(names[office_id].items(), key=lambda kv: (-kv[1], kv[0]))],
                "level": o.level,
                "adcode": o.adcode,
                "adcode_status": o.adcode_status,
                "candidates": list(o.candidates),
                "parent_id": o.parent_id,
                "area": o.area,
                "unit": o.unit,
                "reports": counts[office_id],
                "years": seen,
                "first_year": seen[0] if seen else None,
                "last_year": seen[-1] if seen else None,
                "run_id": run_id,
            }
        )
    return rows


def _identified(reports: list[Row]) -> tuple[list[Row], dict[str, Office]]:
    """`reports` rows with their identity columns as they should be now, and the offices."""
    offices: dict[str, Office] = {}
    office_of: dict[str, str | None] = {}
    for r in reports:
        office = identify(r["office"]) if r["office"] and r["office"].strip() else None
        if office is not None:
            offices.setdefault(office.office_id, office)
        if r["report_id"] is not None:
            office_of[r["report_id"]] = office.office_id if office else None
    decided = choose_primaries(reports, office_of)
    updated = []
    for r in reports:
        office_id = office_of.get(r["report_id"]) if r["report_id"] else None
        primary = decided.get(r["report_id"])
        updated.append(
            {
                **r,
                "office_id": office_id,
                "adcode": offices[office_id].adcode if office_id else None,
                "is_primary": primary.is_primary if primary else False,
                "primary_report_id": primary.primary_report_id if primary else None,
                "primary_reason": primary.primary_reason if primary else None,
            }
        )
    return updated, offices


def _replace_whole(out: Path, name: str, rows: list[Row], part_id: str) -> Change:
    removes = tuple(f"{name}/{p.name}" for p in part_files(out, name) if p.name != ANCHOR)
    moves = (stage_part(out, name, part_id, rows_to_table(name, rows)),) if rows else ()
    return Change(removes, moves)


def derived_change(out: Path, run_id: str) -> tuple[Change, dict[str, int]]:
    """Everything derived, recomputed; the change that brings the dataset to it (not committed)."""
    reports = read_table(out, "reports").to_pylist()
    updated, offices = _identified(reports)
    changed = {
        u["report_id"] for r, u in zip(reports, updated, strict=True) if any(r[c] != u[c] for c in IDENTITY)
    }
    changed.discard(None)
    changes: list[Change] = []
    if changed:
        ids = pa.array(sorted(changed), pa.string())
        changes.append(
            stage_filtered(
                out,
                "reports",
                part_files(out, "reports"),
                lambda t: pc.fill_null(pc.is_in(t.column("report_id"), ids), False),
                f"{run_id}-identity-old",
            )
        )
        rows = [u for u in updated if u["report_id"] in changed]
        changes.append(
            Change(moves=(stage_part(out, "reports", f"{run_id}-identity", rows_to_table("reports", rows)),))
        )

    primaries = [u for u in updated if u["is_primary"]]
    group_sizes = Counter(u["primary_report_id"] for u in updated if u["primary_report_id"])
    metrics = panel_metrics()
    tables, keys = wanted_keys(metrics)
    ids = pa.array([p["report_id"] for p in primaries], pa.string())
    facts = _facts(
        out,
        pc.field("report_id").isin(ids)
        & pc.field("table").isin(sorted(tables))
        & pc.field("row").isin(sorted(keys)),
        ["report_id", "table", "row", "col", "value"],
    )
    checks = read_table(out, "checks", ["report_id", "table", "check", "passed", "cells"])
    checks = checks.filter(pc.is_in(checks.column("report_id"), ids))
    panel = panel_rows(primaries, offices, group_sizes, facts, checks, metrics, run_id)
    office_rows = _office_rows(updated, offices, run_id)
    changes.append(_replace_whole(out, "offices", office_rows, f"{run_id}-offices"))
    changes.append(_replace_whole(out, "panel", panel, f"{run_id}-panel"))

    by_office = [{**u, "office": u["office_id"]} for u in updated]
    cross = cross_year_checks(
        _facts(out, pc.field("table") == "legacy", ["report_id", "table", "row", "col", "value"]),
        pa.Table.from_pylist(by_office, schema=SCHEMAS["reports"]),
        run_id,
    )

    def previous(table: pa.Table) -> pa.Array:
        return pc.fill_null(pc.starts_with(table.column("check"), CROSS_YEAR_PREFIX), False)

    changes.append(
        stage_filtered(
            out, "checks", part_files(out, "checks"), previous, f"{run_id}-derived-old", keys=("check",)
        )
    )
    if cross:
        changes.append(
            Change(moves=(stage_part(out, "checks", f"{run_id}-derived", rows_to_table("checks", cross)),))
        )
    removes = tuple(r for c in changes for r in c.removes)
    moves = tuple(m for c in changes for m in c.moves)
    counts = {
        "reports_updated": len(changed),
        "offices": len(office_rows),
        "panel": len(panel),
        "cross_year_checks": len(cross),
    }
    return Change(removes, moves, ("checks", *DERIVED_TABLES, "reports")), counts


def refresh_derived(out: Path, run_id: str, on_step: Step = no_step) -> dict[str, int]:
    """Recompute identity, offices, panel and cross-year checks; commit them as one change."""
    change, counts = derived_change(out, run_id)
    commit(out, f"derived-{run_id}", change, on_step)
    return counts


def needs_refresh(out: Path) -> bool:
    """Reports not given their identity yet: written by an older version, or by a run killed
    before its derived commit (the next run, with nothing to process, still completes it)."""
    reports = read_table(out, "reports", ["report_id", "is_primary"])
    placed = reports.filter(pc.is_valid(reports.column("report_id")))
    return bool(pc.any(pc.is_null(placed.column("is_primary"))).as_py())


def refresh_cross_year_checks(out: Path, run_id: str, on_step: Step = no_step) -> int:
    """The former name of `refresh_derived`, kept for callers: the number of cross-year checks."""
    return refresh_derived(out, run_id, on_step)["cross_year_checks"]
