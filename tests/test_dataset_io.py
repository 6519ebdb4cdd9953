"""The dataset reads back with pyarrow, pandas and DuckDB, with the declared types, and never half-written."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as pads
import pytest

from pipeline.schema import SCHEMAS
from pipeline.store import committed_batches, recover, write_batch

from .conftest import needs_corpus


@needs_corpus
@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_pyarrow_reads_every_table_with_its_schema(corpus_pdf_dataset: Path, table: str) -> None:
    data = pads.dataset(corpus_pdf_dataset / table, format="parquet").to_table()
    assert data.schema.equals(SCHEMAS[table], check_metadata=False)


@needs_corpus
def test_pandas_reads_the_declared_types(corpus_pdf_dataset: Path) -> None:
    reports = pd.read_parquet(corpus_pdf_dataset / "reports")
    facts = pd.read_parquet(corpus_pdf_dataset / "facts")
    assert str(reports.year.dtype) == "int16"
    assert str(reports.pages.dtype) == "int16"
    assert str(facts.value.dtype) == "float64"
    assert str(facts.confidence.dtype) == "float32"
    assert reports.report_id.is_unique
    assert set(facts.report_id) <= set(reports.report_id)
    # blank, '/', '-' and '0' stay apart: raw keeps the printed text, value is null only where no number
    numeric = facts[facts.value.notna()]
    assert (numeric.raw.str.len() > 0).all()


@needs_corpus
def test_duckdb_queries_the_dataset(corpus_pdf_dataset: Path) -> None:
    con = duckdb.connect()
    glob = str(corpus_pdf_dataset / "{t}" / "*.parquet")
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob.format(t='reports')}')").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["year"] == "SMALLINT"
    assert types["published"] == "DATE"
    received = con.execute(
        f"""
        SELECT r.office, r.year, f.value
        FROM read_parquet('{glob.format(t="facts")}') f
        JOIN read_parquet('{glob.format(t="reports")}') r USING (report_id)
        WHERE f."table" = 't3' AND f.row = 'new_received' AND f.col = 'total'
        ORDER BY r.year, r.office
        """
    ).fetchall()
    assert ("淮安市人民政府", 2024, 3119.0) in received
    assert ("平潭综合实验区", 2020, 21.0) in received


def test_a_batch_without_its_reports_part_is_rolled_back(tmp_path: Path) -> None:
    rows = {"facts": [{"report_id": "a", "table": "t3", "raw": "1", "value": 1.0}]}
    write_batch(tmp_path, "run1-00000", {**rows, "reports": [{"report_id": "a", "status": "ok"}]})
    # a second batch killed after its facts part but before its reports part
    write_batch(tmp_path, "run1-00001", {**rows, "reports": []})
    (tmp_path / "reports" / "part-run1-00001.parquet").unlink()
    (tmp_path / "facts" / ".part-run1-00002.parquet.tmp").write_bytes(b"half written")
    removed = recover(tmp_path)
    assert {p.name for p in removed} == {"part-run1-00001.parquet", ".part-run1-00002.parquet.tmp"}
    assert len(removed) == 6  # the five other tables' parts of the uncommitted batch, and the temp file
    assert committed_batches(tmp_path) == {"run1-00000"}
    assert len(pd.read_parquet(tmp_path / "facts")) == 1
