"""Table layouts as grids of (possibly merged) cells: 表二, 表三, 表四 and the pre-2019 统计表."""

from __future__ import annotations

import random
from dataclasses import dataclass

from samplegen.labels import G3, PARTIAL, T3_COLS, T4_LEAVES, LabelStyle, T2Section, printed_leaf, t2_heading

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"  # center | left
    bold: bool = False
    shade: bool = False


@dataclass(frozen=True)
class Grid:
    name: str  # t2 | t3 | t4 | 统计表
    widths: tuple[float, ...]  # relative column widths
    n_rows: int
    cells: tuple[GridCell, ...]
    header_rows: int  # rows repeated on a continuation page when repeat_header
    font_size: float
    width_frac: float  # share of the text width the table takes
    repeat_header: bool = False
    row_cut: bool = False  # a multi-line row may be cut across a page break
    label_repeat: bool = False  # a merged label split by a page break is printed again on the next page
    # a page break forced before this row, the rows above it ending at the foot of a page (injected losses)
    break_before: int | None = None
    rules: str = "grid"  # grid (every cell ruled) | three_line (top, under the header, bottom) | none


@dataclass(frozen=True)
class TableLook:
    """Per-report table style."""

    font_size: float
    repeat_header: bool
    row_cut: bool
    label_repeat: bool
    shade_headings: bool
    bold_labels: bool


def draw_table_look(rng: random.Random) -> TableLook:
    return TableLook(
        font_size=rng.choice((9.0, 9.5, 10.0, 10.5, 11.0)),
        repeat_header=rng.random() < 0.35,
        row_cut=rng.random() < 0.4,
        label_repeat=rng.random() < 0.3,
        shade_headings=rng.random() < 0.4,
        bold_labels=rng.random() < 0.3,
    )


def _jitter(rng: random.Random, base: tuple[float, ...], amount: float = 0.15) -> tuple[float, ...]:
    return tuple(round(w * rng.uniform(1 - amount, 1 + amount), 3) for w in base)


def t3_grid(
    rng: random.Random,
    paths: tuple[tuple[str, ...], ...],
    values: tuple[tuple[str, ...], ...],
    style: LabelStyle,
    look: TableLook,
) -> Grid:
    """表三 with the vertical group label, sub-group labels and the 2-level applicant header."""
    cells: list[GridCell] = [
        GridCell(0, 0, T3_CORNER if style.t3_note_text else "", rowspan=3, colspan=3, align="left"),
        GridCell(0, 3, "申请人情况", colspan=7),
        GridCell(1, 3, "自然人", rowspan=2),
        GridCell(1, 4, "法人或其他组织", colspan=5),
        GridCell(1, 9, "总计" if not style.spaced_total else "总 计", rowspan=2),
        *(GridCell(2, 4 + i, col[-1]) for i, col in enumerate(T3_COLS[1:6])),
    ]
    top = 3
    g3_rows = [i for i, p in enumerate(paths) if p[0] == G3]
    cells.append(GridCell(top + g3_rows[0], 0, G3, rowspan=len(g3_rows), bold=look.bold_labels))
    done_groups: set[str] = set()
    for i, path in enumerate(paths):
        r = top + i
        leaf = printed_leaf(rng, path[-1], style)
        if leaf == PARTIAL and rng.random() < 0.3:
            leaf = "（二）部分公开（区分处理的，只计这一情形，\n不计其他情形）"
        if len(path) == 1:
            cells.append(GridCell(r, 0, leaf, colspan=3, align="left", bold=look.bold_labels))
        elif len(path) == 2:
            cells.append(GridCell(r, 1, leaf, colspan=2, align="left"))
        else:
            group = path[1]
            if group not in done_groups:
                span = sum(1 for p in paths if len(p) == 3 and p[1] == group)
                cells.append(GridCell(r, 1, group, rowspan=span))
                done_groups.add(group)
            cells.append(GridCell(r, 2, leaf, align="left"))
        cells.extend(GridCell(r, 3 + c, v) for c, v in enumerate(values[i]))
    label_w = rng.uniform(0.20, 0.30)
    widths = (rng.uniform(0.04, 0.06), rng.uniform(0.07, 0.11), label_w, *_jitter(rng, (0.075,) * 7, 0.2))
    return Grid(
        "t3",
        widths,
        top + len(paths),
        tuple(cells),
        header_rows=3,
        font_size=look.font_size - 1,
        width_frac=rng.uniform(0.92, 1.0),
        repeat_header=look.repeat_header,
        row_cut=look.row_cut,
        label_repeat=look.label_repeat,
    )


