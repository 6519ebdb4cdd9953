"""The dataset on disk: one folder of Parquet part files per table, changed only by journaled commits.

    DST/<table>/part-<id>.parquet            live: what pyarrow, pandas, DuckDB and Spark read
    DST/_pending/<table>/part-<id>.parquet   staged replacements, published at the end of a run
    DST/_pending/changes/part-<id>.parquet   which reports the staged parts replace or delete
    DST/_journal/<commit>.json               a commit being applied (see journal.py)
    DST/_next/<commit>/<table>/              a table's next version, swapped in whole (swap.py)

Every change is a `journal.Change`: new parts are written to hidden temporary names and fsynced,
then one journal record commits the lot. A run killed at any instant leaves a dataset that reads
cleanly and holds each report at most once; `recover` (run first by every writer) finishes a
committed change and deletes the temporary files of an uncommitted one. Readers skip names
starting with '.' or '_', so nothing under `_pending/` or `_journal/` is ever read as data.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline.core.config import VERSION
from pipeline.core.model import ReportResult
from pipeline.store.files import create_new, fsync_dir
from pipeline.store.journal import JOURNAL_DIR, Change, Step, commit, no_step, roll_forward
from pipeline.store.schema import SCHEMAS, TABLES, Row, result_to_rows, rows_to_table, schema_of
from pipeline.store.swap import NEXT_DIR, UnsafeFolder

PART_PREFIX = "part-"
PENDING_DIR = "_pending"
PENDING_TABLES = (*TABLES, "changes")
ANCHOR = f"{PART_PREFIX}anchor.parquet"


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def new_batch_id(run_id: str, number: int) -> str:
    return f"{run_id}-{number:05d}"


def table_dir(name: str, pending: bool = False) -> str:
    """A table's folder relative to the dataset root."""
    return f"{PENDING_DIR}/{name}" if pending else name


def part_name(part_id: str) -> str:
    return f"{PART_PREFIX}{part_id}.parquet"


def is_part(path: Path) -> bool:
    return path.name.startswith(PART_PREFIX) and path.name.endswith(".parquet")


def part_files(out: Path, name: str, pending: bool = False) -> list[Path]:
    """The committed part files of a table, in name order."""
    folder = out / table_dir(name, pending)
    return sorted(p for p in folder.iterdir() if is_part(p)) if folder.is_dir() else []


def stage_part(out: Path, folder: str, part_id: str, table: pa.Table) -> tuple[str, str]:
    """Write `table` to a hidden temporary file beside its final place; return (temp, final), relative."""
    final = f"{folder}/{part_name(part_id)}"
    tmp = f"{folder}/.{part_name(part_id)}.tmp"
    (out / folder).mkdir(parents=True, exist_ok=True)
    with create_new(out / tmp) as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    return tmp, final


def commit_batch(
    out: Path,
    batch_id: str,
    live: Mapping[str, list[Row]],
    pending: Mapping[str, list[Row]],
    on_step: Step = no_step,
) -> None:
    """One committed batch: `live` rows become visible now, `pending` rows at the next publish.

    Empty tables get no part file. Live parts are renamed in TABLES order, `reports` last.
    """
    moves: list[tuple[str, str]] = []
    for name in PENDING_TABLES:  # "-staged": the name it keeps when published beside this batch's live part
        if pending.get(name):
            table = rows_to_table(name, pending[name])
            moves.append(stage_part(out, table_dir(name, True), f"{batch_id}-staged", table))
    for name in TABLES:
        if live.get(name):
            moves.append(stage_part(out, name, batch_id, rows_to_table(name, live[name])))
    commit(out, f"batch-{batch_id}", Change(moves=tuple(moves)), on_step)


def write_batch(out: Path, batch_id: str, rows: Mapping[str, list[Row]]) -> None:
    """One batch of new rows, live at once (a journaled commit; the `reports` part moved in last)."""
    commit_batch(out, batch_id, rows, {})


