"""Grids from rules, and tables joined across a page break (built from synthetic rules and glyphs)."""

from __future__ import annotations

import pytest

from pipeline.core.config import SOUND_CONFIDENCE
from pipeline.core.model import BBox, Cell, Line, Method, Page, Table
from pipeline.facts.gridread import read_grid
from pipeline.facts.tables import figure_text, table_to_facts
from pipeline.layout.grid import Segment, close_open_ends, segments_to_edges, segments_to_tables, unnested
from pipeline.layout.join import join_tables
from pipeline.layout.lines import Glyph
from pipeline.layout.page import tables_in_order

COLS = [50.0, 150.0, 200.0, 250.0]  # a label column and two value columns


def _grid(
    rows: list[list[str]],
    top: float,
    page: int,
    close_top: bool = True,
    close_bottom: bool = True,
    starts: dict[int, float] | None = None,
    extra: tuple[Segment, ...] = (),
    gaps: dict[int, tuple[float, float]] | None = None,
) -> Table:
    """Draw a ruled grid of `rows` (one text per column) and read it back; the rule under row i
    starts at `starts[i]` if given (its left end lost), column rule j has a gap `gaps[j]` (from,
    to) if given, and `extra` rules are drawn too."""
    height = 20.0
    ys = [top + i * height for i in range(len(rows) + 1)]
    segments = []
    for j, x in enumerate(COLS):
        gap = (gaps or {}).get(j)
        pieces = [(ys[0], gap[0]), (gap[1], ys[-1])] if gap else [(ys[0], ys[-1])]
        segments += [Segment(x, a, x, b) for a, b in pieces]
    for i, y in enumerate(ys):
        if (i == 0 and not close_top) or (i == len(ys) - 1 and not close_bottom):
            continue
        segments.append(Segment((starts or {}).get(i, COLS[0]), y, COLS[-1], y))
    segments.extend(extra)
    glyphs = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x = COLS[c] + 4
            for ch in text:
                glyphs.append(Glyph(ch, BBox(x, ys[r] + 5, x + 9, ys[r] + 15), 10.0))
                x += 9
    tables = segments_to_tables(segments, glyphs, page)
    assert len(tables) == 1
    return tables[0]


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in table.row_cells(r)] for r in range(table.n_rows)]


def test_a_grid_reads_its_cells() -> None:
    table = _grid([["项目", "本年", "累计"], ["规章", "1", "0"]], 100, 1)
    assert _texts(table) == [["项目", "本年", "累计"], ["规章", "1", "0"]]


ROWS = [["项目", "本年", "累计"], ["规章", "1", "0"], ["规范性文件", "7", "9"]]


@pytest.mark.parametrize("start", [60.0, 90.0, 95.0])
def test_a_row_rule_missing_its_left_end_still_parts_the_rows(start: float) -> None:
    """A streak took the rule's end: the lattice alone would make one label cell of two rows."""
    assert _texts(_grid(ROWS, 100, 1, starts={2: start})) == ROWS


def test_a_rule_barely_inside_a_cell_does_not_cut_it() -> None:
    merged = _texts(_grid(ROWS, 100, 1, starts={2: 140.0}))
    assert merged[1][0] == "规章规范性文件"


@pytest.mark.parametrize(
    "extra",
    [
        (Segment(52, 137, 148, 137),),  # an underline inside the label cell
        (Segment(80, 124, 80, 137),),  # a short stroke of a toner patch
    ],
)
def test_marks_that_are_no_rules_of_the_table_cut_no_cell(extra: tuple[Segment, ...]) -> None:
    assert _texts(_grid(ROWS, 100, 1, extra=extra)) == ROWS


def test_an_open_bottom_keeps_its_last_row() -> None:
    table = _grid(
        [["项目", "本年", "累计"], ["规章", "1", "0"], ["规范性文件", "7", "9"]], 100, 1, close_bottom=False
    )
    assert _texts(table)[-1] == ["规范性文件", "7", "9"]