def t4_grid(
    rng: random.Random, values: tuple[tuple[str, ...], ...], style: LabelStyle, look: TableLook
) -> Grid:
    """表四: 行政复议 | 行政诉讼 {未经复议直接起诉, 复议后起诉}, one data row."""
    broken = rng.random() < 0.4

    def leaf(text: str) -> str:
        if text == "总计":
            return "总 计" if style.spaced_total else text
        return text[:2] + "\n" + text[2:] if broken else text

    cells = [
        GridCell(0, 0, "行政复议", colspan=5),
        GridCell(0, 5, "行政诉讼", colspan=10),
        *(GridCell(1, i, leaf(t), rowspan=2) for i, t in enumerate(T4_LEAVES)),
        GridCell(1, 5, "未经复议直接起诉", colspan=5),
        GridCell(1, 10, "复议后起诉", colspan=5),
        *(GridCell(2, 5 + i, leaf(t)) for i, t in enumerate(T4_LEAVES * 2)),
        *(GridCell(3, g * 5 + i, v) for g, row in enumerate(values) for i, v in enumerate(row)),
    ]
    widths = _jitter(rng, (1.0,) * 15, 0.1)
    return Grid(
        "t4",
        widths,
        4,
        tuple(cells),
        header_rows=3,
        font_size=look.font_size - 0.5,
        width_frac=rng.uniform(0.92, 1.0),
    )


def t2_grid(
    rng: random.Random,
    sections: tuple[T2Section, ...],
    values: dict[tuple[str, str, str], str],
    style: LabelStyle,
    look: TableLook,
) -> Grid:
    """表二: one 4-column grid with a heading row, a header row and data rows per 第二十条 item."""
    cells: list[GridCell] = []
    r = 0
    align = rng.choice(("left", "center"))
    for sec in sections:
        cells.append(
            GridCell(r, 0, t2_heading(sec, style), colspan=4, align=align, shade=look.shade_headings)
        )
        r += 1
        cells.append(GridCell(r, 0, "信息内容", bold=look.bold_labels))
        spans = _spans(len(sec.cols))
        col = 1
        for text, span in zip(sec.cols, spans, strict=True):
            cells.append(GridCell(r, col, text, colspan=span, bold=look.bold_labels))
            col += span
        r += 1
        for row in sec.rows:
            cells.append(GridCell(r, 0, row, align="left"))
            col = 1
            for c, span in zip(sec.cols, spans, strict=True):
                cells.append(GridCell(r, col, values[(sec.item, row, c)], colspan=span))
                col += span
            r += 1
    widths = (rng.uniform(0.28, 0.4), *_jitter(rng, (0.22, 0.22, 0.22)))
    return Grid(
        "t2",
        widths,
        r,
        tuple(cells),
        header_rows=0,
        font_size=look.font_size,
        width_frac=rng.uniform(0.85, 1.0),
        row_cut=False,
    )


def _spans(n: int) -> tuple[int, ...]:
    return {1: (3,), 2: (1, 2), 3: (1, 1, 1)}[n]


def appendix_grid(
    rng: random.Random, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], look: TableLook
) -> Grid:
    """The pre-2019 统计表: 指标名称 | 计量单位 | 本年度 | 历年累计."""
    cells = [GridCell(0, c, h, bold=look.bold_labels) for c, h in enumerate(header)]
    for r, row in enumerate(rows, start=1):
        cells.extend(GridCell(r, c, v, align="left" if c == 0 else "center") for c, v in enumerate(row))
    base = (0.42, 0.14, 0.18, 0.18)[: len(header)]
    return Grid(
        "统计表",
        _jitter(rng, base),
        len(rows) + 1,
        tuple(cells),
        header_rows=1,
        font_size=look.font_size,
        width_frac=rng.uniform(0.6, 0.9),
        repeat_header=look.repeat_header,
    )
