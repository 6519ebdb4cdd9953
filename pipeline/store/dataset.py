"""Reading a dataset folder back: its tables, one report's rows, and where a report's PDF is.

Everything here returns values (Arrow tables, frozen dataclasses, `DatasetError`); nothing prints.
Tables are read with the schemas of `schema.py`, so part files written by an older or newer
version of the pipeline (a missing or an extra column) still read as one table. The optional
`runs` table (one row per ingest run, written by the batch orchestrator) is used when present.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline.core.identity import file_sha256
from pipeline.store.pathtext import path_from_store
from pipeline.store.schema import SCHEMAS

HEX = frozenset("0123456789abcdef")
MIN_ID_PREFIX = 6


@dataclass(frozen=True)
class DatasetError:
    """A reason a dataset question cannot be answered; `error` is a stable class name."""

    error: (
        str  # no_dataset | report_not_found | ambiguous_report | pdf_not_found | pdf_changed | cannot_write
    )
    message: str


@dataclass(frozen=True)
class ReportRef:
    """A report of the dataset and, when it could be found, the PDF it was read from."""

    report_id: str
    source_path: str | None
    pdf: Path | None


@dataclass(frozen=True)
class ReportRows:
    """Every row of one report, table by table (Arrow tables with the dataset's schemas)."""

    report: dict[str, Any]
    facts: pa.Table
    checks: pa.Table
    sections: pa.Table
    pages: pa.Table
    errors: pa.Table


def _parts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*.parquet") if not any(s[0] in "._" for s in p.relative_to(folder).parts)
    )


def has_table(dataset: Path, name: str) -> bool:
    return bool(_parts(dataset / name))


def is_dataset(dataset: Path) -> bool:
    return has_table(dataset, "reports")


def _open(dataset: Path, name: str) -> pads.Dataset | None:
    """Table `name`'s part files as one Arrow dataset (None when not written yet): with this
    version's schema where it knows the table, else (e.g. `runs`) the files' own."""
    parts = _parts(dataset / name)
    if not parts:
        return None
    return pads.dataset([str(p) for p in parts], format="parquet", schema=SCHEMAS.get(name))


def read(
    dataset: Path,
    name: str,
    columns: list[str] | None = None,
    where: pc.Expression | None = None,
) -> pa.Table:
    """Table `name` (or the given columns of it), filtered by `where`; empty when not written yet."""
    data = _open(dataset, name)
    if data is None:
        schema = SCHEMAS.get(name)
        if schema is None:
            return pa.table({})
        empty = schema.empty_table()
        return empty.select(columns) if columns is not None else empty
    if columns is not None:
        columns = [c for c in columns if c in data.schema.names]
    return data.to_table(columns=columns, filter=where)


def read_batches(dataset: Path, name: str, columns: list[str]) -> Iterator[pa.Table]:
    """Table `name`'s columns a batch at a time, one file read ahead: for aggregates over a whole
    table whose memory must not grow with the dataset (facts: 710,000 rows at 5,000 reports)."""
    data = _open(dataset, name)
    if data is None:
        return
    wanted = [c for c in columns if c in data.schema.names]
    for batch in data.to_batches(columns=wanted, batch_readahead=1, fragment_readahead=1):
        yield pa.Table.from_batches([batch])


def latest_runs(dataset: Path) -> pa.Table | None:
    """The `runs` table, newest first, when the dataset has one (the batch orchestrator writes it)."""
    if not has_table(dataset, "runs"):
        return None
    runs = read(dataset, "runs")
    key = "started_at" if "started_at" in runs.schema.names else "run_id"
    return runs.sort_by([(key, "descending")])


def _match_reports(reports: pa.Table, key: str) -> pa.Table:
    ids = reports["report_id"]
    lowered = key.lower()
    if len(lowered) >= MIN_ID_PREFIX and set(lowered) <= HEX:
        hits = reports.filter(pc.starts_with(ids, lowered))
        if hits.num_rows:
            return hits
    exact = reports.filter(pc.equal(reports["source_path"], key))
    if exact.num_rows:
        return exact
    tail = key.lstrip("./")
    paths = reports["source_path"]
    tails = reports.filter(pc.or_(pc.ends_with(paths, tail), pc.ends_with(paths, tail + ".pdf")))
    return tails if tails.num_rows else reports.filter(pc.match_substring(paths, key))


def _run_source(dataset: Path, run_id: str | None) -> Path | None:
    """The root a run's paths are relative to (`runs.root`; an older run's `source`)."""
    runs = latest_runs(dataset)
    if runs is None or run_id is None or "source" not in runs.schema.names:
        return None
    wanted = [c for c in ("root", "source") if c in runs.schema.names]
    rows = runs.filter(pc.equal(runs["run_id"], run_id)).select(wanted).to_pylist()
    text = next((row[c] for row in rows for c in wanted if row[c]), None)  # the root the paths are under
    if not text:
        return None
    given = Path(text)  # a folder whose name is not UTF-8 is recorded escaped (pathtext.py)
    return given if given.exists() else Path(path_from_store(text, escaped=True))


