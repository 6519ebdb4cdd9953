"""A table missed by the rule search shows in the page's words: rows of pieces far apart (the
cheap cue to search again, for faint and broken rules), rows of numbers standing apart (the
`table_unread` flag). Sentences with numbers in them are neither."""

from __future__ import annotations

from pipeline.ocr.engine import OcrWord
from pipeline.ocr.missed_tables import (
    MIN_COLUMN_ROWS,
    MIN_FIGURE_COLUMN_ROWS,
    column_rows,
    figure_column,
    names_a_table,
    number_rows,
    reads_as_fragments,
    table_missed,
)

SCALE = 200 / 72
H = 28  # pixels: a line of 10 pt print


def _row(y: int, pieces: list[tuple[int, str]], line: int) -> list[OcrWord]:
    """Words of one line: (x, text), each as wide as its characters."""
    return [OcrWord(t, x, y, x + H * len(t), y + H, 0.9, line) for x, t in pieces]


def test_rows_of_a_table_read_as_page_text_are_seen() -> None:
    table = [
        _row(100 + 50 * k, [(100, "行政许可"), (500, str(3 * k)), (700, "0"), (900, str(k + 1))], k)
        for k in range(4)
    ]
    words = [w for row in table for w in row]
    assert column_rows(words, SCALE) == 4
    assert number_rows(words, SCALE) == 4


def test_a_sentence_with_numbers_is_no_table() -> None:
    # 2024年1月1日至2024年12月31日: numbers a character apart, words between them
    pieces = [(100, "2024"), (212, "年"), (240, "1"), (268, "月"), (296, "1"), (324, "日至"), (380, "2024")]
    words = _row(100, pieces, 0) + _row(150, [(100, "受理申请17件，办结15件，均按时答复。")], 1)
    assert column_rows(words, SCALE) == 0
    assert number_rows(words, SCALE) == 0


def test_a_heading_and_a_signature_are_no_table() -> None:
    words = _row(100, [(300, "三、收到和处理政府信息公开申请情况")], 0) + _row(
        900, [(800, "淮安市人民政府办公室"), (1200, "2025年1月20日")], 1
    )
    assert column_rows(words, SCALE) == 0
    assert number_rows(words, SCALE) == 0


def test_a_small_tables_one_row_of_figures_says_a_table_was_missed() -> None:
    """A faint 表四 alone at the top of a page (held-out faint class, seed 31) as the page reading
    read it: its header labels stacked two lines to a cell (结果 / 维持), so no line prints a word
    that names the table, two rows of labels apart, and one row of fifteen figures."""
    upper = [(90 + 90 * k, ("结果", "结果", "其他", "尚未", "总计")[k % 5]) for k in range(15)]
    lower = [(x, ("维持", "纠正", "结果", "审结")[k % 5]) for k, (x, _) in enumerate(upper) if k % 5 < 4]
    words = (
        _row(60, [(130, "行政复议"), (900, "行政诉讼")], 0)
        + _row(130, upper, 1)
        + _row(170, lower, 2)
        + _row(250, [(100 + 90 * k, "0") for k in range(15)], 3)
    )
    assert not names_a_table(words) and column_rows(words, SCALE) < MIN_COLUMN_ROWS
    assert number_rows(words, SCALE) == 1 and table_missed(words, SCALE)


def test_prose_and_a_signature_miss_no_table() -> None:
    words = _row(100, [(100, "受理申请17件，办结15件，均按时答复。")], 0) + _row(
        900, [(800, "淮安市人民政府办公室"), (1200, "2025年1月20日")], 1
    )
    assert not table_missed(words, SCALE)


def test_a_tables_labels_without_its_figures_read_as_fragments() -> None:
    """Seen on a faint scan: 表三 carried over a page, its rules too faint for the plain search
    and its columns of 0s skipped by the page reading — what is read is its labels, stacked a few
    characters a line ("(四)", "无法提", "供" …). Prose and a signature read as long lines."""
    labels = ["(三)", "不予公", "开", "(四)", "无法提", "供", "(五)", "不予处", "理", "(六)"]
    table = [_row(100 + 40 * k, [(360, t)], k) for k, t in enumerate(labels)]
    table += [_row(600, [(100, "二、上年结转政府信息公开申请数量")], 20)]
    assert reads_as_fragments([w for row in table for w in row])
    prose = [
        _row(100 + 40 * k, [(100, "全年共主动公开政府信息一千一百一十六条，其中通过网站")], k)
        for k in range(20)
    ]
    closing = [_row(900, [(400, "山洪市水利局")], 21), _row(940, [(400, "2025年3月25日")], 22)]
    assert not reads_as_fragments([w for row in prose + closing for w in row])
    assert not reads_as_fragments([w for row in table[:5] for w in row])  # a few short lines: no table


def test_a_tables_labels_each_with_one_figure_say_a_table_was_missed() -> None:
    """A faint 表三 carried over a page (seed-229 faint class) as the page reading read it: each
    row's label and its first column's 0, far from the label; the other columns' dashes and 0s
    unread. No row of three pieces, nor of figures; one column of them, one above the other."""
    labels = ["（一）予以公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]
    labels += ["4.保护第三方合法权益", "6.属于四类过程性信息", "7.属于行政执法案卷"]
    words = [w for k, t in enumerate(labels) for w in _row(100 + 40 * k, [(200, t), (1000, "0")], k)]
    assert column_rows(words, SCALE) == 0 and number_rows(words, SCALE) == 0
    assert figure_column(words, SCALE) == len(labels) >= MIN_FIGURE_COLUMN_ROWS
    assert table_missed(words, SCALE)


def test_prose_lines_that_start_with_numbers_make_no_column_of_figures() -> None:
    """Wrapped prose puts numbers at the start of lines, one above the other (23142条, 158件):
    a figure counts only standing apart after a label."""
    lines = ["23142条，其中通过政府网站公开7495条", "158件；已答复226件。", "31日。如对本报告有疑问"]
    words = [w for k, t in enumerate(lines * 3) for w in _row(100 + 40 * k, [(100, t[:3]), (190, t[3:])], k)]
    assert figure_column(words, SCALE) == 0
    assert not table_missed(words, SCALE)