@pytest.mark.parametrize(("through", "added"), [(True, 0), (False, 1)])
def test_rules_ending_at_one_height_close_a_table_only_where_none_runs_on(through: bool, added: int) -> None:
    """Column rules that end at one height with no rule there: a page break (the table ends,
    a closing rule is added), or a copier's drop-out streak that broke two of them in the middle
    of a row while the others run on through it (no rule: one cut a photocopied 表三's row in
    two, and lost its figures)."""
    bottom = 160.0 if through else 126.0
    segments = [Segment(50, 100, 250, 100), Segment(50, 120, 250, 120)]
    segments += [Segment(x, 100, x, 126.0 if x in (150.0, 250.0) else bottom) for x in COLS]
    closing = close_open_ends(segments_to_edges(segments))
    assert [(e["top"], e["x0"], e["x1"]) for e in closing if 110 < e["top"] < 150] == [
        (126.0, 50.0, 250.0)
    ] * added


def test_a_row_cut_by_the_page_break_is_glued_back() -> None:
    a = _grid([["项目", "本年", "累计"], ["1.属于国家", "2", "3"]], 600, 1)
    b = _grid([["秘密", "", ""], ["2.重复申请", "4", "5"]], 80, 2)
    (joined,) = join_tables([(a, False, True), (b, True, False)])
    assert _texts(joined) == [
        ["项目", "本年", "累计"],
        ["1.属于国家秘密", "2", "3"],
        ["2.重复申请", "4", "5"],
    ]
    assert joined.pages == (1, 2)


@pytest.mark.parametrize(
    ("repeated", "dropped"),
    [
        (["申请人情况", "本年", "累计"], True),
        # a photocopy's OCR read the repeated header a character differently (27 cells went unkeyed)
        (["惠请人情况", "本年", "累计"], True),
        (["申请人情况", "本年", "暴计"], True),
        (["申请人情况", "1", "2"], False),  # a row with figures is the body's, however it is labelled
    ],
)
def test_a_repeated_header_is_dropped_even_when_read_differently(repeated: list[str], dropped: bool) -> None:
    a = _grid([["申请人情况", "本年", "累计"], ["规章", "1", "0"]], 600, 1)
    b = _grid([repeated, ["规范性文件", "7", "9"]], 80, 2)
    (joined,) = join_tables([(a, False, True), (b, True, False)])
    kept = [] if dropped else [repeated]
    assert _texts(joined) == [
        ["申请人情况", "本年", "累计"],
        ["规章", "1", "0"],
        *kept,
        ["规范性文件", "7", "9"],
    ]


def test_tables_apart_are_not_joined() -> None:
    a = _grid([["项目", "本年", "累计"], ["规章", "1", "0"]], 600, 1)
    b = _grid([["项目", "本年", "累计"], ["规章", "1", "0"]], 300, 2)
    # b does not start its page (text above it), so it is a table of its own
    assert len(join_tables([(a, False, True), (b, False, False)])) == 2


@pytest.mark.parametrize(("after", "joined"), [("(CD", True), ("第二段正文", False), ("2 件", False)])
def test_specks_read_under_a_table_do_not_end_it(after: str, joined: bool) -> None:
    """A folio in a toner patch read '(CD' under 表三 kept it from its continuation on the next
    page (a fresh photocopy: 28 cells); a line of words or figures there does end it."""
    a = _grid([["项目", "本年", "累计"], ["规章", "1", "0"]], 600, 1)
    b = _grid([["规范性文件", "7", "9"]], 80, 2)
    line = Line(after, BBox(280.0, 800.0, 320.0, 810.0), 10.0, ())
    pages = [
        Page(1, 595.0, 842.0, (line,), (a,), "ocr", 10, "no_text_layer"),
        Page(2, 595.0, 842.0, (), (b,), "ocr", 10, "no_text_layer"),
    ]
    assert len(tables_in_order(pages)) == (1 if joined else 2)


def test_a_sliver_of_rules_inside_a_table_is_no_table() -> None:
    ys = [100.0, 120.0, 140.0]
    segments = [Segment(x, ys[0], x, ys[-1]) for x in COLS] + [Segment(COLS[0], y, COLS[-1], y) for y in ys]
    # a fragment of rules in a cell, as a scan's broken rule leaves one: two cells 5 pt tall
    segments += [Segment(60.0, 124.0, 90.0, 124.0), Segment(60.0, 129.0, 90.0, 129.0)]
    segments += [Segment(x, 124.0, x, 129.0) for x in (60.0, 75.0, 90.0)]
    glyphs = [Glyph("1", BBox(154.0, 105.0, 163.0, 115.0), 10.0)]
    tables = segments_to_tables(segments, glyphs, 1)
    assert [t.bbox.top for t in tables] == [100.0]
    assert tables[0].n_rows == 2


