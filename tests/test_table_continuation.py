"""A part of a statistics table carried over a page break and not joined to it (on a scan, its
rules not straight enough across the break) continues the table before it when it is too short
to be told by its own labels."""

from __future__ import annotations

from pipeline.core.model import BBox, Cell, Table
from pipeline.facts.tables import tables_to_facts

T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _table(rows: list[list[str]], page: int) -> Table:
    """A grid of one-cell texts, each 40 × 20 pt, on `page`."""
    cells = tuple(
        Cell(r, c, 1, 1, text, BBox(50.0 + 40 * c, 100.0 + 20 * r, 90.0 + 40 * c, 120.0 + 20 * r), page)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )
    box = BBox(50.0, 100.0, 50.0 + 40 * len(rows[0]), 100.0 + 20 * len(rows))
    return Table(len(rows), len(rows[0]), cells, (page,), box)


BEFORE = _table(
    [
        ["", "申请人情况", *[""] * 6],
        ["", *T3_COLUMNS],
        ["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6"],
        ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
    ],
    page=2,
)
CARRIED = [
    ["(七)总计", "117", "26", "0", "0", "0", "0", "143"],
    ["四、结转下年度继续办理", "0", "2", "0", "0", "0", "0", "2"],
]


def _rows(facts: list, table: str = "t3") -> dict[str, float]:
    return {f"{f.row}:{f.col}": f.value for f in facts if f.table == table}


def test_a_part_carried_over_continues_the_table_before_it() -> None:
    facts, kinds = tables_to_facts((BEFORE, _table(CARRIED, page=3)), {2: "ocr", 3: "ocr"})
    assert kinds == ["t3", "t3"]
    rows = _rows(facts)
    assert rows["total_processed:total"] == 143 and rows["carried_forward:commercial"] == 2


def test_a_short_table_two_pages_on_or_of_other_figures_continues_nothing() -> None:
    later = _table(CARRIED, page=4)  # a page between: no carried-over part
    fewer = _table([row[:5] for row in CARRIED], page=3)  # other columns of figures
    other = _table(
        [["合计", "3", "4", "5", "6", "7", "8", "9"], ["平均", *["1"] * 7]], page=3
    )  # no 表三 labels
    for table in (later, fewer, other):
        _, kinds = tables_to_facts((BEFORE, table), {2: "ocr", 3: "ocr", 4: "ocr"})
        assert kinds == ["t3", ""]
