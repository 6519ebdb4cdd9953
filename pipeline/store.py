"""The dataset on disk: one folder of Parquet part files per table, committed batch by batch.

A batch is written as one part per table, each to a hidden temporary name and renamed into
place, the `reports` part last. A batch is committed exactly when its `reports` part exists:
`recover` deletes temporary files and the parts of any batch that has no `reports` part, so a
run killed at any instant leaves a dataset that reads cleanly and holds each report at most once.
Readers (pyarrow, pandas, DuckDB, Spark) skip names starting with '.' or '_'.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from .schema import SCHEMAS, TABLES, Row, rows_to_table

PART_PREFIX = "part-"


def new_batch_id(run_id: str, number: int) -> str:
    return f"{run_id}-{number:05d}"


def new_run_id() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def _part_name(batch_id: str) -> str:
    return f"{PART_PREFIX}{batch_id}.parquet"


def _write_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_batch(out: Path, batch_id: str, rows: dict[str, list[Row]]) -> None:
    """Write one batch; the `reports` part goes last and is the commit point."""
    for name in (*(t for t in TABLES if t != "reports"), "reports"):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(rows_to_table(name, rows.get(name, [])), folder / _part_name(batch_id))
    _fsync_dir(out / "reports")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _batch_of(path: Path) -> str | None:
    name = path.name
    if name.startswith(PART_PREFIX) and name.endswith(".parquet"):
        return name[len(PART_PREFIX) : -len(".parquet")]
    return None


def committed_batches(out: Path) -> set[str]:
    folder = out / "reports"
    if not folder.is_dir():
        return set()
    return {b for p in folder.iterdir() if (b := _batch_of(p))}


def recover(out: Path) -> list[Path]:
    """Remove temporary files and parts of uncommitted batches; return what was removed."""
    removed: list[Path] = []
    committed = committed_batches(out)
    for name in TABLES:
        folder = out / name
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            batch = _batch_of(path)
            stale_tmp = path.name.startswith(".") and path.name.endswith(".tmp")
            if stale_tmp or (batch is not None and batch not in committed):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def read_table(out: Path, name: str, columns: Iterable[str] | None = None) -> pa.Table:
    """A table of the dataset (empty, with its schema, when nothing was written yet)."""
    folder = out / name
    schema = SCHEMAS[name]
    if not folder.is_dir() or not any(_batch_of(p) for p in folder.iterdir()):
        table = schema.empty_table()
    else:
        table = pads.dataset(folder, format="parquet", schema=schema).to_table()
    return table.select(list(columns)) if columns is not None else table
