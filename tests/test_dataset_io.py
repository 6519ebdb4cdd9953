"""The dataset reads back with pyarrow, pandas and DuckDB, with the declared types, and never half-written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as pads
import pytest

from pipeline.store.journal import JOURNAL_DIR
from pipeline.store.parts import commit_batch, recover, stage_part
from pipeline.store.schema import SCHEMAS, rows_to_table

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


def test_uncommitted_batches_vanish_and_committed_ones_are_finished(tmp_path: Path) -> None:
    rows = {
        "facts": [{"report_id": "a", "table": "t3", "raw": "1", "value": 1.0}],
        "reports": [{"report_id": "a"}],
    }
    commit_batch(tmp_path, "run1-00000", rows, {})
    # a batch killed before its journal record landed: only hidden temporary files
    stage_part(tmp_path, "facts", "run1-00001", rows_to_table("facts", rows["facts"]))
    # a batch killed after its record landed, before its parts were moved into place
    moves = tuple(
        stage_part(tmp_path, name, "run1-00002", rows_to_table(name, [{"report_id": "b"}]))
        for name in ("facts", "reports")
    )
    journal = tmp_path / JOURNAL_DIR
    (journal / "batch-run1-00002.json").write_text(json.dumps({"removes": [], "moves": moves}))
    done = recover(tmp_path)
    assert done == ["rolled forward batch-run1-00002", "deleted facts/.part-run1-00001.parquet.tmp"]
    assert not list(journal.iterdir())
    assert sorted(pd.read_parquet(tmp_path / "reports").report_id) == ["a", "b"]
    assert sorted(pd.read_parquet(tmp_path / "facts").report_id) == ["a", "b"]