def test_a_statistics_appendix_is_known_by_its_columns_when_ocr_garbles_its_header() -> None:
    from pipeline.facts.tables import classify

    garbled = _grid([[":名称", "本年", "历年累计"], ["主动公开政府信息数", "76", "319"]], 100, 1)
    assert classify(garbled) == "legacy"
    t2 = _grid([["信息内容", "本年", "总数"], ["规章", "0", "3"]], 100, 1)
    assert classify(t2) is None  # one t2 word is not enough, and no appendix column


@pytest.mark.parametrize("method", ["text", "ocr"])
def test_a_statistics_appendix_header_misprinted_in_a_character_keeps_its_key_and_wording(
    method: Method,
) -> None:
    """A text layer whose font maps a glyph to the wrong character (本年庋, 历年紧计) prints
    the same header OCR can misread: the columns keep their keys and the known wordings."""
    table = _grid([["指标名称", "本年庋", "历年紧计"], ["主动公开政府信息数", "76", "319"]], 100, 1)
    facts = table_to_facts(table, "legacy", {1: method})
    assert [(f.row, f.col, f.col_label, f.value) for f in facts] == [
        ("proactive_items", "current", "本年度", 76.0),
        ("proactive_items", "cumulative", "历年累计", 319.0),
    ]


def test_a_cell_holding_others_keeps_only_what_they_leave() -> None:
    """A lattice of broken rules made one cell from a far corner over a label column and its items."""
    big = (0.0, 0.0, 100.0, 40.0)
    items = [(50.0, 0.0, 100.0, 20.0), (50.0, 20.0, 100.0, 40.0)]
    values = [(100.0, 0.0, 130.0, 20.0), (100.0, 20.0, 130.0, 40.0)]
    assert sorted(unnested([big, *items, *values])) == sorted([(0.0, 0.0, 50.0, 40.0), *items, *values])
    tiled = [(0.0, 0.0, 50.0, 40.0), *items, *values]
    assert unnested(tiled) == tiled
    # a cell lost elsewhere (a row below, its rules broken): the areas no longer add up past the
    # table's, and the nested pair is still found (seen on a photocopied 表三's header)
    below = [(0.0, 40.0, 50.0, 80.0), (100.0, 40.0, 130.0, 80.0)]  # (50, 40, 100, 80) lost
    assert sorted(unnested([big, *items, *values, *below])) == sorted(
        [(0.0, 0.0, 50.0, 40.0), *items, *values, *below]
    )


@pytest.mark.parametrize(
    ("label", "first", "second"),
    [
        (
            "2.其他法律行政法规禁止公开3.危及“三安全一稳定”",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
        ),
        (
            "1 本机关不掌握相关政府信息 2 没有现成信息需要另行制作",
            "1 本机关不掌握相关政府信息",
            "2 没有现成信息需要另行制作",
        ),
    ],
)
def test_a_label_over_two_rows_holding_two_numbered_items_is_two_labels(
    label: str, first: str, second: str
) -> None:
    """A streak took the rule between two item labels: their cell spans both rows, their figures do not."""
    assert _row_paths_beside(label) == {"4": (first,), "7": (second,)}


@pytest.mark.parametrize("label", ["（三）不予公开", "2.其他法律行政法规禁止公开", "2020年1.属于3.其他"])
def test_a_merged_label_without_one_item_a_row_stays_whole(label: str) -> None:
    assert _row_paths_beside(label) == {"4": (label,), "7": (label,)}


def _row_paths_beside(label: str) -> dict[str, tuple[str, ...]]:
    """The row labels read for the figures 4 and 7, one a row, beside one cell `label` over both rows."""
    cells = (
        Cell(0, 0, 2, 1, label, BBox(0, 0, 100, 40), 1),
        Cell(0, 1, 1, 1, "4", BBox(100, 0, 130, 20), 1),
        Cell(1, 1, 1, 1, "7", BBox(100, 20, 130, 40), 1),
    )
    return {lv.cell.text: lv.row_path for lv in read_grid(Table(2, 2, cells, (1,), BBox(0, 0, 130, 40)))}


