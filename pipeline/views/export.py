"""A table of the dataset as one CSV or Excel file, for Stata, R or a spreadsheet.

`panel` and `offices` are written as they are. `reports`, `facts` and `checks` keep the primary
report of each office and year only (unless `all_reports`), and `facts` and `checks` get their
report's office_id, office, adcode and year, so a file stands alone. CSV is UTF-8 with a byte
order mark (Excel and Stata then read the Chinese right); list columns are joined with `; `;
timestamps are written in UTC without a zone (Excel has none).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.store.dataset import DatasetError, read
from pipeline.store.files import Unwritable, reason_of, write_atomically

EXCEL_ROWS = 1_048_575  # a worksheet's rows, less the header
FORMATS = (".csv", ".xlsx")
REPORT_COLUMNS = ["report_id", "office_id", "office", "adcode", "year", "is_primary"]


def _frame(table: pa.Table) -> Any:
    import pandas as pd

    frame = table.to_pandas(types_mapper={pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype()}.get)
    for column, kind in zip(table.schema.names, table.schema.types, strict=True):
        if pa.types.is_list(kind):
            frame[column] = frame[column].map(lambda v: "; ".join(map(str, v)) if v is not None else None)
        elif pa.types.is_timestamp(kind) and kind.tz is not None:
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


def _table(dataset: Path, name: str, all_reports: bool) -> Any:
    table = read(dataset, name)
    frame = _frame(table)
    if name in ("reports", "facts", "checks"):
        about = read(dataset, "reports", REPORT_COLUMNS)
        if not all_reports:
            about = about.filter(pc.fill_null(about.column("is_primary"), False))
        if name == "reports":
            frame = frame[frame["report_id"].isin(about.column("report_id").to_pylist())]
        else:
            frame = _frame(about).merge(frame, on="report_id", how="inner")
    sort = [c for c in ("office_id", "year", "report_id", "table", "row", "col") if c in frame.columns]
    return frame.sort_values(sort, kind="stable") if sort and name != "panel" else frame


def export_table(dataset: Path, name: str, out: Path, all_reports: bool = False) -> Path | DatasetError:
    """Write table `name` of `dataset` to `out` (.csv or .xlsx); the file, or why not."""
    import io

    if out.suffix.lower() not in FORMATS:
        return DatasetError("bad_format", f"{out}: the file name must end in .csv or .xlsx")
    frame = _table(dataset, name, all_reports)
    buffer = io.BytesIO()
    if out.suffix.lower() == ".csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    else:
        if len(frame) > EXCEL_ROWS:
            return DatasetError(
                "too_many_rows", f"{name} has {len(frame):,} rows, more than a worksheet holds: write .csv"
            )
        frame.to_excel(buffer, index=False, sheet_name=name, engine="openpyxl")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, buffer.getvalue())
    except OSError as exc:
        return DatasetError("cannot_write", Unwritable(out, reason_of(exc)).message)
    return out
