"""A table the rule search missed, as the page's words show it: the page text outside every table
found looks like a table read as text (the cheap cue to search again for faint and broken rules),
or holds a table's figures (the `table_unread` flag). Pure functions on OCR words."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from pipeline.core.text import squash
from pipeline.knowledge.load import knowledge
from pipeline.ocr.cleanup import as_number
from pipeline.ocr.engine import OcrWord

# a table missed by the rule search is read as page text: rows of numbers standing alone
MIN_ROW_COLUMNS = 3
MIN_COLUMN_ROWS = 3
MIN_ROW_NUMBERS = 3
MIN_NUMBER_ROWS = 2
ROW_SLACK_PT = 4.0  # words whose middles are this close stand in one row
COLUMN_GAP_EMS = 2.0  # columns of a table stand at least this far apart (in their text's height)
# a table whose page reading kept one figure a row (the others faint or dashes): a column of them,
# each far from the label before it, one above the other (a seed-229 faint 表三, 23 rows of
# "label … 0"; prose has its numbers inside sentences, a contents page a leader before them)
MIN_FIGURE_COLUMN_ROWS = 6
FIGURE_COLUMN_EMS = 1.0  # the figures of one column stand this close (in their height) left or right
# a table in faint rules whose figures the page reading skips (columns of 0s) reads as its labels
# alone: many lines of a few characters (measured: such a page 21 of 49 lines; the pages of the
# corpus scans and that report's other pages 0.14 of their lines at most)
FRAGMENT_CHARS = 6
MIN_FRAGMENT_LINES = 8
MIN_FRAGMENT_SHARE = 0.3


def _rows(words: list[OcrWord], scale: float) -> list[list[OcrWord]]:
    """Words in rows (middles within ROW_SLACK_PT), each row left to right."""
    rows: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: w.top + w.bottom):
        middle = (w.top + w.bottom) / 2
        if rows and middle - (rows[-1][0].top + rows[-1][0].bottom) / 2 <= ROW_SLACK_PT * scale:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _apart(w: OcrWord, last: OcrWord | None, height: float) -> bool:
    return last is None or w.x0 - last.x1 >= COLUMN_GAP_EMS * height


def column_rows(words: list[OcrWord], scale: float) -> int:
    """Rows of page text in MIN_ROW_COLUMNS pieces or more, far apart on one line: what a
    table's body read as page text looks like (prose runs on; a heading or a signature stands in
    one or two pieces). Cheap, and loose: it decides when to look harder for rules."""
    found = 0
    for row in _rows(words, scale):
        height = float(np.median([w.bottom - w.top for w in row]))
        pieces, last = 0, None
        for w in row:
            pieces += _apart(w, last, height)
            last = w if last is None or w.x1 > last.x1 else last
        found += pieces >= MIN_ROW_COLUMNS
    return found


def table_missed(words: list[OcrWord], scale: float) -> bool:
    """Whether the page text outside every table found looks like a table read as text: rows of
    pieces far apart, a row of figures standing apart (a small 表四's one row, its header labels
    stacked two lines to a cell so that no line prints 结果维持 whole), or the words that name a
    statistics table. Cheap, and loose: it decides when to search for faint and broken rules."""
    return (
        column_rows(words, scale) >= MIN_COLUMN_ROWS
        or number_rows(words, scale) > 0
        or figure_column(words, scale) >= MIN_FIGURE_COLUMN_ROWS
        or names_a_table(words)
    )


def figure_column(words: list[OcrWord], scale: float) -> int:
    """The most rows that end a label with a figure standing apart from it, the figures one above
    the other (middles within FIGURE_COLUMN_EMS of their height): a table's labels and one column
    of its figures read as page text. A line that starts with a number (prose wrapped before 23142条)
    is no label and figure."""
    figures: list[tuple[float, float]] = []  # (middle, height) of each figure after a label
    for row in _rows(words, scale):
        for before, w in pairwise(row):
            height = w.bottom - w.top
            if _is_figure(w) and _apart(w, before, height):
                figures.append(((w.x0 + w.x1) / 2, height))
    return max(
        (sum(abs(x - other) <= FIGURE_COLUMN_EMS * height for other, _ in figures) for x, height in figures),
        default=0,
    )


def _is_figure(w: OcrWord) -> bool:
    return any(ch.isdigit() for ch in w.text) and as_number(w.text) is not None


def reads_as_fragments(words: list[OcrWord]) -> bool:
    """Whether the page text reads as a table's labels without its figures: MIN_FRAGMENT_LINES
    lines of FRAGMENT_CHARS characters or fewer at least, MIN_FRAGMENT_SHARE of all its lines
    (a 表三 carried over a page in faint rules: "(四)", "无法提", "供" … and no 0 of its columns).
    Not on a speckled copy: its specks read as short lines, and its streaks as false rules."""
    lines: dict[int, int] = {}
    for w in words:
        lines[w.line] = lines.get(w.line, 0) + len(w.text)
    short = sum(n <= FRAGMENT_CHARS for n in lines.values())
    return short >= MIN_FRAGMENT_LINES and short >= MIN_FRAGMENT_SHARE * len(lines)


def names_a_table(words: list[OcrWord]) -> bool:
    """Whether the page text outside every table found prints the words that identify a
    statistics table (knowledge/tables.toml: 申请人情况, 自然人 with 本年新收, two of 表二's header
    words such as 信息内容 and 第二十条 …): its header read as text, so its rules were missed —
    faint ones whose figures the page reading lost too."""
    text = squash("".join(w.text for w in words))
    return any(table.named_in(text) for table in knowledge().tables.values())


def number_rows(words: list[OcrWord], scale: float) -> int:
    """Rows holding MIN_ROW_NUMBERS numbers or more side by side, each standing alone, far from
    the last, nothing but numbers between them: a table's figures read as page text (a
    sentence's numbers, 2024年1月1日至12月31日, have words between them)."""
    found = 0
    for row in _rows(words, scale):
        run, longest, last = 0, 0, None
        for w in row:
            if not _is_figure(w):
                run, last = 0, None
                continue
            run += _apart(w, last, w.bottom - w.top)
            last, longest = w, max(longest, run)
        found += longest >= MIN_ROW_NUMBERS
    return found
