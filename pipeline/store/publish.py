"""Publishing staged replacements: old rows out and staged rows in, as one journaled commit.

A report that replaces rows already in the dataset (a file changed in place, a new pipeline
version, `--force`, a path added to or lost by a known report) is staged under `_pending/`
while the run goes on, so that readers keep seeing the old, complete rows; `publish_pending`
swaps them at the end of the run (or at the start of the next one, after a kill). Each live part
is rewritten at most once per publish, whatever the number of reports replaced; each table is
swapped whole (swap.py), `reports` last, so the reports left alone stay visible throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.parts import has_pending, part_files, read_table, stage_filtered, table_dir
from pipeline.store.schema import TABLES


@dataclass(frozen=True)
class Published:
    replaced: int  # reports whose rows were swapped for newly processed ones
    updated: int  # reports whose `reports` row alone changed (their paths)
    deleted: int  # reports removed (every path now holds other bytes)
    parts_rewritten: int


def publish_pending(out: Path, publish_id: str, on_step: Step = no_step) -> Published | None:
    """Apply everything staged under `_pending/`; None when nothing was staged."""
    if not has_pending(out):
        return None
    changes = read_table(out, "changes", pending=True)
    actions = changes.column("action")
    whole = changes.filter(pc.is_in(actions, pa.array(["replace", "delete"])))
    ids_whole = _non_null(whole.column("report_id"))
    paths_whole = _non_null(whole.filter(pc.is_null(whole.column("report_id"))).column("source_path"))
    ids_reports_only = _non_null(changes.filter(pc.equal(actions, "update")).column("report_id"))

    removes: list[str] = []
    added: dict[str, list[tuple[str, str]]] = {}
    for name in ("reports", *(t for t in TABLES if t != "reports")):  # old report rows go first
        ids = ids_whole.union(ids_reports_only) if name == "reports" else ids_whole

        drop = _rows_of(ids, paths_whole)
        keys = ("report_id", "source_path")
        change = stage_filtered(out, name, part_files(out, name), drop, f"{publish_id}-{name}", keys)
        removes.extend(change.removes)
        staged = [
            (f"{table_dir(name, True)}/{p.name}", f"{name}/{p.name}") for p in part_files(out, name, True)
        ]
        added[name] = [*change.moves, *staged]
    rewritten = len(removes)
    removes.extend(f"{table_dir('changes', True)}/{p.name}" for p in part_files(out, "changes", True))
    moves = [move for name in TABLES for move in added[name]]  # TABLES ends with reports: new rows last
    commit(out, f"publish-{publish_id}", Change(tuple(removes), tuple(moves), TABLES), on_step)
    count = {a: len(changes.filter(pc.equal(actions, a))) for a in ("replace", "update", "delete")}
    return Published(count["replace"], count["update"], count["delete"], rewritten)


def _rows_of(ids: set[str], unhashed_paths: set[str]) -> Callable[[pa.Table], pa.Array]:
    """A row filter: rows of these reports, or of unhashable files at these paths."""
    id_array = pa.array(sorted(ids), pa.string())
    path_array = pa.array(sorted(unhashed_paths), pa.string())

    def match(table: pa.Table) -> pa.Array:
        hit = pc.fill_null(pc.is_in(table.column("report_id"), id_array), False)
        if "source_path" in table.column_names and len(path_array):
            unhashed = pc.and_(
                pc.is_null(table.column("report_id")), pc.is_in(table.column("source_path"), path_array)
            )
            hit = pc.or_(hit, pc.fill_null(unhashed, False))
        return hit

    return match


def _non_null(column: pa.ChunkedArray) -> set[str]:
    return {v for v in column.to_pylist() if v is not None}