def find_report(dataset: Path, key: str) -> ReportRef | DatasetError:
    """The report `key` names: a PDF file (its PDF is then known), a report id or a unique prefix
    of one (at least 6 hex digits), or a source path (its tail, with or without `.pdf`, or else any
    part of it)."""
    if not is_dataset(dataset):
        return DatasetError("no_dataset", f"{dataset} holds no dataset (no reports/*.parquet)")
    reports = read(dataset, "reports", ["report_id", "source_path", "source_paths", "run_id"])
    given = Path(key)
    if given.is_file():
        rid = file_sha256(given)
        hits = reports.filter(pc.equal(reports["report_id"], rid))
        if not hits.num_rows:
            return DatasetError("report_not_found", f"{key} (sha256 {rid[:12]}…) is not in {dataset}")
        return ReportRef(rid, hits["source_path"][0].as_py(), given)
    hits = _match_reports(reports.filter(pc.is_valid(reports["report_id"])), key)
    found = sorted(set(hits["report_id"].to_pylist()))
    if not found:
        return DatasetError("report_not_found", f"no report id or source path in {dataset} matches {key!r}")
    if len(found) > 1:
        shown = ", ".join(f[:12] for f in found[:5])
        return DatasetError("ambiguous_report", f"{key!r} matches {len(found)} reports ({shown}…)")
    row = hits.filter(pc.equal(hits["report_id"], found[0])).slice(0, 1).to_pylist()[0]
    return ReportRef(found[0], row["source_path"], None)


def locate_pdf(dataset: Path, ref: ReportRef, src: Path | None) -> ReportRef | DatasetError:
    """`ref` with its PDF found under `src` or the run's recorded source folder (hash-verified)."""
    if ref.pdf is not None:
        return ref
    columns = ["report_id", "source_path", "source_paths", "path_escaped", "run_id"]
    reports = read(dataset, "reports", columns)
    row = reports.filter(pc.equal(reports["report_id"], ref.report_id)).slice(0, 1).to_pylist()[0]
    escaped = bool(row.get("path_escaped"))
    paths = [path_from_store(p, escaped) for p in [row["source_path"], *(row["source_paths"] or [])] if p]
    roots = [r for r in (src, _run_source(dataset, row["run_id"])) if r is not None]
    if not roots:
        return DatasetError(
            "pdf_not_found",
            f"report {ref.report_id[:12]}… was read from {paths[0] if paths else '?'}: "
            "give the folder that was ingested with --src (the dataset has no runs table naming it)",
        )
    changed: list[Path] = []
    for root in roots:
        for rel in dict.fromkeys(paths):
            candidate = root / rel if root.is_dir() else root
            if candidate.is_file():
                if file_sha256(candidate) == ref.report_id:
                    return ReportRef(ref.report_id, ref.source_path, candidate)
                changed.append(candidate)
    if changed:
        return DatasetError(
            "pdf_changed", f"{changed[0]} no longer has the bytes of report {ref.report_id[:12]}…"
        )
    where = ", ".join(str(r) for r in roots)
    return DatasetError("pdf_not_found", f"{paths[0] if paths else '?'} is not under {where}")


def _holding(parts: list[Path], report_id: str) -> list[Path]:
    """The part files with rows of `report_id`: only their `report_id` column is read, as a
    dictionary, so finding one report among 10,000 costs one small column per part."""
    found = []
    for part in parts:
        column = pq.read_table(part, columns=["report_id"], read_dictionary=["report_id"])["report_id"]
        values = [chunk.dictionary for chunk in column.chunks]
        if any(pc.any(pc.equal(v, report_id)).as_py() for v in values):
            found.append(part)
    return found


def report_table(dataset: Path, name: str, report_id: str) -> pa.Table:
    """The rows of one report in table `name`, reading only the part files that hold it."""
    parts = _holding(_parts(dataset / name), report_id)
    if not parts:
        return SCHEMAS[name].empty_table()
    data = pads.dataset([str(p) for p in parts], format="parquet", schema=SCHEMAS[name])
    return data.to_table(filter=pc.field("report_id") == report_id)


def report_rows(dataset: Path, report_id: str) -> ReportRows:
    """All rows of one report; if several runs wrote it (a folder ingested twice), the latest run's."""
    reports = report_table(dataset, "reports", report_id).to_pylist()
    latest = max(reports, key=lambda r: (r["ingested_at"] is not None, r["ingested_at"]), default=None)

    def rows(name: str) -> pa.Table:
        table = report_table(dataset, name, report_id)
        if len(reports) > 1 and latest is not None:
            table = table.filter(pc.equal(table["run_id"], latest["run_id"]))
        return table

    return ReportRows(
        report=latest or {"report_id": report_id},
        facts=rows("facts"),
        checks=rows("checks"),
        sections=rows("sections").sort_by("ordinal"),
        pages=rows("pages").sort_by("page"),
        errors=rows("errors"),
    )