def write_results(out: Path, results: Iterable[ReportResult], run_id: str = "adhoc") -> Path:
    """Reports processed outside an archive run (`process_file`) as a dataset folder: one batch,
    live at once. For notebooks, benchmarks and tests; `ingest` is the way to keep a dataset."""
    rows: dict[str, list[Row]] = {}
    for result in results:
        for name, table_rows in result_to_rows(result, VERSION, run_id).items():
            rows.setdefault(name, []).extend(table_rows)
    write_batch(out, new_batch_id(run_id, 0), rows)
    return out


def stage_filtered(
    out: Path,
    name: str,
    parts: Iterable[Path],
    drop: Callable[[pa.Table], pa.Array],
    part_id: str,
    keys: Sequence[str] = ("report_id",),
) -> Change:
    """Rewrite the parts of live table `name` that hold rows matching `drop`, without those rows.

    `drop` sees only the `keys` columns that exist in the table (read first, cheaply); a part
    is read whole only when some row matches. Returns the change to commit: the old parts
    removed, the rewritten ones (new names) moved in; a part left empty is removed only.
    """
    schema = SCHEMAS[name]
    columns = [k for k in keys if k in schema.names]
    removes: list[str] = []
    moves: list[tuple[str, str]] = []
    for number, part in enumerate(parts):
        if not pc.any(drop(pq.read_table(part, columns=columns))).as_py():
            continue
        table = pads.dataset(str(part), format="parquet", schema=schema).to_table()
        removes.append(f"{name}/{part.name}")
        kept = table.filter(pc.invert(drop(table)))
        if kept.num_rows:
            moves.append(stage_part(out, name, f"{part_id}-{number:05d}", kept))
    return Change(tuple(removes), tuple(moves))


def recover(out: Path) -> list[str]:
    """Finish committed changes, delete temporary files of uncommitted ones; return what was done."""
    if not out.is_dir():
        return []
    done = [f"rolled forward {name}" for name in roll_forward(out)]
    folders = [
        out / JOURNAL_DIR,
        *(out / t for t in SCHEMAS),
        *(out / table_dir(t, True) for t in PENDING_TABLES),
    ]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)
                done.append(f"deleted {path.relative_to(out)}")
    staged = out / NEXT_DIR  # folders built for swaps no committed record needs any more
    if staged.is_dir() and not staged.is_symlink():
        for path in staged.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            done.append(f"deleted {path.relative_to(out)}")
    return done


def read_table(out: Path, name: str, columns: Iterable[str] | None = None, pending: bool = False) -> pa.Table:
    """A table of the dataset (empty, with its schema, when nothing was written yet)."""
    schema = schema_of(name)
    files = part_files(out, name, pending)
    if not files:
        table = schema.empty_table()
    else:
        table = pads.dataset([str(f) for f in files], format="parquet", schema=schema).to_table()
    return table.select(list(columns)) if columns is not None else table


def ensure_tables(out: Path, on_step: Step = no_step) -> None:
    """Give every table its anchor: a zero-row part, written first and never removed or rewritten.

    A table folder never exists without its anchor: the folder is built under `_next/` with the
    anchor in it and renamed into place whole, so `read_parquet('DST/<table>/*.parquet')` never
    finds an existing folder empty, whenever a writer is killed. `reports` comes last: a dataset
    with a `reports` folder has every table.
    """
    for name in sorted(SCHEMAS, key=lambda t: t == "reports"):
        if (out / name / ANCHOR).exists():
            continue
        if (out / NEXT_DIR).is_symlink():
            raise UnsafeFolder(
                f"{out / NEXT_DIR} is a symbolic link; a dataset's folders must be real folders"
            )
        staging = out / NEXT_DIR / f"anchor-{name}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        with create_new(staging / ANCHOR) as fh:
            pq.write_table(SCHEMAS[name].empty_table(), fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(staging)
        try:
            os.rename(staging, out / name)  # a new folder, or an empty one left by an older version
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            os.rename(staging / ANCHOR, out / name / ANCHOR)  # a folder with parts and no anchor yet
            staging.rmdir()
        fsync_dir(out)
        on_step(f"anchored {name}")


def has_pending(out: Path) -> bool:
    return any(part_files(out, name, pending=True) for name in PENDING_TABLES)
