"""Every report of the dataset for the run report's searchable list, and its office and year views.

The list travels as compact JSON (one array per report, `COLUMNS` say which field is where)
that the page's script draws, filters and groups: 10,000 reports are about 3 MB and drawn in
pieces of `PAGE` rows. Each report links to its review page, relative to where the run report is
written (`DATASET/_reviews/<report_id>.html`, review.py), and says whether that page exists yet
(`report --reviews` writes the missing ones).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipeline.offices.identity import identify
from pipeline.store.dataset import read
from pipeline.views.review import REVIEWS

PAGE = 200  # rows the page draws at a time
COLUMNS = (
    "report_id",
    "source_path",
    "office",  # as printed
    "office_id",
    "canonical",
    "level",
    "adcode",
    "year",
    "format",
    "status",
    "is_primary",
    "primary_report_id",
    "cells_found",
    "cells_expected",
    "checks_failed",
    "has_review",
)
READ = [
    "report_id",
    "source_path",
    "office",
    "office_id",
    "adcode",
    "year",
    "format",
    "status",
    "is_primary",
    "primary_report_id",
    "cells_found",
    "cells_expected",
    "checks_failed",
    "ingested_at",
]


def reviews_href(dataset: Path, page: Path) -> str:
    """The review pages' folder as a link from the run report written at `page`."""
    return Path(os.path.relpath(dataset.absolute() / REVIEWS, page.absolute().parent)).as_posix()


def report_list(dataset: Path) -> dict[str, Any]:
    rows = read(dataset, "reports", READ).to_pylist()
    latest: dict[str, dict[str, Any]] = {}
    anonymous = []
    for r in rows:  # a report written by two runs: the latest row
        if r["report_id"] is None:
            anonymous.append(r)
        elif r["report_id"] not in latest or (r["ingested_at"] or 0) > (
            latest[r["report_id"]]["ingested_at"] or 0
        ):
            latest[r["report_id"]] = r
    folder = dataset / REVIEWS
    reviewed = {p.stem for p in folder.glob("*.html")} if folder.is_dir() else set()
    listed = []
    for r in sorted(
        [*latest.values(), *anonymous], key=lambda r: (r["source_path"] or "", r["report_id"] or "")
    ):
        office = identify(r["office"]) if r["office"] and r["office"].strip() else None
        listed.append(
            [
                r["report_id"],
                r["source_path"],
                r["office"],
                r["office_id"] or (office.office_id if office else None),
                office.canonical if office else None,
                office.level if office else "unknown",
                r["adcode"] if r["office_id"] else (office.adcode if office else None),
                r["year"],
                r["format"],
                r["status"],
                bool(r["is_primary"]),
                r["primary_report_id"],
                r["cells_found"],
                r["cells_expected"],
                r["checks_failed"],
                r["report_id"] in reviewed,
            ]
        )
    return {"columns": COLUMNS, "rows": listed, "page": PAGE}
