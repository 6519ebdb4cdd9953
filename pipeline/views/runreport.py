"""The run report: one self-contained HTML file that shows at a glance what a dataset holds and
what went wrong (charts inline as SVG, styles inline, nothing fetched), and every report in a list
to search and filter, by office and by year, each linked to its review page (reportlist.py; one
inline script draws it).

Hook for the ingest orchestrator: call `write_run_report(out, out / "_report.html")` once a run
has committed (a name starting with `_` keeps Parquet readers from taking it for data). It reads
only committed parts, so it is safe to call while nothing else is writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.core.config import VERSION
from pipeline.store.files import Unwritable, reason_of, write_atomically
from pipeline.views.charts import Chart, barh, checks_by_table, label, ocr_share, year_format
from pipeline.views.reportlist import report_list, reviews_href
from pipeline.views.runstats import RunStats, compute
from pipeline.views.templating import render, trusted

DEFAULT_NAME = "_report.html"


@dataclass(frozen=True)
class RunReport:
    dataset: str
    generated: str
    stats: RunStats
    charts: tuple[Chart, ...]
    listing: dict[str, Any]
    reviews: str  # the review pages' folder, relative to the report file


def build_charts(stats: RunStats) -> tuple[Chart, ...]:
    t = stats.totals
    share = f"{t['ocr_pages'] / t['pages']:.1%}" if t["pages"] else "–"
    slow = [(r["source_path"] or r["report_id"] or "?", float(r["seconds"] or 0.0)) for r in stats.slowest]
    lowest = [
        (r["source_path"] or r["report_id"], float(r["confidence"][0])) for r in stats.lowest_confidence
    ]
    low_min = min((v for _, v in lowest), default=0.0)
    return (
        Chart("year-format", "Reports by year and format", year_format(stats.by_year_format)),
        Chart(
            "level",
            "Reports by office level",
            barh(stats.by_level, "reports"),
            "level derived from the office name (docs/html-reports.md)",
        ),
        Chart("ocr", "Pages read by OCR", ocr_share(stats.pages_by_year), f"{share} of all pages"),
        Chart(
            "checks",
            "Failed checks by table",
            checks_by_table(stats.checks_by_table),
            f"{t['checks_failed']:,} failed of {t['checks']:,} identities tested",
        ),
        Chart("errors", "Errors by class", barh(stats.errors_by_class, "errors", color="#d62728")),
        Chart(
            "slowest", f"The {len(slow)} slowest files", barh(slow, "seconds", color="#9467bd", fmt="{:.2f}")
        ),
        Chart(
            "confidence",
            "Lowest mean confidence of figures",
            barh(
                lowest, "mean confidence", color="#ff7f0e", fmt="{:.3f}", xlim=(max(0.0, low_min - 0.05), 1.0)
            ),
            "reports with a figure below 1.0: OCR readings, or figures in failed checks (× 0.75)",
        ),
    )


def build_run_report(dataset: Path, out: Path | None = None) -> RunReport:
    """The report's content; links to review pages are made relative to `out` (default: the
    report inside the dataset, `DATASET/_report.html`)."""
    stats = compute(dataset)
    return RunReport(
        str(dataset),
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stats,
        build_charts(stats),
        report_list(dataset),
        reviews_href(dataset, out or dataset / DEFAULT_NAME),
    )


def render_run_report(report: RunReport) -> str:
    charts = [(c, trusted(c.svg) if c.svg else None) for c in report.charts]
    return render(
        "runreport.html.j2",
        r=report,
        s=report.stats,
        t=report.stats.totals,
        charts=charts,
        version=VERSION,
        short=label,
    )


def write_run_report(dataset: Path, out: Path) -> Path:
    """Write the run report of the dataset at `dataset` to `out`; return `out`. Raises OSError
    when `out` cannot be written (`save_run_report` tells it as a value)."""
    html = render_run_report(build_run_report(dataset, out))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, html.encode("utf-8"))  # its temporary file never through a planted link
    return out


def save_run_report(dataset: Path, out: Path) -> Path | Unwritable:
    """`write_run_report`, with a file that cannot be written told as a value (the command line)."""
    try:
        return write_run_report(dataset, out)
    except OSError as exc:
        return Unwritable(out, reason_of(exc))
