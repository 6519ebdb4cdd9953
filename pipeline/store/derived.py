"""Rows computed from the whole dataset rather than one file, refreshed after a run.

The cross-year checks of the pre-2019 统计表 (crossyear.py) need two reports of one office; a
new report can complete a pair with one ingested years ago. After every run that changed the
dataset they are recomputed and swapped in as one journaled commit: the previous ones removed
(wherever compaction put them), the new ones moved in.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from pipeline.store.crossyear import cross_year_checks
from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.parts import part_files, read_table, stage_filtered, stage_part
from pipeline.store.schema import SCHEMAS, rows_to_table

CROSS_YEAR_PREFIX = "legacy.cumulative."


def _legacy_facts(out: Path) -> pa.Table:
    columns = ["report_id", "table", "row", "col", "value"]
    if not part_files(out, "facts"):
        return SCHEMAS["facts"].empty_table().select(columns)
    dataset = pads.dataset(
        [str(p) for p in part_files(out, "facts")], format="parquet", schema=SCHEMAS["facts"]
    )
    return dataset.to_table(columns=columns, filter=pads.field("table") == "legacy")


def refresh_cross_year_checks(out: Path, run_id: str, on_step: Step = no_step) -> int:
    """Recompute the dataset's cross-year checks; return how many there are now."""
    reports = read_table(out, "reports", columns=["report_id", "office", "year"])
    rows = cross_year_checks(_legacy_facts(out), reports, run_id)

    def previous(table: pa.Table) -> pa.Array:
        return pc.fill_null(pc.starts_with(table.column("check"), CROSS_YEAR_PREFIX), False)

    change = stage_filtered(
        out, "checks", part_files(out, "checks"), previous, f"{run_id}-derived-old", keys=("check",)
    )
    moves = list(change.moves)
    if rows:
        moves.append(stage_part(out, "checks", f"{run_id}-derived", rows_to_table("checks", rows)))
    commit(out, f"derived-{run_id}", Change(change.removes, tuple(moves)), on_step)
    return len(rows)
