"""The entries of the source tree a run skipped, as `errors` rows of stage `inventory`.

They describe the folder as it is tonight, not a report: each run replaces the previous run's
rows with its own (one commit, made only when they differ), so an entry fixed since drops out
and none piles up. `report_id` is null; `source_path` is the entry (a folder, a link, a FIFO).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.run.listing import Skipped
from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.parts import part_files, read_table, stage_filtered, stage_part
from pipeline.store.pathtext import with_stored_paths
from pipeline.store.schema import rows_to_table

STAGE = "inventory"


def record_skipped(out: Path, run_id: str, skipped: Sequence[Skipped], on_step: Step = no_step) -> bool:
    """Make the dataset's `inventory` errors rows this run's skipped entries; True if they changed."""
    rows = [
        with_stored_paths(
            {
                "report_id": None,
                "source_path": s.path,
                "stage": STAGE,
                "error": s.error,
                "message": s.message,
                "page": None,
                "at": datetime.now(UTC),
                "run_id": run_id,
            }
        )
        for s in skipped
    ]
    errors = read_table(out, "errors", ["stage", "source_path", "error"])
    earlier = errors.filter(pc.fill_null(pc.equal(errors.column("stage"), STAGE), False))
    before = {(r["source_path"], r["error"]) for r in earlier.to_pylist()}
    if before == {(r["source_path"], r["error"]) for r in rows}:
        return False
    change = stage_filtered(
        out, "errors", part_files(out, "errors"), _of_inventory, f"{run_id}-inventory-was", ("stage",)
    )
    moves = list(change.moves)
    if rows:
        moves.append(stage_part(out, "errors", f"{run_id}-inventory", rows_to_table("errors", rows)))
    commit(out, f"inventory-{run_id}", Change(change.removes, tuple(moves)), on_step)
    return True


def _of_inventory(table: pa.Table) -> pa.Array:
    return pc.fill_null(pc.equal(table.column("stage"), STAGE), False)
