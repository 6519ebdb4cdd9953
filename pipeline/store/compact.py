"""Compaction: many small part files → fewer large ones, the data unchanged, as one journaled commit.

- `size`: only parts smaller than half the target are merged (into parts of about the target
  size); large parts are left alone, so a nightly compaction costs about what the night added.
- `year`: every part of every table is rewritten into one file per report year (facts and the
  other tables take their report's year), split where a file reaches the target size; reads
  filtered by year then touch one file. It rewrites the whole dataset: run it now and then.

Rows are streamed (a bounded number of rows per year in memory), never whole tables. The old
parts leave and the new ones arrive by one journal commit that swaps each table folder whole
(journal.py, swap.py): a reader sees every table as before or as after at every instant, and a
compaction killed at any instant leaves, table by table, either the old parts or the new ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline.store.files import UnsafeDataset, Unwritable, create_new, fsync_file, reason_of
from pipeline.store.journal import Change, Step, commit, no_step
from pipeline.store.lock import LockBusy, hold
from pipeline.store.parts import ANCHOR, ensure_tables, part_files, part_name, read_table, recover
from pipeline.store.schema import SCHEMAS, TABLES

ROW_GROUP = 65_536  # rows buffered per output file before a row group is written
COMPACTED = (*TABLES, "runs")


def compact_locked(
    out: Path, by: str, target_bytes: int, wait_seconds: float = 0.0
) -> dict[str, tuple[int, int]] | LockBusy | Unwritable:
    """`compact` under the dataset's lock, after recovering any half-done commit."""
    from pipeline.store.parts import new_run_id

    compact_id = "c" + new_run_id()
    with hold(out, compact_id, wait_seconds) as held:
        if held is not None:
            return held
        try:
            recover(out)
            ensure_tables(out)
            return compact(out, by, target_bytes, compact_id)
        except OSError as exc:  # committed changes stay as they are: the dataset reads as before
            return Unwritable(out, reason_of(exc))
        except UnsafeDataset as exc:
            return Unwritable(out, str(exc))


def compact(
    out: Path, by: str, target_bytes: int, compact_id: str, on_step: Step = no_step
) -> dict[str, tuple[int, int]]:
    """Compact every table; return table → (part files before, after). The caller holds the lock."""
    years = _report_years(out) if by == "year" else None
    removes: dict[str, list[str]] = {}
    moves: dict[str, list[tuple[str, str]]] = {}
    counts: dict[str, tuple[int, int]] = {}
    for name in COMPACTED:
        parts = [p for p in part_files(out, name) if p.name != ANCHOR]  # the anchor stays as it is
        chosen = parts if by == "year" else [p for p in parts if p.stat().st_size < target_bytes // 2]
        if len(chosen) < 2 and not (by == "year" and chosen and name != "runs"):
            counts[name] = (len(parts), len(parts))
            continue
        written = _rewrite(out, name, chosen, years if name != "runs" else None, target_bytes, compact_id)
        removes[name] = [f"{name}/{p.name}" for p in chosen]
        moves[name] = written
        counts[name] = (len(parts), len(parts) - len(chosen) + len(written))  # the anchor not counted
    order = ("reports", *(t for t in COMPACTED if t != "reports"))  # reports leave first, arrive last
    change = Change(
        tuple(r for name in order for r in removes.get(name, [])),
        tuple(m for name in (*order[1:], "reports") for m in moves.get(name, [])),
        (*order[1:], "reports"),
    )
    commit(out, f"compact-{compact_id}", change, on_step)
    return counts


def _report_years(out: Path) -> tuple[pa.Array, pa.Array]:
    reports = read_table(out, "reports", ["report_id", "year"])
    return reports.column("report_id").combine_chunks(), reports.column("year").combine_chunks()


def _rewrite(
    out: Path,
    name: str,
    parts: list[Path],
    years: tuple[pa.Array, pa.Array] | None,
    target_bytes: int,
    compact_id: str,
) -> list[tuple[str, str]]:
    """Stream the rows of `parts` into new hidden files grouped by year (or one group)."""
    schema = SCHEMAS[name]
    writers: dict[str, _Output] = {}
    done: list[tuple[str, str]] = []
    data = pads.dataset([str(p) for p in parts], format="parquet", schema=schema)
    for batch in data.to_batches(batch_size=ROW_GROUP, use_threads=False):
        for key, rows in _groups(pa.Table.from_batches([batch], schema), name, years):
            out_file = writers.get(key)
            if out_file is None:
                out_file = writers[key] = _Output(out, name, schema, f"{compact_id}-{key}", 0)
            out_file.add(rows)
            if out_file.size() >= target_bytes:
                done.append(out_file.close())
                writers[key] = _Output(out, name, schema, f"{compact_id}-{key}", out_file.number + 1)
    done.extend(w.close() for w in writers.values() if w.rows_total or w.buffered)
    return [d for d in done if d[0]]


def _groups(
    table: pa.Table, name: str, years: tuple[pa.Array, pa.Array] | None
) -> Iterator[tuple[str, pa.Table]]:
    if years is None:
        yield "all", table
        return
    if name == "reports":
        key = table.column("year")
    else:
        ids, year_of = years
        key = pc.take(year_of, pc.index_in(table.column("report_id"), value_set=ids))
    for year in pc.unique(key).to_pylist():
        mask = pc.is_null(key) if year is None else pc.fill_null(pc.equal(key, year), False)
        yield f"y{year if year is not None else 'none'}", table.filter(mask)


class _Output:
    """One output file being written; rows are buffered into row groups of ROW_GROUP rows."""

    def __init__(self, out: Path, name: str, schema: pa.Schema, stem: str, number: int) -> None:
        self.number = number
        self.final = f"{name}/{part_name(f'{stem}-{number:03d}')}"
        self.tmp = f"{name}/.{part_name(f'{stem}-{number:03d}')}.tmp"
        self.path = out / self.tmp
        self.schema = schema
        self.sink: pa.PythonFile | None = None
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.Table] = []
        self.buffered = 0
        self.rows_total = 0

    def add(self, rows: pa.Table) -> None:
        if rows.num_rows:
            self.pending.append(rows)
            self.buffered += rows.num_rows
        if self.buffered >= ROW_GROUP:
            self._flush()

    def size(self) -> int:
        return self.sink.tell() if self.sink is not None else 0

    def _flush(self) -> None:
        if not self.buffered:
            return
        if self.writer is None:
            self.sink = pa.PythonFile(create_new(self.path), mode="w")
            self.writer = pq.ParquetWriter(self.sink, self.schema, compression="zstd")
        self.writer.write_table(pa.concat_tables(self.pending), row_group_size=ROW_GROUP)
        self.rows_total += self.buffered
        self.pending, self.buffered = [], 0

    def close(self) -> tuple[str, str]:
        """Finish the file; ("", "") if it never got a row."""
        self._flush()
        if self.writer is None or self.sink is None:
            return "", ""
        self.writer.close()
        self.sink.close()
        fsync_file(self.path)
        return self.tmp, self.final