def _t4_read(values: list[str], method: str) -> dict[str, tuple[float | None, float, tuple[str, ...]]]:
    """A 表四 of one row of figures (行政复议: 结果维持, 结果纠正, 总计) as `method` gave them."""

    def cell(row: int, col: int, text: str, span: int = 1) -> Cell:
        return Cell(
            row, col, 1, span, text, BBox(col * 50, row * 20, (col + span) * 50, row * 20 + 20), 1, 0.95
        )

    cells = (cell(0, 0, "行政复议", 3), cell(1, 0, "结果维持"), cell(1, 1, "结果纠正"), cell(1, 2, "总计"))
    figures = tuple(cell(2, col, text) for col, text in enumerate(values))
    table = Table(3, 3, cells + figures, (1,), BBox(0, 0, 150, 60))
    return {f.col or "": (f.value, f.confidence, f.flags) for f in table_to_facts(table, "t4", {1: method})}


@pytest.mark.parametrize(("read", "value"), [("-1", 1.0), (". 2", 2.0), ("- 3", 3.0), ("4", 4.0)])
def test_a_mark_ocr_reads_before_a_count_is_a_speck(read: str, value: float) -> None:
    """Seen on photocopies: 40 read '-40', 13 read '. 13' in 表三. A number of cases is never below
    0 nor a fraction: the figure is taken, in doubt; the engine's text stays in `raw`."""
    got, confidence, flags = _t4_read([read, "0", "5"], "ocr")["maintained"]
    assert got == value
    assert (confidence < SOUND_CONFIDENCE and "ocr_unsure" in flags) == (read != str(int(value)))


def test_a_text_layers_sign_is_printed() -> None:
    assert _t4_read(["-1", "0", "5"], "text")["maintained"][0] == -1.0


@pytest.mark.parametrize(
    ("read", "counts", "figure"),
    [
        ("18057141.24 元 -", False, "18057141.24 元"),  # seen on a photocopy: a speck after the unit
        ("5 。", True, "5"),
        ("1709第2页", False, "1709"),  # seen on a phone photo: the folio under the table's last row
        ("12 - 3 -", True, "12"),
        ("-5", False, "-5"),  # 表二's change column is signed
        ("-5", True, "5"),
        ("12.5", True, "12.5"),  # no mark: left for the checks to judge
        ("/", True, "/"),
        (".33475436.08 元", False, "33475436.08 元"),  # seen on photocopies: a speck before a figure
        (". +12", False, "+12"),
        (".5", False, ".5"),  # a point of its own: left for the checks to judge
    ],
)
def test_marks_a_speck_made_around_a_figure_go(read: str, counts: bool, figure: str) -> None:
    assert figure_text(read, counts) == figure


@pytest.mark.parametrize(
    ("read", "whole", "figure"),
    [
        (".4422", True, "4422"),  # seen on photocopies: 表二's 件 of decisions with a speck before them
        (". 1402", True, "1402"),
        (".25", False, ".25"),  # a sum's point may have lost its 0: left for the checks to judge
        ("12.5", True, "12.5"),  # a point inside a count: left for the checks to judge
    ],
)
def test_no_whole_count_begins_with_a_point(read: str, whole: bool, figure: str) -> None:
    assert figure_text(read, False, False, whole) == figure


@pytest.mark.parametrize(
    ("read", "money", "figure"),
    [
        ("2190 4237 万元", True, "2190.4237 万元"),  # seen on photocopies: the point cleared as a speck
        ("237 9708 万元", True, "237.9708 万元"),
        ("35 00", True, "35.00"),
        ("1 760", True, "1 760"),  # thousands
        ("12 34", False, "12 34"),  # a count: no decimals to read into it
    ],
)
def test_a_sums_decimal_point_read_as_a_gap(read: str, money: bool, figure: str) -> None:
    assert figure_text(read, False, money) == figure


