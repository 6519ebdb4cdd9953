"""The Python API: what a notebook or a script needs, re-exported at the package top.

    import pipeline

    summary = pipeline.ingest("reports/", "dataset/")           # a folder → the dataset (incremental)
    result = pipeline.process_file(Path("report.pdf"))          # one file → its rows, nothing written
    data = pipeline.open_dataset("dataset/")
    facts = data.pandas("facts")                                # or .arrow(), .polars(), .duckdb()
    panel = data.panel()                                        # one row per office and year (pandas)

Everything heavy (pyarrow, the archive runner) is imported when first used, so `import
pipeline` stays cheap for the worker processes that import it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.config import DATASET, ReadOptions, RunOptions

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.run.log import EventSink, RunSummary
    from pipeline.run.preflight import CannotRun
    from pipeline.store.journal import Step
    from pipeline.store.lock import LockBusy


def ingest(
    src: str | Path,
    out: str | Path = DATASET,
    options: ReadOptions = ReadOptions(),
    run: RunOptions = RunOptions(),
    on_event: EventSink | None = None,
    on_step: Step | None = None,
) -> RunSummary | LockBusy | CannotRun:
    """Bring the dataset in `out` up to date with the files under `src` (new and changed files
    processed, unchanged ones skipped); a `LockBusy` if another run holds the dataset, a
    `CannotRun` if it could not start (an option out of range, an output it cannot write). With
    `run.report_path`, the HTML run report is written there at the end."""
    from pipeline.run.archive import run_archive
    from pipeline.views.runreport import write_run_report

    return run_archive(Path(src), Path(out), options, run, on_event, on_step, write_run_report)


@dataclass(frozen=True)
class Dataset:
    """A dataset folder's tables: reports, facts, sections, pages, checks, errors, offices, panel, runs."""

    path: Path

    def arrow(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """One table as Arrow, with the dataset's schema (empty if not written yet)."""
        from pipeline.store.dataset import read

        return read(self.path, table, columns)

    def pandas(self, table: str, columns: list[str] | None = None) -> Any:
        """One table as a pandas DataFrame; integer and boolean columns stay integer and boolean
        where they hold nulls (pandas' nullable dtypes), so `year` never turns into a float."""
        import pandas as pd
        import pyarrow as pa

        nullable = {
            pa.int8(): pd.Int8Dtype(),
            pa.int16(): pd.Int16Dtype(),
            pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype(),
            pa.bool_(): pd.BooleanDtype(),
        }
        return self.arrow(table, columns).to_pandas(types_mapper=nullable.get)

    def polars(self, table: str, columns: list[str] | None = None) -> Any:
        import polars as pl

        return pl.from_arrow(self.arrow(table, columns))

    def duckdb(self, connection: Any = None) -> Any:
        """A DuckDB connection with one view per table written (`SELECT * FROM facts`)."""
        import duckdb

        con = connection or duckdb.connect()
        for table in self.tables():
            glob = str(self.path / table / "**" / "*.parquet").replace("'", "''")
            con.execute(  # union_by_name: parts written by an older version may lack newer columns
                f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name = true)"
            )
        return con

    def panel(self, kind: str = "pandas") -> Any:
        """The panel, one row per office and year (docs/data-dictionary.md), sorted by office and
        year: a pandas DataFrame, or with kind="polars" / "arrow" that instead."""
        return self._as(kind, "panel")

    def offices(self, kind: str = "pandas") -> Any:
        """The offices table, one row per office_id."""
        return self._as(kind, "offices")

    def _as(self, kind: str, table: str) -> Any:
        readers = {"pandas": self.pandas, "polars": self.polars, "arrow": self.arrow}
        if kind not in readers:
            raise ValueError(f"kind must be one of {', '.join(readers)} (got {kind!r})")
        return readers[kind](table)

    def tables(self) -> list[str]:
        from pipeline.store.dataset import has_table
        from pipeline.store.schema import SCHEMAS

        return [name for name in (*SCHEMAS, "runs") if has_table(self.path, name)]


def open_dataset(path: str | Path = DATASET) -> Dataset:
    return Dataset(Path(path))
