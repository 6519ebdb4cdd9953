"""A report's extracted tables laid out as printed: rows × columns by their printed labels.

`facts.row_label` / `col_label` keep the printed label path (parents joined by ` / `), so the
printed header structure comes back from the labels alone: labels sharing a parent are merged
under one spanning header cell, and a label with no children spans the remaining header levels.
Rows and columns keep the order in which the facts were read (reading order of the grid).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.knowledge.load import knowledge

SEP = " / "
GRID_TABLES = ("t2", "t3", "t4", "legacy")
PROSE_TITLE = "正文中的数字"


def title(table: str) -> str:
    if table == "prose":
        return PROSE_TITLE
    kind = knowledge().tables.get(table)
    return kind.title if kind else table


@dataclass(frozen=True)
class Printed:
    """One table: its printed row and column labels, and which fact sits in each cell."""

    table: str
    title: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]  # [row][col] → index into the report's facts


@dataclass(frozen=True)
class Span:
    """A header cell: its label, where it starts and how far it reaches along and across."""

    text: str
    start: int  # first row (row headers) or column (column headers) it covers
    level: int  # header level, 0 = outermost
    extent: int  # rows or columns covered
    depth: int  # header levels covered (a label without children reaches the innermost level)


@dataclass(frozen=True)
class HtmlCell:
    text: str
    header: bool
    rowspan: int = 1
    colspan: int = 1
    fact: int | None = None


def _path(label: str) -> list[str]:
    return label.split(SEP) if label else [""]


def spans(labels: Sequence[str]) -> list[Span]:
    """The merged header cells of a header made of `labels` (label paths), outermost level first."""
    paths = [_path(label) for label in labels]
    depth = max((len(p) for p in paths), default=1)
    out: list[Span] = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            if len(path) == level + 1:
                out.append(Span(path[level], i, level, 1, depth - level))
                i += 1
                continue
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                j += 1
            out.append(Span(path[level], i, level, j - i, 1))
            i = j
    return out


def layout(table: str, facts: Sequence[Mapping[str, Any]]) -> Printed:
    """Table `table` of a report's facts; a label pair printed twice opens a new row."""
    rows: list[str] = []
    cols: list[str] = []
    col_index: dict[str, int] = {}
    row_index: dict[str, int] = {}
    grid: dict[tuple[int, int], int] = {}
    for i, fact in enumerate(facts):
        if fact["table"] != table:
            continue
        row_label, col_label = fact["row_label"] or "", fact["col_label"] or ""
        c = col_index.setdefault(col_label, len(cols))
        if c == len(cols):
            cols.append(col_label)
        r = row_index.get(row_label)
        if r is None or (r, c) in grid:
            r = row_index[row_label] = len(rows)
            rows.append(row_label)
        grid[(r, c)] = i
    cells = tuple(tuple(grid.get((r, c)) for c in range(len(cols))) for r in range(len(rows)))
    return Printed(table, title(table), tuple(rows), tuple(cols), cells)


def printed_tables(facts: Sequence[Mapping[str, Any]]) -> list[Printed]:
    """Every grid table of a report that has facts, in the order 表二, 表三, 表四, 统计表."""
    present = {f["table"] for f in facts}
    return [layout(t, facts) for t in GRID_TABLES if t in present]


def html_rows(table: Printed) -> list[list[HtmlCell]]:
    """The table as HTML rows: column header rows, then body rows led by their row header cells."""
    col_spans = spans(table.cols)
    row_spans = spans(table.rows)
    col_depth = max((s.level + s.depth for s in col_spans), default=1)
    row_depth = max((s.level + s.depth for s in row_spans), default=1)
    out: list[list[HtmlCell]] = []
    for level in range(col_depth):
        line = [HtmlCell("", True, rowspan=col_depth, colspan=row_depth)] if level == 0 else []
        line += [
            HtmlCell(s.text, True, rowspan=s.depth, colspan=s.extent)
            for s in sorted(col_spans, key=lambda s: s.start)
            if s.level == level
        ]
        out.append(line)
    starts: dict[int, list[Span]] = {}
    for s in row_spans:
        starts.setdefault(s.start, []).append(s)
    for r, row in enumerate(table.cells):
        line = [
            HtmlCell(s.text, True, rowspan=s.extent, colspan=s.depth)
            for s in sorted(starts.get(r, []), key=lambda s: s.level)
        ]
        line += [HtmlCell("", False, fact=f) for f in row]
        out.append(line)
    return out


def short_label(label: str) -> tuple[int, str]:
    """(depth, innermost part) of a printed label path: for indented terminal output."""
    parts = _path(label)
    return len(parts) - 1, parts[-1]
