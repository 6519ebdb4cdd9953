"""The command line's commands that look at a dataset: `report`, `review`, `show`, `export`."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.cli.dataset_option import add_dataset_option, add_positional_dataset
from pipeline.cli.numbers import MAX_QUALITY, MAX_SCALE, memory_mb, quality, scale, seconds, whole
from pipeline.core import config

EXPORTABLE = ("panel", "offices", "facts", "reports", "checks", "errors")


def add_view_commands(sub: argparse._SubParsersAction) -> None:
    """`report`, `review` and `show`: looking at a dataset (docs/html-reports.md)."""
    rep = sub.add_parser(
        "report",
        help="write the run report of a dataset: one self-contained HTML file with charts",
        description="Charts of what the dataset holds and what went wrong; every report listed with search, "
        "filters, office and year views and a link to its review page; in one static HTML file (no server, "
        "no network).",
    )
    add_dataset_option(rep)
    add_positional_dataset(rep)
    rep.add_argument(
        "--out", type=Path, help="HTML file to write (default: DATASET/_report.html, beside the data)"
    )
    rep.add_argument(
        "--reviews",
        action="store_true",
        help="also write the review page of every report that has none yet (DATASET/_reviews/), so the "
        "report's links open them (a few tenths of a second per report)",
    )
    rev = sub.add_parser(
        "review",
        help="write the review page of one report: its pages with every figure boxed, and its tables",
        description="REPORT is a PDF file, a report id (or a unique prefix of at least 6 hex digits) or a "
        "source path. The PDF is found under --src, else under the dataset's source root (the runs table records it); "
        "it must hash to the report id.",
    )
    rev.add_argument("report", help="PDF file, report id (prefix) or source path")
    rev.add_argument(
        "--out",
        type=Path,
        help="HTML file to write (default: DATASET/_reviews/REPORT_ID.html, where the run report links to)",
    )
    add_dataset_option(rev)
    rev.add_argument("--src", type=Path, help="the folder that was ingested (where the report's PDF is)")
    rev.add_argument(
        "--scale",
        type=scale,
        default=1.5,
        help=f"pixels per PDF point of the page images, up to {MAX_SCALE:g} (default: 1.5)",
    )
    rev.add_argument(
        "--quality", type=quality, default=60, help=f"image quality 1-{MAX_QUALITY} (default: 60)"
    )
    rev.add_argument(
        "--image-format", choices=("jpeg", "webp"), default="jpeg", help="page image format (default: jpeg)"
    )
    rev.add_argument("--password", help="password of an encrypted PDF")
    rev.add_argument(
        "--timeout",
        type=seconds(zero=True),
        default=config.FILE_TIMEOUT_S,
        metavar="SECONDS",
        help="the PDF's pages are drawn in a worker process, killed after this long (an error `timeout`, as "
        "in ingest) (default: %(default)g; 0: none)",
    )
    rev.add_argument(
        "--max-memory",
        type=memory_mb,
        default=config.MAX_MEMORY_MB,
        metavar="SIZE",
        help="and killed over this much memory (an error `memory`) (default: %(default)sM; 0: none)",
    )
    rev.add_argument(
        "--max-pages",
        type=whole(1),
        default=config.MAX_PAGES,
        help="refuse a PDF of more pages (`too_many_pages`, as ingest does) (default: %(default)s)",
    )
    show = sub.add_parser(
        "show",
        help="print one report's metadata, sections and tables in the terminal",
        description="REPORT is a PDF file, a report id (or a unique prefix) or a source path.",
    )
    show.add_argument("report", help="PDF file, report id (prefix) or source path")
    add_dataset_option(show)
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")


def add_export_command(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser(
        "export",
        help="write a table (panel, offices, facts …) as CSV or Excel, for Stata, R or a spreadsheet",
        description="TABLE of the dataset as one CSV (UTF-8 with a byte order mark, which Excel and Stata "
        "read as UTF-8) or Excel file, chosen by --out's suffix (.csv, .xlsx). facts and checks are joined "
        "to their report's office_id, office, adcode and year, primary reports only unless --all-reports.",
    )
    exp.add_argument("table", choices=EXPORTABLE, help="the table to write")
    add_dataset_option(exp)
    exp.add_argument("--out", type=Path, required=True, help="file to write: NAME.csv or NAME.xlsx")
    exp.add_argument(
        "--all-reports",
        action="store_true",
        help="facts/checks/reports of every file, not only the primary report of each office and year",
    )