def test_a_figure_keyed_by_its_place_is_in_its_keys_unit() -> None:
    """Seen at 150 dpi and under a seal: 采购总金额 unread, the column keyed by its place, and
    3198.92 万元 stored as 3198.92 with no unit (the 元 column's figure is 31,989,200)."""

    def cell(row: int, col: int, text: str, span: int = 1) -> Cell:
        return Cell(
            row, col, 1, span, text, BBox(col * 50, row * 20, (col + span) * 50, row * 20 + 20), 1, 0.95
        )

    cells = (
        cell(0, 0, "第二十条第(九)项", 3),
        cell(1, 0, "信息内容"),
        cell(1, 1, "采购项目数量"),
        cell(1, 2, "采口总全"),
    )
    figures = (cell(2, 0, "政府集中采购"), cell(2, 1, "16"), cell(2, 2, "3198.92 万元"))
    facts = table_to_facts(Table(3, 3, cells + figures, (1,), BBox(0, 0, 150, 60)), "t2", {1: "ocr"})
    amount = next(f for f in facts if f.col == "amount")
    assert (amount.value, amount.unit, amount.flags) == (31989200.0, "元", ("key_by_position",))


def test_a_row_whose_every_figure_ocr_could_not_read_is_a_row_of_figures() -> None:
    """Seen on a photocopy: 表三's first row read as ink OCR could not read (5 read 'D') or misread ('口'): it was
    taken for a header over the rows below, and its facts never made (7 cells)."""

    def cell(row: int, col: int, text: str, raw: str | None = None) -> Cell:
        return Cell(row, col, 1, 1, text, BBox(col * 50, row * 20, col * 50 + 50, row * 20 + 20), 1, 0.9, raw)

    cells = (
        cell(0, 1, "自然人"), cell(0, 2, "总计"),
        cell(1, 0, "一、本年新收政府信息公开申请数量"), cell(1, 1, "", "D"), cell(1, 2, "口"),
        cell(2, 0, "二、上年结转政府信息公开申请数量"), cell(2, 1, "1"), cell(2, 2, "1"),
    )  # fmt: skip
    values = read_grid(Table(3, 3, cells, (1,), BBox(0, 0, 150, 60)))
    assert [(v.row_path[0][:2], v.col_path) for v in values] == [
        ("一、", ("自然人",)), ("一、", ("总计",)), ("二、", ("自然人",)), ("二、", ("总计",)),
    ]  # fmt: skip


def test_a_header_row_read_as_unreadable_figures_stays_a_header() -> None:
    """Seen on a photocopy: 表三's first header row (申请人情况 read as unreadable ink), its corner
    cell standing over the header rows as the row's only label, was taken for a row of figures."""
    corner = Cell(0, 0, 2, 1, "(本列数据的勾稽关系为:第一项加第二项之和)", BBox(0, 0, 50, 40), 1, 0.9)
    cells = (
        corner,
        Cell(0, 1, 1, 2, "", BBox(50, 0, 150, 20), 1, 0.0, "申请人情;人"),
        Cell(1, 1, 1, 1, "自然人", BBox(50, 20, 100, 40), 1, 0.9),
        Cell(1, 2, 1, 1, "总计", BBox(100, 20, 150, 40), 1, 0.9),
        Cell(2, 0, 1, 1, "一、本年新收政府信息公开申请数量", BBox(0, 40, 50, 60), 1, 0.9),
        Cell(2, 1, 1, 1, "3", BBox(50, 40, 100, 60), 1, 0.9),
        Cell(2, 2, 1, 1, "3", BBox(100, 40, 150, 60), 1, 0.9),
    )
    values = read_grid(Table(3, 3, cells, (1,), BBox(0, 0, 150, 60)))
    assert [v.cell.row for v in values] == [2, 2]
    assert [v.col_path[-1] for v in values] == ["自然人", "总计"]


def test_a_first_row_read_as_unreadable_figures_is_the_header() -> None:
    """Seen on a photocopy: a 统计表's header 指标名称 | 2012 年 | 历年累计 with its year read as an
    unreadable number was taken for a row of figures, and the table lost its column labels."""

    def cell(row: int, col: int, text: str, raw: str | None = None) -> Cell:
        return Cell(row, col, 1, 1, text, BBox(col * 50, row * 20, col * 50 + 50, row * 20 + 20), 1, 0.9, raw)

    cells = (
        cell(0, 0, "指标名称."), cell(0, 1, "", "2012 年"), cell(0, 2, "历年累计"),
        cell(1, 0, "主动公开政府信息数"), cell(1, 1, "2015"), cell(1, 2, "4987"),
    )  # fmt: skip
    values = read_grid(Table(2, 3, cells, (1,), BBox(0, 0, 150, 40)))
    assert [(v.cell.row, v.col_path) for v in values] == [(1, ()), (1, ("历年累计",))]
