"""Headings and report fields as OCR reads photocopies: numbering misread past knowing, titles
and metadata keys a character off, dates with letters for digits, names with specks before them,
and a title and signature that disagree over one character."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pipeline.core.model import BBox, Document, Line, Outline, Page, PipelineError, ReportMeta, Word
from pipeline.outline.dates import closing_month_day, numerals_restored
from pipeline.outline.fields import (
    agreed_spelling,
    name_line,
    preamble_date,
    signature_office,
    title_to_office_year,
)
from pipeline.outline.gap_headings import gap_headings
from pipeline.outline.meta import outline_to_meta
from pipeline.outline.segment import document_to_outline

TITLE = "某区人民政府2022年政府信息公开工作年度报告"


def _line(i: int, x0: float, text: str, confidence: float) -> Line:
    box = BBox(x0, 80.0 + 20 * i, min(x0 + 14 * len(text), 510.0), 94.0 + 20 * i)
    return Line(text, box, 14.0, (Word(text, box, 14.0, confidence),))


def _page(texts: list[tuple[float, str]], method: str = "ocr", confidence: float = 0.8) -> Page:
    """One page of lines (left edge, text), 20 pt apart, 14 pt print."""
    lines = tuple(_line(i, x0, text, confidence) for i, (x0, text) in enumerate(texts))
    return Page(1, 595.0, 842.0, lines, (), method, sum(len(t) for _, t in texts), "no_text_layer")


def _level1(page: Page) -> list[str]:
    return [s.heading for s in document_to_outline(Document((page,), ())).sections if s.level == 1]


BODY = "全年共主动公开政府信息一千一百一十六条，其中通过政府网站公开的信息一千条。"


@pytest.mark.parametrize(
    ("read", "heading"),
    [
        ('"芝主动公开政府信息情况', "二、主动公开政府信息情况"),  # 二、 read as a quote and 芝
        ("二:主动公开政府信息情况", "二、主动公开政府信息情况"),  # 、 read as a colon
        ("上 |、主动公开政府信息情况", "二、主动公开政府信息情况"),  # 二 read as 上 and a bar
        ("三于动公开政府信息情况第!页", "二、主动公开政府信息情况"),  # 主 misread, a folio run in
        ("主动公开政府信息的情况 2022 年，我区共主动公开", "二、主动公开政府信息的情况"),  # no numbering
    ],
)
def test_a_heading_whose_numbering_ocr_misread_is_found_by_its_words(read: str, heading: str) -> None:
    page = _page(
        [
            (200.0, TITLE),
            (64.0, "一、总体情况"),
            (92.0, "2022年，我区认真贯彻落实《条例》，不断提升政务公开质量和实效。"),
            (64.0, read),
            (92.0, BODY),
            (64.0, "三、收到和处理政府信息公开申请情况"),
            (92.0, "本年度共收到申请七件，均已按时答复。"),
        ]
    )
    assert _level1(page) == ["一、总体情况", heading, "三、收到和处理政府信息公开申请情况"]


@pytest.mark.parametrize(
    "read",
    [
        "(一)主动公开政府信息情况",  # a level-2 heading of the same words
        "主动公开政府信息情况如下：",  # a sentence that opens with them
        "全年主动公开政府信息情况良好，各项工作有序推进。",  # the words after more than junk
    ],
)
def test_lines_that_only_contain_a_headings_words_are_no_heading(read: str) -> None:
    page = _page(
        [
            (200.0, TITLE),
            (64.0, "一、总体情况"),
            (92.0, read),
            (92.0, BODY),
            (64.0, "三、收到和处理政府信息公开申请情况"),
        ]
    )
    assert _level1(page) == ["一、总体情况", "三、收到和处理政府信息公开申请情况"]


def test_a_text_layer_keeps_its_numbering_as_printed() -> None:
    lines = [
        (200.0, TITLE),
        (64.0, "一、总体情况"),
        (64.0, "芝主动公开政府信息情况"),
        (64.0, "三、其他需要报告的事项"),
    ]
    assert _level1(_page(lines, method="text")) == ["一、总体情况", "三、其他需要报告的事项"]


def test_gap_numbers_go_in_order_to_the_closest_readings() -> None:
    lines = [
        "一、总体情况",
        "芝主动公开政府信息情况",
        "上收到和处理政府信息公开申清情况",  # one character off
        "壹收到和处理政府信息公开申请情况",  # as printed: the closer reading of the two
        "四、其他需要报告的事项",
    ]
    found = gap_headings([None, *lines[1:4], None], [(0, 1), (4, 4)])
    assert [(g.line, g.number, g.wording) for g in found] == [
        (1, 2, "主动公开政府信息情况"),
        (3, 3, "收到和处理政府信息公开申请情况"),
    ]


def test_after_the_last_heading_found_a_line_takes_the_number_its_junk_reads() -> None:
    lines = [None, "本年度共收到申请七件。", "-六、其他需要报告的事项", "无其他需要报告的事项。"]
    found = gap_headings(lines, [(0, 4)])
    assert [(g.line, g.number, g.wording) for g in found] == [(2, 6, "其他需要报告的事项")]


def test_fewer_readings_than_numbers_missing_take_none() -> None:
    # one line for two missing numbers: which number it is, nothing says
    assert gap_headings([None, "芝主动公开政府信息情况", None], [(0, 1), (2, 4)]) == []


@pytest.mark.parametrize(
    ("title", "office", "year"),
    [
        ("龙兴市礼泽湾县人民政府2024 年政府度信息公开工作年度报告", "龙兴市礼泽湾县人民政府", 2024),
        ("aaMy ee庆平区医疗保障局 2023 年度政府信息公开年度报告", "庆平区医疗保障局", 2023),
        ("XX市财政局2014年度政府信息公开年度报告", "XX市财政局", 2014),  # a template's placeholder
        ("2018 年政府人和工作年度报告湖田区宁从于和", None, 2018),  # the year alone is sure
        ("某区2019年和2020年工作报告", None, None),  # two years: neither
        ("某区关于印发2019年政务公开工作要点的通知", None, None),  # no report
    ],
)
def test_office_and_year_of_a_title_ocr_misread(title: str, office: str | None, year: int | None) -> None:
    assert title_to_office_year(title) == (office, year)


def test_a_metadata_line_read_with_a_key_misread_is_no_title() -> None:
    page = _page(
        [
            (60.0, "索引号: 79044713CC/2020-49424 发布机构:康青区文化和旅游局"),
            (60.0, "发布昌期: 2020.0304 主题分类:政府信息公开年报"),
            (190.0, "康青区文化和旅游局 2019 年"),
            (190.0, "政府信息公开工作年度报告"),
            (80.0, "一、概述"),
        ]
    )
    outline = document_to_outline(Document((page,), ()))
    assert outline.title == "康青区文化和旅游局 2019 年政府信息公开工作年度报告"
    assert preamble_date(outline.preamble_lines) == date(2020, 3, 4)


@pytest.mark.parametrize(
    ("read", "restored"),
    [
        ("2016年0i月23日", "2016年01月23日"),
        ("2020年]月25日", "2020年1月25日"),
        ("2020年1月]5日", "2020年1月15日"),
        ("二口二〇年四月七日", "二〇二〇年四月七日"),  # 〇 read as 口
        ("人口二十年", "人口二十年"),  # 口 among no year's numerals
        ("二〇二二年-月十五日", "二〇二二年一月十五日"),  # 一 read as a dash
        ("2021年4月:1日", "2021年4月1日"),  # a speck read as a colon
        ("2024年:月8日", "2024年1月8日"),  # a 1 cut in two by a copier's streak (seed-229 photocopy)
        ("2024年1月:日", "2024年1月1日"),
    ],
)
def test_numerals_of_a_date_as_ocr_misread_them(read: str, restored: str) -> None:
    assert numerals_restored(read) == restored


@pytest.mark.parametrize(
    ("closing", "office"),
    [
        (
            ["本年度无其他需要报告的事项。", "溪安丰区人民政府嘉岭街道办事处"],
            "溪安丰区人民政府嘉岭街道办事处",
        ),
        (["本年度无其他需要报告的事项。"], None),
        (["2023年我局未收取费用。", "附件：统计表"], None),  # no office's name
    ],
)
def test_the_signature_of_a_report_that_prints_no_date(closing: list[str], office: str | None) -> None:
    assert signature_office(closing) == office


@pytest.mark.parametrize(
    ("title_confidence", "signature_confidence", "spelt"),
    [
        (0.91, 0.46, "礼淮区洪通街道办事处"),
        (0.5, 0.9, "礼准区洪通街道办事处"),
        (0.09, 0.0, "礼准区洪通街道办事处"),
    ],
    ids=["title-surer", "signature-surer", "neither-clearly-surer"],
)
def test_a_tie_goes_to_the_printing_ocr_was_surer_of(
    title_confidence: float, signature_confidence: float, spelt: str
) -> None:
    title, signature = "礼淮区洪通街道办事处", "礼准区洪通街道办事处"
    sure = {name_line(signature): signature_confidence}
    assert agreed_spelling(title, [signature], [signature], sure, title_confidence) == spelt


def test_the_outline_carries_the_confidence_of_title_and_closing_lines() -> None:
    page = _page(
        [(200.0, "礼淮区洪通街道办事处2008年政府信息公开工作年度报告"), (92.0, BODY)], confidence=0.9
    )
    closing = Page(
        2, 595.0, 842.0, (_line(0, 300.0, "礼准区洪通街道办事处", 0.46),), (), "ocr", 10, "no_text_layer"
    )
    outline = document_to_outline(Document((page, closing), ()))
    assert outline.title_confidence == 0.9
    assert outline.closing_confidences[-1] == 0.46
    meta, _ = outline_to_meta(outline, "2008", date(2026, 1, 1))
    assert meta.office == "礼淮区洪通街道办事处"
    assert isinstance(outline, Outline)


@pytest.mark.parametrize(
    ("read", "wording"),
    [
        ("主动公开政府信息情况中了", "主动公开政府信息情况"),  # two specks read after it
        ("收到和处理政府信息公开申请情", "收到和处理政府信息公开申请情况"),  # its last character lost
        ("主动公开政府信息情况", None),  # as printed
        ("总体情", None),  # too short to know with a character lost
        ("主动公开政府信息情况2", None),  # a wrapped year's digit, no speck
    ],
)
def test_a_heading_read_with_specks_after_it_or_its_end_lost(read: str, wording: str | None) -> None:
    from pipeline.outline.phrasings import standard_wording

    assert standard_wording(read) == wording


@pytest.mark.parametrize(
    ("closing", "month_day"),
    [
        (["二 9 二 @ 年四月八日"], (4, 8)),
        (["OO 一八年一月二十六日"], (1, 26)),
        (["二 G 二至征一月三日"], (1, 3)),  # 年 misread too
        (["二 O 〇二由年四月十一且"], (4, 11)),  # and 日
        (["本办于4月8日"], None),  # no year's numerals before it: a sentence, not a date
        (["于日三二年二月十我目"], None),  # the day garbled too
        (["二〇二〇年二月三十日"], None),  # no such day
    ],
)
def test_month_and_day_of_a_closing_date_whose_year_is_garbled(
    closing: list[str], month_day: tuple[int, int] | None
) -> None:
    assert closing_month_day(["南川区人民政府云康街道办事处", *closing]) == month_day


def _signed_report_meta(
    title: str, signature: str, date_line: str, fmt: str
) -> tuple[ReportMeta, list[PipelineError]]:
    """The fields of a report of a title page and a page signed `signature` over `date_line`."""
    page = _page([(200.0, title), (92.0, BODY)], confidence=0.9)
    lines = (_line(0, 300.0, signature, 0.9), _line(1, 330.0, date_line, 0.9))
    closing = Page(2, 595.0, 842.0, lines, (), "ocr", 10, "no_text_layer")
    return outline_to_meta(document_to_outline(Document((page, closing), ())), fmt, date(2026, 1, 1))


@pytest.mark.parametrize(
    ("date_line", "published", "source"),
    [
        ("二 9 二 @ 年四月八日", date(2020, 4, 8), "closing_month_day"),
        ("二 DO 二年四月十一日", date(2020, 4, 11), "closing_month_day"),  # read as 2002: refused
        ("二 9 二 @ 年十二月八日", None, None),  # December: signed that year or the next
        ("二〇二〇年四月八日", date(2020, 4, 8), "closing"),
    ],
)
def test_a_garbled_closing_year_is_the_one_after_the_report(
    date_line: str, published: date | None, source: str | None
) -> None:
    meta, errors = _signed_report_meta(
        "南川区人民政府2019年政府信息公开工作年度报告", "南川区人民政府", date_line, "2019"
    )
    assert (meta.year, meta.published, meta.published_source) == (2019, published, source)
    # 2002 refused, then read by its month and day: no error left behind
    assert not any(e.error == "doc_field_implausible" for e in errors)


def test_a_speck_read_as_a_comma_after_a_title_in_two_lines() -> None:
    """Seen on a photocopy: the title's second line read "2021 年政府信息公开工作年度报告," —
    a title ends in its word, never in a mark: the mark goes, and the two lines are the title."""
    title = [
        _line(0, 215.0, "和口峪乡人民政府", 0.8),
        _line(1, 140.0, "2021 年政府信息公开工作年度报告,", 0.8),
    ]
    large = tuple(
        replace(ln, size=21.0, words=tuple(replace(w, size=21.0) for w in ln.words)) for ln in title
    )
    body = tuple(_line(i, 68.0, BODY, 0.8) for i in range(2, 6))
    page = Page(1, 595.0, 842.0, (*large, *body), (), "ocr", 60, "no_text_layer")
    outline = document_to_outline(Document((page,), ()))
    assert outline.title == "和口峪乡人民政府2021 年政府信息公开工作年度报告"
    meta, _ = outline_to_meta(outline, "2019", date(2026, 1, 1))
    assert (meta.office, meta.year) == ("和口峪乡人民政府", 2021)


@pytest.mark.parametrize(
    ("title", "date_line", "year"),
    [
        ("康潭县生态环境局20H1 年度政府信息公开工作年度报告", "2012 年 2 月 4 日", 2011),
        (
            "康潭县生态环境局20l9 年度政府信息公开工作年度报告",
            "2019 年 12 月 28 日",
            2019,
        ),  # December: 2018 or 2019
        ("康潭县生态环境局20H1 年度政府信息公开工作年度报告", "2016 年 2 月 4 日", None),  # 2015: no 1
        ("康潭县生态环境局20HH 年度政府信息公开工作年度报告", "2012 年 2 月 4 日", None),  # two misread
    ],
)
def test_a_title_year_with_a_digit_misread_is_the_one_before_its_date(
    title: str, date_line: str, year: int | None
) -> None:
    meta, errors = _signed_report_meta(title, "康潭县生态环境局", date_line, "2008")
    assert (meta.year, meta.year_source) == (year, "title_and_closing" if year else None)
    assert any(e.message.startswith("year") for e in errors) == (year is None)
