"""Reading a table grid as labelled values: which cells are headers, labels and values.

A row whose own cells hold a number (or a blank / '/' / '-' under a value column) is a data row;
runs of other rows are header blocks, and a block holds for the data rows below it until the next
block (表二 prints a new header per 第二十条 item). A value's column label is the path of header
cells above it; its row label is the path of label cells to its left (merged cells resolved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.core.model import Cell, Table
from pipeline.core.numbers import UNITS, is_blank, is_value_text
from pipeline.core.text import squash

UNIT_HEADERS = {"计量单位", "单位"}
_ITEM = re.compile(r"(?<!\d)(\d{1,2})\s*[.、．]?\s*(?=[\u4e00-\u9fff])")  # 2.其他法律… / 3 危及…


@dataclass(frozen=True)
class LabelledValue:
    row_path: tuple[str, ...]
    col_path: tuple[str, ...]
    cell: Cell
    unit_text: str | None  # from a 计量单位 column, if the table has one


def _own_cells(table: Table) -> dict[int, list[Cell]]:
    rows: dict[int, list[Cell]] = {r: [] for r in range(table.n_rows)}
    for c in table.cells:
        rows[c.row].append(c)
    for cells in rows.values():
        cells.sort(key=lambda c: c.col)
    return rows


def _first_value_col(table: Table, own: dict[int, list[Cell]]) -> int | None:
    """The leftmost column whose printed cells, in rows that hold numbers, are mostly numbers.

    By majority, so that one label misread as a number (OCR of a vertical 三、本年度办理结果)
    does not turn the label columns into value columns.
    """
    counts: dict[int, list[int]] = {}  # column → [numbers, printed cells]
    for cells in own.values():
        if not any(is_value_text(c.text) for c in cells):
            continue
        for c in cells:
            if not is_blank(c.text):
                tally = counts.setdefault(c.col, [0, 0])
                tally[0] += is_value_text(c.text)
                tally[1] += 1
    value_cols = [col for col, (numbers, printed) in counts.items() if numbers and 2 * numbers >= printed]
    return min(value_cols) if value_cols else None


def _is_data_row(cells: list[Cell], first_value_col: int, below_header: bool) -> bool:
    values = [c for c in cells if c.col >= first_value_col]
    if any(is_value_text(c.text) for c in values):
        return True
    # with a label of its own to the left: a row of blanks under the value columns, or, below
    # a header, one whose figures OCR could not read (`raw_ocr`: 5 read 'D') — its label one row
    # high, as a row's own is (a header's corner cell stands over all the header rows; a 统计表's
    # first row, 指标名称 | 2012 年 | 历年累计, is its header however it was read)
    labels = [c for c in cells if c.col < first_value_col and not is_blank(c.text)]
    if not labels or not values:
        return False
    if any(c.raw_ocr is not None for c in values):
        return below_header and any(c.row_span == 1 for c in labels)
    return all(is_blank(c.text) for c in values)


def _path(cells: list[Cell | None]) -> tuple[str, ...]:
    out: list[str] = []
    seen: set[int] = set()
    for c in cells:
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        if not is_blank(c.text):
            out.append(c.text)
    return tuple(out)


def read_grid(table: Table) -> list[LabelledValue]:
    own = _own_cells(table)
    first = _first_value_col(table, own)
    if first is None:
        return []
    data_rows = [r for r in range(table.n_rows) if _is_data_row(own[r], first, r > 0)]
    header: list[int] = []
    values: list[LabelledValue] = []
    previous = -1
    for r in data_rows:
        block = [h for h in range(previous + 1, r)]
        if block:
            header = block
        previous = r
        label_cells = [_own_item(table.cell_at(r, c), r, data_rows) for c in range(first)]
        unit_cols = {c for c in range(first) if _is_unit_column(table, header, c, data_rows)}
        row_path = _path([cell for c, cell in enumerate(label_cells) if c not in unit_cols])
        unit_text = next((cell.text for c, cell in enumerate(label_cells) if c in unit_cols and cell), None)
        for cell in own[r]:
            if cell.col < first:
                continue
            col_path = _path([table.cell_at(h, cell.col) for h in header])
            values.append(LabelledValue(row_path, col_path, cell, unit_text))
    return values


def _is_unit_column(table: Table, header: list[int], col: int, data_rows: list[int]) -> bool:
    """A 计量单位 column: by its header, or (header garbled by OCR) by cells that are units."""
    if any((cell := table.cell_at(h, col)) is not None and squash(cell.text) in UNIT_HEADERS for h in header):
        return True
    texts = [
        squash(cell.text) for r in data_rows if (cell := table.cell_at(r, col)) is not None and cell.text
    ]
    return len(texts) >= 3 and sum(t in UNITS for t in texts) >= 0.8 * len(texts)


def _own_item(cell: Cell | None, row: int, data_rows: list[int]) -> Cell | None:
    """A label cell over k data rows that holds k numbered items in turn (2.… 3.…) is k labels:
    the rule between their rows was lost (a streak on a copy), the rows' figures were not. The
    item of `row` stands for it; any other cell is itself."""
    if cell is None or cell.row_span < 2:
        return cell
    spanned = [d for d in data_rows if cell.row <= d < cell.row + cell.row_span]
    text = cell.text.strip()
    starts = list(_ITEM.finditer(text))
    numbers = [int(m.group(1)) for m in starts]
    if (
        len(spanned) < 2
        or row not in spanned
        or len(starts) != len(spanned)
        or starts[0].start() != 0
        or numbers != list(range(numbers[0], numbers[0] + len(numbers)))
    ):
        return cell
    k = spanned.index(row)
    end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
    return replace(cell, row=row, row_span=1, text=text[starts[k].start() : end].strip())
