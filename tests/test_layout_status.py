"""Tables as printed, trust status per figure, office levels: small pure functions."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.views.cellstatus import statuses
from pipeline.views.officelevel import office_level
from pipeline.views.printed import Span, html_rows, layout, spans
from pipeline.views.show import distinct_suffixes


@pytest.mark.parametrize(
    ("office", "level"),
    [
        ("淮安市人民政府", "city"),
        ("镇江市人民政府", "city"),
        ("淮安市洪泽区人民政府", "county"),
        ("洪泽区人民政府", "county"),
        ("永洪县人民政府", "county"),
        ("张店区人民政府科苑街道办事处", "street"),
        ("岭新区阳德镇人民政府", "township"),
        ("顺广乡人民政府", "township"),
        ("汉金市退役军人事务局", "department"),
        ("某市卫生健康委员会", "department"),
        ("靖西东省人民政府办公厅", "department"),
        ("江苏省人民政府", "province"),
        ("广西壮族自治区人民政府", "province"),
        ("上海市人民政府", "province"),
        ("溪海经济技术开发区管理委员会", "zone"),
        ("平潭综合实验区", "zone"),
        ("", "unknown"),
        (None, "unknown"),
        ("某某", "unknown"),
    ],
)
def test_office_level(office: str | None, level: str) -> None:
    assert office_level(office) == level


def test_spans_merge_parents_and_stretch_leaves() -> None:
    labels = [
        "申请人情况 / 自然人",
        "申请人情况 / 法人 / 商业企业",
        "申请人情况 / 法人 / 其他",
        "申请人情况 / 总计",
    ]
    assert spans(labels) == [
        Span("申请人情况", 0, 0, 4, 1),
        Span("自然人", 0, 1, 1, 2),
        Span("法人", 1, 1, 2, 1),
        Span("总计", 3, 1, 1, 2),
        Span("商业企业", 1, 2, 1, 1),
        Span("其他", 2, 2, 1, 1),
    ]


def _fact(table: str, row_label: str, col_label: str, raw: str, **extra: Any) -> dict[str, Any]:
    return {
        "table": table,
        "row_label": row_label,
        "col_label": col_label,
        "raw": raw,
        "row": None,
        "col": None,
        "confidence": 1.0,
        **extra,
    }


def test_layout_keeps_reading_order_and_repeated_labels() -> None:
    facts = [
        _fact("t3", "一、新收", "自然人", "1"),
        _fact("t3", "一、新收", "总计", "2"),
        _fact("t2", "规章", "本年制发", "9"),
        _fact("t3", "三、结果 / （一）予以公开", "自然人", "3"),
        _fact("t3", "一、新收", "自然人", "4"),  # printed twice: a new row, nothing dropped
    ]
    table = layout("t3", facts)
    assert table.rows == ("一、新收", "三、结果 / （一）予以公开", "一、新收")
    assert table.cols == ("自然人", "总计")
    assert table.cells == ((0, 1), (3, None), (4, None))
    rows = html_rows(table)
    assert [(c.text, c.rowspan, c.colspan) for c in rows[0]] == [("", 1, 2), ("自然人", 1, 1), ("总计", 1, 1)]
    assert [(c.text, c.colspan) for c in rows[1] if c.header] == [("一、新收", 2)]
    assert [(c.text, c.colspan) for c in rows[2] if c.header] == [("三、结果", 1), ("（一）予以公开", 1)]


def test_statuses() -> None:
    facts = [
        _fact("t4", "", "复议 / 总计", "0", row="review", col="total"),
        _fact("t4", "", "复议 / 维持", "10", row="review", col="maintained", confidence=0.75),
        _fact("t3", "新收", "总计", "21", row="new_received", col="total", confidence=0.5),
        _fact("t3", "结转", "总计", "0", row="carried_over", col="total"),
        _fact("t2", "规章", "制发", "1", row="regulations", col="issued"),
        _fact("t3", "?", "?", "1"),
    ]
    checks = [
        {
            "table": "t4",
            "check": "t4.review.total",
            "passed": False,
            "cells": ["review:total", "review:maintained"],
        },
        {
            "table": "t3",
            "check": "t3.balance.total",
            "passed": True,
            "cells": ["new_received:total", "carried_over:total"],
        },
    ]
    got = statuses(facts, checks)
    assert [s.status for s in got] == ["failed", "failed", "low", "checked", "unchecked", "unchecked"]
    assert got[0].failed_checks == ("t4.review.total",)


def test_distinct_suffixes() -> None:
    cols = [
        "行政复议 / 结果维持",
        "行政诉讼 / 直接起诉 / 结果维持",
        "行政诉讼 / 复议后起诉 / 结果维持",
        "总计",
    ]
    assert distinct_suffixes(cols) == [
        "行政复议\n结果维持",
        "直接起诉\n结果维持",
        "复议后起诉\n结果维持",
        "总计",
    ]
