"""Stage 3b: statistics tables → `facts` with canonical keys (表二 t2, 表三 t3, 表四 t4, 统计表 legacy).

Every printed value cell becomes a fact, whether or not its labels match a key: an unmatched
cell keeps its printed labels with `row`/`col` null, so nothing printed is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from pipeline.core.config import SOUND_CONFIDENCE
from pipeline.core.model import Fact, Method, Table
from pipeline.core.numbers import COUNTS, MONEY, is_blank, is_value_text, parse_value, unit_in_label
from pipeline.core.text import squash
from pipeline.facts import catalogue
from pipeline.facts.gridread import LabelledValue, read_grid
from pipeline.facts.key_positions import keys_by_position
from pipeline.knowledge.load import knowledge

LABEL_SEPARATOR = " / "
POSITION_CONFIDENCE = 0.85  # a key known from the row's place, not from its label: doubtful
MIN_LABELS = 6  # distinct labels like a table's own before a grid is taken for that table
LABEL_MARGIN = 2  # … and at least twice as many as like any other table's
SPECK_CONFIDENCE = 0.85  # a figure OCR read with a speck's mark, the mark dropped: doubtful
_MARK_BEFORE_DIGITS = re.compile(r"^\s*[-.]\s*(?=\d+\s*$)")  # '-40', '. 13'
# '18057141.24 元 -'; '1709第2页': the page's folio under a last row whose bottom rule was lost
_MARK_AFTER_FIGURE = re.compile(r"(?<=[\d元])\s*(?:[-.,、。·]+|第\s*\d+\s*页|-\s*\d+\s*-)\s*$")
# a point before a figure that has its own point or sign: '.33475436.08 元', '. +12'
_POINT_BEFORE_FIGURE = re.compile(r"^\s*[.·]\s*(?=[+-]?\d+\.\d|[+-]\d)")
_POINT_BEFORE_DIGITS = re.compile(r"^\s*[.·]\s*(?=\d+\s*$)")  # '.4422' of a whole count
# a sum's decimal point a copy's specks took with them leaves a gap before its decimals ('2190 4237
# 万元'); a gap before three digits groups thousands ('1 760')
_POINT_AS_GAP = re.compile(r"^(\s*[+-]?\d+)\s+(\d{1,2}|\d{4,})(?=\s*(?:万元|元)?\s*$)")


def classify(table: Table) -> str | None:
    """Which statistics table a grid is: by the words that identify it (tables.toml), else by
    its labels as a whole — most of them like one table's labels, a character misread here and
    there (申请人情况 read as 中请人情况 no longer hides a 表三); None for other tables."""
    text = squash("".join(c.text for c in table.cells))
    for kind in knowledge().tables.values():
        if kind.named_in(text):
            return kind.key
    return by_labels(table)


def continued_kind(table: Table, before: Table, before_kind: str) -> str | None:
    """The kind of the table before `table` when `table` is a part of it carried over a page
    break that was not joined to it (on a scan, its rules not straight enough across the break)
    and is too short to be told by its own labels (表三's last two rows, 总计 and 结转下年度继续办理):
    as many columns of figures, the first grid of the page after that table's last, and labels
    each like one of that kind's, one at least."""
    if not before_kind or table.pages[0] != before.pages[-1] + 1:
        return None
    if _figure_columns(table) != _figure_columns(before):
        return None  # (label columns may differ: a label spanning two prints as one)
    labels = [catalogue.tables_of_label(c.text) for c in table.cells if c.text and not is_value_text(c.text)]
    if not labels or not all(before_kind in kinds for kinds in labels):
        return None
    return before_kind


def _figure_columns(table: Table) -> int:
    return len({c.col for c in table.cells if c.text and is_value_text(c.text)})


def by_labels(table: Table) -> str | None:
    """The table most of whose distinct label cells are like its labels (at least MIN_LABELS
    of them, and clearly more than any other table's)."""
    votes: Counter[str] = Counter()
    for label in {c.text for c in table.cells if c.text and not is_value_text(c.text)}:
        votes.update(catalogue.tables_of_label(label))
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < MIN_LABELS:
        return None
    if len(ranked) > 1 and ranked[1][1] * LABEL_MARGIN > ranked[0][1]:
        return None
    return ranked[0][0]


def _keys(kind: str, lv: LabelledValue) -> tuple[str | None, str | None, str | None]:
    """(row key, col key, canonical unit) for one labelled value of a table of `kind`."""
    rows, cols = list(lv.row_path), list(lv.col_path)
    if kind == "t3":
        return catalogue.t3_row_key(rows), catalogue.t3_col_key(cols), "件"
    if kind == "t4":
        row, col = catalogue.t4_keys(cols)
        return row, col, "件"
    if kind == "t2":
        metric = catalogue.t2_metric(rows, cols)
        return (metric.row, metric.col, metric.unit) if metric else (None, None, None)
    if kind == "legacy":
        row, col = catalogue.legacy_keys(rows, cols)
        metric = catalogue.metric_for("legacy", row, col)
        return row, col, metric.unit if metric else None
    return None, None, None


def table_to_facts(
    table: Table, kind: str, methods: Mapping[int, Method], after: str | None = None
) -> list[Fact]:
    """The facts of one statistics table of `kind`; `after`: the last row key of the part of the
    same table printed before it, if it was not joined to it (key_positions)."""
    values = read_grid(table)
    if kind == "legacy":
        values = [_as_known_wordings(lv) for lv in values]
    printed = [_keys(kind, lv) for lv in values]
    keys = [(row, col) for row, col, _ in printed]
    if any(methods.get(lv.cell.page) == "ocr" for lv in values):
        # labels OCR could not read: their keys from the fixed order of the rows and columns
        row_keys = [catalogue.t2_row(lv.row_path, lv.col_path) for lv in values] if kind == "t2" else []
        cells = [(lv.cell.row, lv.cell.col) for lv in values]
        keys = keys_by_position(kind, cells, keys, row_keys, after)
    counts = knowledge().tables[kind].counts
    facts = []
    for lv, (row, col), (printed_row, printed_col, unit) in zip(values, keys, printed, strict=True):
        by_position = (row, col) != (printed_row, printed_col)
        if by_position and (metric := catalogue.metric_for(kind, row, col)) is not None:
            unit = metric.unit  # the key's unit: a 万元 printed in a 元 column is converted
        col_label = LABEL_SEPARATOR.join(lv.col_path)
        header_unit = unit_in_label(lv.col_path[-1]) if lv.col_path else None
        cell = lv.cell
        method = methods.get(cell.page, "text")
        money = (unit or header_unit) in MONEY
        whole = counts or (unit or header_unit) in COUNTS
        text = figure_text(cell.text, counts, money, whole) if method == "ocr" else cell.text
        reading = cell.confidence if text == cell.text else min(cell.confidence, SPECK_CONFIDENCE)
        fact = Fact(
            table=kind,
            row=row if col else None,
            col=col if row else None,
            row_label=LABEL_SEPARATOR.join(lv.row_path),
            col_label=col_label,
            value=parse_value(text, unit, header_unit),
            # what the engine saw is kept: a cell it could not read has no value, a count
            # read with a speck before it has the figure's
            raw=cell.text if cell.raw_ocr is None else cell.raw_ocr,
            unit=unit or header_unit or (squash(lv.unit_text) if lv.unit_text else None),
            page=cell.page,
            method=method,
            confidence=min(reading, POSITION_CONFIDENCE) if by_position else reading,
            bbox=cell.bbox,
            alternatives=cell.alternatives,
        )
        # ink read as neither a number nor a blank where a figure stands ('O' for 0): unreadable too
        misread = method == "ocr" and not is_blank(text) and not is_value_text(text)
        unreadable = cell.raw_ocr is not None or misread
        facts.append(fact.flagged(*cell_flags(fact, reading, unreadable, by_position)))
    return facts


def _as_known_wordings(lv: LabelledValue) -> LabelledValue:
    """A 统计表 cell's last row and column labels spelt as the known wordings they are a
    character or so off (主动公开文件类 → 主动公开文件数, 本年庋 → 本年度), so that the labels an
    analyst selects on are the report's own words, not a misread or a misprinted glyph."""
    rows, cols = lv.row_path, lv.col_path
    return replace(
        lv,
        row_path=(*rows[:-1], catalogue.legacy_row_as_printed(rows[-1])) if rows else rows,
        col_path=(*cols[:-1], catalogue.legacy_header_as_printed(cols[-1])) if cols else cols,
    )


def figure_text(text: str, counts: bool, money: bool = False, whole: bool = False) -> str:
    """An OCR reading of a figure without the marks specks made or a folio read into it: after
    it (no figure ends in one: '18057141.24 元 -', '1709第2页'), a point before a figure with its
    own point or sign, and, in a table of `counts`, a mark before it (a number of requests or cases
    is never below 0 nor a fraction: '-40', '. 13'), or, where the figures are `whole` (a count of
    件 or 项 among 表二's sums and signed changes), a point before it ('.4422'); a sum of `money`
    with a gap where its decimal point was read with its point."""
    text = _POINT_BEFORE_FIGURE.sub("", _MARK_AFTER_FIGURE.sub("", text))
    if money:
        text = _POINT_AS_GAP.sub(r"\1.\2", text)
    if whole:
        text = _POINT_BEFORE_DIGITS.sub("", text)
    return _MARK_BEFORE_DIGITS.sub("", text) if counts else text


def cell_flags(fact: Fact, reading: float, unreadable: bool, by_position: bool) -> list[str]:
    """Why a table figure is doubtful from the moment it is read (checks add theirs later);
    `reading` is the OCR reading's own confidence, before a key by position caps it."""
    flags = []
    if unreadable:
        flags.append("ocr_unreadable")
    elif fact.method == "ocr" and reading < SOUND_CONFIDENCE:
        flags.append("ocr_unsure")
    if by_position:
        flags.append("key_by_position")
    if fact.row is None:
        flags.append("unkeyed")
    return flags


def tables_to_facts(tables: tuple[Table, ...], methods: Mapping[int, Method]) -> tuple[list[Fact], list[str]]:
    """Facts of every statistics table, and the kind of each table in order (None for others)."""
    facts: list[Fact] = []
    kinds: list[str] = []
    for k, table in enumerate(tables):
        kind = classify(table) or (continued_kind(table, tables[k - 1], kinds[-1]) if k else None)
        kinds.append(kind or "")
        if kind:
            # a part of a table continued from one before it (not joined: a header or a rule
            # of the break misread) follows that one's last row
            after = next((f.row for f in reversed(facts) if f.table == kind and f.row), None)
            facts.extend(table_to_facts(table, kind, methods, after))
    return facts, kinds
