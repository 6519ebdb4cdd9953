"""The review page of one report: its pages with every figure boxed, and its tables as printed.

    dataset rows + page images ──build_review──▶ ReviewPage ──render_review──▶ one HTML file

One self-contained file: page images are data URIs, styles and the small script are inline,
nothing is fetched. Boxes are placed in percent of the page (facts' boxes are PDF points from the
top-left corner), coloured by `cellstatus`; hovering shows a figure's key, printed value, method
and confidence, clicking one selects it on the page and in the table at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.core.config import VERSION
from pipeline.store.dataset import DatasetError, ReportRows, find_report, locate_pdf, report_rows
from pipeline.store.files import Unwritable, reason_of, write_atomically
from pipeline.views.cellstatus import CellStatus, statuses
from pipeline.views.pageimages import ImageOptions, PageImage, RenderLimits, render_pages
from pipeline.views.printed import HtmlCell, Printed, html_rows, printed_tables
from pipeline.views.templating import render


@dataclass(frozen=True)
class Figure:
    """One fact as the page shows it."""

    index: int
    table: str
    key: str  # `row:col`, or the printed labels when they match no canonical key
    row_label: str
    col_label: str
    raw: str
    value: float | None
    unit: str | None
    page: int | None
    method: str
    confidence: float | None
    status: str
    failed_checks: tuple[str, ...]
    box: tuple[float, float, float, float] | None  # left, top, width, height in % of the page
    source_text: str | None

    @property
    def tooltip(self) -> str:
        confidence = "?" if self.confidence is None else f"{self.confidence:.2f}"
        lines = [
            f"{self.table} {self.key}",
            f"printed: {self.raw!r}" + (f" ({self.unit})" if self.unit else ""),
            f"method: {self.method}, confidence {confidence}",
            f"status: {self.status}",
        ]
        lines += [f"failed: {c}" for c in self.failed_checks]
        return "\n".join(lines)

    def detail(self) -> dict[str, Any]:
        """What the click panel shows (passed to the script as JSON)."""
        return {
            "table": self.table,
            "key": self.key,
            "row_label": self.row_label,
            "col_label": self.col_label,
            "raw": self.raw,
            "value": self.value,
            "unit": self.unit,
            "page": self.page,
            "method": self.method,
            "confidence": self.confidence,
            "status": self.status,
            "failed_checks": list(self.failed_checks),
        }


@dataclass(frozen=True)
class PageView:
    image: PageImage
    method: str
    ocr_reason: str | None
    ocr_confidence: float | None
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class FailedCheck:
    table: str
    check: str
    expected: float | None
    actual: float | None
    cells: tuple[str, ...]
    figures: tuple[int, ...]  # indexes of the figures involved


@dataclass(frozen=True)
class TableView:
    printed: Printed
    rows: list[list[HtmlCell]]


@dataclass(frozen=True)
class ReviewPage:
    report: dict[str, Any]
    figures: tuple[Figure, ...]
    pages: tuple[PageView, ...]
    tables: tuple[TableView, ...]
    prose: tuple[Figure, ...]
    failed_checks: tuple[FailedCheck, ...]
    checks_total: int
    sections: tuple[dict[str, Any], ...]
    errors: tuple[dict[str, Any], ...]
    generated: str


def _box(fact: Mapping[str, Any], sizes: Mapping[int, tuple[float, float]]) -> tuple[float, ...] | None:
    page, x0, top, x1, bottom = (fact[k] for k in ("page", "x0", "top", "x1", "bottom"))
    if page not in sizes or None in (x0, top, x1, bottom):
        return None
    width, height = sizes[page]
    return (100 * x0 / width, 100 * top / height, 100 * (x1 - x0) / width, 100 * (bottom - top) / height)


def _figure(
    i: int, fact: Mapping[str, Any], status: CellStatus, sizes: Mapping[int, tuple[float, float]]
) -> Figure:
    if fact["row"] is None:
        key = "(no canonical key)"
    else:
        key = f"{fact['row']}:{fact['col']}" if fact["col"] is not None else fact["row"]
    box = _box(fact, sizes)
    return Figure(
        i,
        fact["table"],
        key,
        fact["row_label"] or "",
        fact["col_label"] or "",
        fact["raw"] or "",
        fact["value"],
        fact["unit"],
        fact["page"],
        fact["method"] or "?",
        fact["confidence"],
        status.status,
        status.failed_checks,
        (box[0], box[1], box[2], box[3]) if box else None,
        fact.get("source_text"),
    )


def _failed_checks(checks: Sequence[Mapping[str, Any]], figures: Sequence[Figure]) -> tuple[FailedCheck, ...]:
    out = []
    for check in checks:
        if check["passed"]:
            continue
        cells = tuple(check.get("cells") or ())
        involved = tuple(f.index for f in figures if check["check"] in f.failed_checks)
        out.append(
            FailedCheck(check["table"], check["check"], check["expected"], check["actual"], cells, involved)
        )
    return tuple(out)


def build_review(rows: ReportRows, images: Sequence[PageImage]) -> ReviewPage:
    """Everything the review page shows, from one report's rows and its page images."""
    facts = rows.facts.to_pylist()
    checks = rows.checks.to_pylist()
    sizes = {img.page: (img.width, img.height) for img in images}
    figures = tuple(
        _figure(i, f, s, sizes) for i, (f, s) in enumerate(zip(facts, statuses(facts, checks), strict=True))
    )
    page_rows = {p["page"]: p for p in rows.pages.to_pylist()}
    pages = tuple(
        PageView(
            img,
            page_rows.get(img.page, {}).get("method") or "?",
            page_rows.get(img.page, {}).get("ocr_reason"),
            page_rows.get(img.page, {}).get("ocr_confidence"),
            tuple(f for f in figures if f.page == img.page and f.box is not None),
        )
        for img in images
    )
    tables = tuple(TableView(t, html_rows(t)) for t in printed_tables(facts))
    return ReviewPage(
        report=rows.report,
        figures=figures,
        pages=pages,
        tables=tables,
        prose=tuple(f for f in figures if f.table == "prose"),
        failed_checks=_failed_checks(checks, figures),
        checks_total=len(checks),
        sections=tuple(
            rows.sections.select(["ordinal", "level", "heading", "kind", "page_start"]).to_pylist()
        ),
        errors=tuple(rows.errors.select(["stage", "error", "message", "page"]).to_pylist()),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def render_review(view: ReviewPage) -> str:
    return render(
        "review.html.j2",
        v=view,
        version=VERSION,
        details=[f.detail() for f in view.figures],
    )


REVIEWS = "_reviews"  # beside the data: a name starting with `_` is skipped by every Parquet reader


def review_path(dataset: Path, report_id: str) -> Path:
    """Where a report's review page lives by default, and where the run report links to."""
    return dataset / REVIEWS / f"{report_id}.html"


def write_review(
    dataset: Path,
    key: str,
    out: Path | None,
    src: Path | None = None,
    options: ImageOptions | None = None,
    password: str | None = None,
    limits: RenderLimits = RenderLimits(),
) -> Path | DatasetError:
    """Find the report `key` names and its PDF, and write its review page to `out` (None: where
    the run report links to, `review_path`). The PDF's pages are drawn in a worker under
    ingest's limits (pageimages.py)."""
    ref = find_report(dataset, key)
    if isinstance(ref, DatasetError):
        return ref
    located = locate_pdf(dataset, ref, src)
    if isinstance(located, DatasetError):
        return located
    assert located.pdf is not None
    rows = report_rows(dataset, located.report_id)
    turned = {p["page"]: p["rotation"] for p in rows.pages.to_pylist() if p.get("rotation")}
    images = render_pages(located.pdf, options, password, limits, turned)
    if isinstance(images, DatasetError):
        return images
    html = render_review(build_review(rows, images))
    out = out or review_path(dataset, located.report_id)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, html.encode("utf-8"))
    except OSError as exc:
        return DatasetError("cannot_write", Unwritable(out, reason_of(exc)).message)
    return out
