"""The run report's charts: matplotlib figures rendered to inline SVG (no JavaScript, no network).

Why matplotlib: it is the most widely used and longest-maintained Python plotting library, it
renders static SVG that needs nothing in the browser (Plotly or Bokeh would inline ~1–3 MB of
JavaScript into every report, Vega-Lite needs its runtime), and its object API (`Figure`, no
pyplot) keeps no global state. Text stays text in the SVG (`svg.fonttype: none`), so Chinese file
names are drawn by the browser's fonts and the charts stay small (~4–30 KB each).
Labels from the data are untrusted: `$` is escaped (matplotlib would parse it as math), and the
SVG writer escapes `<`, `>` and `&`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pipeline.core.printable import printable

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
FORMAT_COLORS = {"2008": "#8c564b", "2019": "#1f77b4", "2021": "#2ca02c", "unknown": "#7f7f7f"}
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN")


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str | None  # None: nothing to draw (the page says so)
    note: str = ""


def _families() -> list[str]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(f for f in CJK_FAMILIES if f in installed)]


def _style() -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "govreport",
        "font.family": _families(),
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
    }


@contextmanager
def _drawing() -> Iterator[None]:
    """The charts' style, with matplotlib's font-weight notices silenced, for one chart only.

    The CJK fonts installed (WenQuanYi 500, AR PL UMing 300) have no weight 400: matplotlib would
    log a notice for each, although the browser, not matplotlib, draws the text.
    """
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(_style()):  # type: ignore[arg-type]
            yield
    finally:
        logger.setLevel(level)


def label(text: object, width: int = 38) -> str:
    """A data label safe for matplotlib: no math mode, no control character (a file name's are
    shown escaped), shortened from the left (file names end informatively)."""
    s = printable(text)
    if len(s) > width:
        s = "…" + s[-(width - 1) :]
    return s.replace("$", r"\$")


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=96, layout="constrained")


def year_format(by_year_format: Mapping[str, Mapping[str, int]]) -> str | None:
    if not by_year_format:
        return None
    years = list(by_year_format)
    formats = sorted({f for cell in by_year_format.values() for f in cell})
    with _drawing():
        fig = _figure(max(4.5, 0.28 * len(years) + 2), 2.8)
        ax = fig.add_subplot()
        bottom = [0] * len(years)
        for i, fmt in enumerate(formats):
            counts = [by_year_format[y].get(fmt, 0) for y in years]
            color = FORMAT_COLORS.get(fmt, COLORS[i % len(COLORS)])
            ax.bar(years, counts, bottom=bottom, label=label(fmt), color=color)
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        ax.set_ylabel("reports")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(title="format", fontsize=8, frameon=False)
        ax.tick_params(axis="x", labelrotation=90 if len(years) > 8 else 0)
        return _svg(fig)


def barh(
    values: Mapping[str, float] | Sequence[tuple[str, float]],
    xlabel: str,
    color: str = COLORS[0],
    fmt: str = "{:,.0f}",
    xlim: tuple[float, float] | None = None,
) -> str | None:
    """Horizontal bars, first item on top, each bar labelled with its value."""
    items = list(values.items()) if isinstance(values, Mapping) else list(values)
    if not items:
        return None
    with _drawing():
        fig = _figure(6.2, 0.8 + 0.24 * len(items))
        ax = fig.add_subplot()
        names = [label(k) for k, _ in items][::-1]
        numbers = [v for _, v in items][::-1]
        bars = ax.barh(range(len(items)), numbers, color=color)
        ax.set_yticks(range(len(items)), names)
        ax.bar_label(bars, labels=[fmt.format(v) for v in numbers], padding=2, fontsize=8)
        ax.set_xlabel(xlabel)
        if fmt == "{:,.0f}":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if xlim:
            ax.set_xlim(*xlim)
        ax.margins(x=0.12)
        return _svg(fig)


def ocr_share(pages_by_year: Mapping[str, tuple[int, int]]) -> str | None:
    if not pages_by_year:
        return None
    years = list(pages_by_year)
    text = [pages_by_year[y][0] for y in years]
    ocr = [pages_by_year[y][1] for y in years]
    with _drawing():
        fig = _figure(max(4.5, 0.28 * len(years) + 2), 2.8)
        ax = fig.add_subplot()
        ax.bar(years, text, label="text layer", color=COLORS[0])
        bars = ax.bar(years, ocr, bottom=text, label="OCR", color=COLORS[1])
        shares = [f"{o / (t + o):.0%}" if o else "" for t, o in zip(text, ocr, strict=True)]
        ax.bar_label(bars, labels=shares, padding=1, fontsize=7)
        ax.set_ylabel("pages")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, frameon=False)
        ax.tick_params(axis="x", labelrotation=90 if len(years) > 8 else 0)
        return _svg(fig)


def checks_by_table(checks: Mapping[str, tuple[int, int]]) -> str | None:
    if not checks:
        return None
    tables = list(checks)
    with _drawing():
        fig = _figure(4.5, 2.6)
        ax = fig.add_subplot()
        failed = [checks[t][0] for t in tables]
        bars = ax.bar([label(t) for t in tables], failed, color="#d62728")
        ax.bar_label(
            bars,
            labels=[f"{f:,} of {checks[t][1]:,}" for f, t in zip(failed, tables, strict=True)],
            padding=2,
            fontsize=8,
        )
        ax.set_ylabel("failed checks")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.2)
        return _svg(fig)
