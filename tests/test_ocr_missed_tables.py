"""A table missed by the rule search shows in the page's words: rows of pieces far apart (the
cheap cue to search again, for faint and broken rules), rows of numbers standing apart (the
`table_unread` flag). Sentences with numbers in them are neither."""

from __future__ import annotations

from pipeline.ocr.engine import OcrWord
from pipeline.ocr.page import column_rows, number_rows

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
