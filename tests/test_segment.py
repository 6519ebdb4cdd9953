"""Headings, titles and dates as real reports print them."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from pipeline.core.model import BBox, Document, Line, Page
from pipeline.outline.dates import closing_date
from pipeline.outline.fields import preamble_date, title_to_office_year
from pipeline.outline.headings import split_run_in
from pipeline.outline.kinds import section_kind
from pipeline.outline.segment import document_to_outline


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("一、总体情况", "一、总体情况"),
        ("一、 概述", "一、 概述"),
        ("一、概述 2017年，我办认真贯彻落实《条例》", "一、概述"),
        ("二、主动公开政府信息情况截至2020年12月31日，我局通过门户网站", "二、主动公开政府信息情况"),
        ("四、政策解读与回应社会关切情况以群众需求为导向，我局围绕征地拆", "四、政策解读与回应社会关切情况"),
        (
            "六、政府信息公开收费及减免情况本年度我局未收取政府信息公开检索、",
            "六、政府信息公开收费及减免情况",
        ),
        ("（一）主动公开情况。2024年，市政府网站主动公开各类政府信息", "（一）主动公开情况"),
        (
            "（二）着力提升政务服务工作实效1.推进网上办事服务公开（1）全面推广",
            "（二）着力提升政务服务工作实效",
        ),
        ("十一、政府信息公开工作存在的主要问题及改进情况", "十一、政府信息公开工作存在的主要问题及改进情况"),
        # OCR of a bold run-in heading: the gap read as a quote mark
        ('三、政策解读与回应社会关切情况"在上级部门的指导下，管委会', "三、政策解读与回应社会关切情况"),
        ("三、公开载体建设情况”2017 年，我镇", "三、公开载体建设情况"),
        (
            "五、政府信息公开的收费及减免情况全年共收取检索、复制、邮寄等费用 392 元,",
            "五、政府信息公开的收费及减免情况",
        ),
        ("一、概述 2017年，我办", "一、概述"),
        ("（一）主动公开情况。全年累计主动公开信息 1116 条，其中", "（一）主动公开情况"),
        ("一、总体情况概要 2017年，我办", "一、总体情况概要"),
        ("二、推进“三审”制度建设情况", "二、推进“三审”制度建设情况"),
        # OCR of a photocopy: a space inside the run-on text, not after the heading
        ("六、存在问题及改进措施我区政府信息公开工作虽然取得了 一定成效", "六、存在问题及改进措施"),
        ("二、主动公开政府信息情况 本年度", "二、主动公开政府信息情况"),
        # OCR of a photocopy: a speck after the heading read as a mark
        ("二、主动公开政府信息情况、", "二、主动公开政府信息情况"),
        ("一、总体情况:", "一、总体情况"),
    ],
)
def test_run_in_headings_end_where_the_paragraph_starts(line: str, heading: str) -> None:
    assert split_run_in(line)[0] == heading


@pytest.mark.parametrize(
    ("title", "office", "year"),
    [
        ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024),
        (
            "张店区人民政府科苑街道办事处 2017 年政府信息公开工作年度报告",
            "张店区人民政府科苑街道办事处",
            2017,
        ),
        ("平潭综合实验区2018年度政府信息公开工作年度报告", "平潭综合实验区", 2018),
        ("XX市财政局2014年度政府信息公开年度报告", "XX市财政局", 2014),
        ("2016年度XX县教育局政府信息公开工作年度报告", "XX县教育局", 2016),
        ("关于XX镇人民政府2012年政府信息公开工作的年度报告", "XX镇人民政府", 2012),
        # OCR of a photocopy: 年 misread, or 开工作 lost
        ("梅坪市白山区人民政府 2019 征政府信息公开工作年度报告", "梅坪市白山区人民政府", 2019),
        ("石明县定桥乡人民政府2023 年度政府信息公年度报告", "石明县定桥乡人民政府", 2023),
        ("XX区人民政府办公室关于印发2019年政务公开工作要点的通知", None, None),
    ],
)
def test_office_and_year_from_the_title(title: str, office: str, year: int) -> None:
    assert title_to_office_year(title) == (office, year)


@pytest.mark.parametrize(
    ("lines", "published"),
    [
        (["平潭县人民政府", "2013 年 1 月 16 日"], date(2013, 1, 16)),
        (["XX区人民政府办公室", "二〇一八年三月二十八日"], date(2018, 3, 28)),
        (["二〇二三年四月二十八日", "附件：统计表"], date(2023, 4, 28)),
        (["本报告所列数据的统计期限自2011年1月1日起至2011年12月31日止。"], None),
        # OCR of a scan: 〇 read as a look-alike, or read twice (seen on phone photos)
        (["柳明镇人民政府", "二 @ 〇二三年四月六日"], date(2023, 4, 6)),
        (["二0二三年四月六日"], date(2023, 4, 6)),
        (["二O一九年十二月一日"], date(2019, 12, 1)),
        (["二〇〇九年一月五日"], date(2009, 1, 5)),
        (["二oO二二年一月十五日"], date(2022, 1, 15)),  # one 〇 read as two look-alikes (a mild scan)
        (["二 C 一四年一月七日"], date(2014, 1, 7)),  # a 〇 a photocopy broke open
        (["二 OO 二 OO 年四月二十八日"], date(2020, 4, 28)),  # each 〇 read twice (a photocopy)
        (["26019 年 1 月 15 日"], date(2019, 1, 15)),  # a speck read as a fifth digit
        (["20169 年 1 月 15 日"], None),  # 2016 or 2019: which digit is the speck is not known
        (["DO 年二月三下一日"], None),  # too little left to tell
    ],
)
def test_closing_date(lines: list[str], published: date | None) -> None:
    assert closing_date(lines) == published


@pytest.mark.parametrize(
    ("closing", "published"),
    [
        # OCR of a scan: the signature read onto the date's line, or the 日 misread
        (["江和市自然资源和规划局| 2020 年 2 月 25 日"], date(2020, 2, 25)),
        (["江和市直然资源和规划局2020 年 2 月 25 缚"], date(2020, 2, 25)),
        (["临洪区人民政府盛德街道办事处二〇二四年四月十一且"], date(2024, 4, 11)),
        (["江和市自然资源和规划局", "2020 年 2 月 25 上日:"], date(2020, 2, 25)),  # a speck before 日
        (["盛荣区交通运输局", "2024 年 2 月 234 日"], None),
        (["嘉浦湖市江通区人民政府", "二 CO 二四年一户十四日"], date(2024, 1, 14)),  # 月 misread
        (["岚田川市兰柳县人民政府", "2)11 年 4 月 21 日"], date(2011, 4, 21)),  # the year's 0
        (["金川综合保税区管理委员会", '"二 O=O 年二月七日'], date(2020, 2, 7)),  # 二 read =
        (["德丰新市市场监督管理局", "二 O@ 二一年四局二计八日"], date(2021, 4, 28)),  # 十 read 计
        (["汉桐高新技术产业开发区管理委员会", '"O 一三年二月八日'], date(2013, 2, 8)),  # 二 lost
        (["永宁区人民政府", "2020 年]月 25 唱"], date(2020, 1, 25)),  # 1 read as a bracket
        (["二〇二三年三月三十一日"], date(2023, 3, 31)),  # 23 or 24: a seal's stroke read as a digit
        # … but never a sentence that ends in a date, and a date line alone comes first
        (["我局将继续做好政府信息公开工作，截至2021年3月31日"], None),
        (["本报告所列数据的统计期限自2020年1月1日起至"], None),
        (["2013 年 1 月 16 日", "附件2021年3月5号"], date(2013, 1, 16)),
    ],
)
def test_a_closing_date_as_ocr_reads_it(closing: list[str], published: date | None) -> None:
    from pipeline.outline.dates import read_closing_date

    assert read_closing_date(closing) == published
    assert closing_date(closing) in (None, published)  # the strict reading finds the date line alone


def test_metadata_block_date() -> None:
    lines = [
        "索引号：503836817C/2012-95957 发布机构：XX区人民政府",
        "发布日期：2012-03-03 主题分类：政府信息公开年报",
    ]
    assert preamble_date(lines) == date(2012, 3, 3)
    # a block that gives the date it was written above the date it was published: the published
    lines = ["索引号：293108900K/2009-45817 成文日期：2009-03-26", "发布日期：2009-03-27"]
    assert preamble_date(lines) == date(2009, 3, 27)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("一、总体情况", "overview"),
        ("一、 概述", "overview"),
        ("三、收到和处理政府信息公开申请情况", "requests"),
        ("三、政府信息依申请公开工作情况", "requests"),
        ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation"),
        ("七、复议诉讼申诉情况", "review_litigation"),
        ("五、政府信息公开的收费及减免情况", "fees"),
        ("五、存在的主要问题及改进情况", "problems"),
        ("五、主要问题和改进措施", "problems"),
        ("六、其他需要报告的事项", "other"),
        ("六、政府信息公开情况统计表", "statistics"),
    ],
)
def test_section_kinds(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("三、政府信息公开平台建设情况", "platforms"),
        ("四、政策解读与回应社会关切情况", "interpretation"),
        ("二、加强组织领导", "management"),
        ("八、制度建设情况", "management"),
        ("九、建议", "unknown"),
    ],
)
def test_more_section_kinds(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


def test_office_and_year_when_the_title_names_neither() -> None:
    from pipeline.outline.fields import period_year, preamble_office, signature_office

    assert title_to_office_year("2019年政府信息公开工作年度报告") == (None, 2019)
    assert title_to_office_year("政府信息公开工作年度报告") == (None, None)
    assert (
        signature_office(["全年收取费用0元。", "XX县人民政府办公室", "2020年1月15日"]) == "XX县人民政府办公室"
    )
    assert signature_office(["全年收取费用0元。", "2020年1月15日"]) is None
    assert (
        preamble_office(["索引号：123/2020-1 发布机构：XX市财政局", "发布日期：2020-01-20"]) == "XX市财政局"
    )
    intro = "本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。"
    assert period_year([intro]) == 2019
    # the period's start garbled under a photocopy's toner patch: its end tells the year
    assert period_year(["报告所列数据的统计期限自 20 王芋 3 朋 1 日起至 2013 年 12 月 31 日止。"]) == 2013
    assert period_year(["截至2013年12月31日，累计公开信息2248条。"]) is None  # no period: a count's date
    # seed-229 photocopies: a speck read before the end's 日; the end garbled, the start whole
    assert period_year(["统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 有日止。"]) == 2023
    assert period_year(["统计期限自 2020 年 1 月 1 日起至 2020 年 12 月 3 日烤。"]) == 2020
    assert period_year(["2020年1月1日，我县召开会议。"]) is None  # a date, no period


def test_a_heading_whose_numeral_ocr_lost_takes_the_next_number() -> None:
    from pipeline.outline.segment import _lost_numeral

    assert _lost_numeral("、收到和处理政府信息公开申请情况", 2) == ("三、", "收到和处理政府信息公开申请情况")
    assert _lost_numeral("、我局认真做好政策解读工作", 2) is None  # no section named: a sentence
    assert _lost_numeral("、收到和处理政府信息公开申请情况", 0) is None  # no heading before it
    # the 、 lost instead (a wide gap after it): the numeral must be the next in sequence
    assert _lost_numeral("三主动公开政府信息的情况", 2) == ("三、", "主动公开政府信息的情况")
    assert _lost_numeral("三主动公开政府信息的情况", 3) is None
    assert _lost_numeral("三是主动公开政府信息的情况", 2) is None
    assert _lost_numeral("三年来主动公开政府信息的情况", 2) is None
    # the numeral misread as another character (丸 for 九), or the first heading's 、 lost and a
    # character of its words misread (情疯): the wording as the standard one reads
    assert _lost_numeral("丸、其他需要报告的事项", 8) == ("九、", "其他需要报告的事项")
    assert _lost_numeral("丸、其他需要报告的事项", 7) == ("八、", "其他需要报告的事项")  # the sequence's
    assert _lost_numeral("丸、我局认真做好政策解读工作", 8) is None
    assert _lost_numeral("一总体情疯", 0) == ("一、", "总体情况")
    assert _lost_numeral("二)依申请公开情况。2019年，我县…", 1) is None  # a level-2 heading's （ lost
    assert _lost_numeral("四政府信息公开行政复议,行政诉讼情况", 3) == (
        "四、",
        "政府信息公开行政复议、行政诉讼情况",
    )


@pytest.mark.parametrize(
    ("line", "last", "found"),
    [
        # phone photos: junk OCR read off specks or a rule's remains on the heading's line
        (
            "和和四、政府信息公开行政复议、行政诉讼情况淹二|了",
            3,
            ("四、", "政府信息公开行政复议、行政诉讼情况"),
        ),
        ("0下六、其他需要报告的事项本全 20", 5, ("六、", "其他需要报告的事项本全20")),
        ("|下| 五、存在的主要问题及改进情况我区政府信", 4, ("五、", "存在的主要问题及改进情况我区政府信")),
        ("和和四、政府信息公开行政复议、行政诉讼情况", 4, None),  # not the next number
        ("第四、五条规定", 3, None),  # no section named
        ("工作。四、存在的问题和改进措施", 3, None),  # a sentence before it
        ("四、主动公开情况", 3, None),  # no junk: numbering_of's business
        ("我局全年四、主动公开情况", 3, None),  # more before it than junk
    ],
)
def test_a_heading_read_with_junk_on_its_line_is_found(
    line: str, last: int, found: tuple[str, str] | None
) -> None:
    from pipeline.outline.segment import _after_junk

    assert _after_junk(line, last) == found


def test_office_when_ocr_misreads_the_last_word_of_the_title() -> None:
    assert title_to_office_year("南远省人民政府办公厅2021年度政府信息公开工作年度报千") == (
        "南远省人民政府办公厅",
        2021,
    )


def _page(texts: list[tuple[float, str]]) -> Page:
    """One page of lines (left edge, text), 20 pt apart, 14 pt print, 28 characters a line."""
    lines = tuple(
        Line(text, BBox(x0, 80.0 + 20 * i, min(x0 + 14 * len(text), 510.0), 94.0 + 20 * i), 14.0, ())
        for i, (x0, text) in enumerate(texts)
    )
    return Page(1, 595.0, 842.0, lines, (), "ocr", sum(len(t) for _, t in texts), "no_text_layer")


def _level1_headings(page: Page) -> list[str]:
    """The level-1 headings the outline of a one-page document finds."""
    return [s.heading for s in document_to_outline(Document((page,), ())).sections if s.level == 1]


def test_a_section_heading_is_found_when_ocr_lost_the_one_before_it() -> None:
    # OCR read "二、主动公开政府信息情况" as "、主动公开政府信息情况必"; then 三、
    # follows a line that ends mid-sentence at the margin, with no indent of its own
    page = _page(
        [
            (200.0, "某区人民政府2022年政府信息公开工作年度报告"),
            (64.0, "一、总体情况"),
            (92.0, "2022年，我区认真贯彻落实《条例》，不断提升政务公开质量和实效，主"),
            (64.0, "动公开各类信息一千余条。"),
            (64.0, "、主动公开政府信息情况必"),
            (92.0, "全年共主动公开政府信息一千一百一十六条，其中通过政府网站公开的信息"),
            (64.0, "三、收到和处理政府信息公开申请情况"),
            (92.0, "本年度共收到申请七件，均已按时答复。"),
        ]
    )
    headings = _level1_headings(page)
    # (二、 itself is found too: its words are a standard heading's with a speck read after them)
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_a_section_heading_is_found_when_ocr_lost_the_two_before_it() -> None:
    # a photocopy: 二、 read "11 ` 主动公开政府信息情况" and 三、 lost with its numeral; a skip of
    # two is no heading's by number alone, but 四、 names a known section
    page = _page(
        [
            (200.0, "某乡人民政府2019年政府信息公开工作年度报告"),
            (64.0, "一、总体情况"),
            (92.0, "2019年，我乡认真贯彻落实《条例》，不断提升政务公开质量和实效。"),
            (64.0, "11 ` 主动公开政府信息情况"),
            (92.0, "全年共主动公开政府信息一千一百一十六条。"),
            (64.0, "四、政府信息公开行政复议、行政诉讼情况"),
            (92.0, "本年度未发生行政复议、行政诉讼。"),
            (64.0, "七、加强组织领导，落实工作责任"),
            (92.0, "本乡将继续做好政府信息公开工作。"),
        ]
    )
    headings = _level1_headings(page)
    assert headings == [
        "一、总体情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]  # 七、… names no known section


def _sized_page(lines: list[tuple[float, str]]) -> Page:
    """One page of lines (print size, text) at the left margin, 24 pt apart."""
    out = tuple(
        Line(text, BBox(64.0, 80.0 + 24 * i, 64.0 + size * len(text), 80.0 + 24 * i + size), size, ())
        for i, (size, text) in enumerate(lines)
    )
    return Page(1, 595.0, 842.0, out, (), "text", sum(len(t) for _, t in lines), "text_layer_ok")


INTRO = [
    (11.0, "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布"),
    (11.0, "本报告所列数据的统计期限自2012年1月1日起至2012年12月31日止。"),
    (11.0, "如对本报告有疑问，请与兴乐市市场监督管理局办公室联系（地址：兴乐市七路34号）"),
    (15.0, "一、总体情况"),
    (11.0, "在日常工作中，我局围绕城乡建设、就业创业等领域，及时公开通知公告。"),
]


def test_a_title_wrapped_with_a_one_character_orphan_is_the_title() -> None:
    page = _sized_page(
        [(18.0, "兴乐市市场监督管理局"), (18.0, "2012年度政府信息公开工作年度报"), (18.0, "告"), *INTRO]
    )
    outline = document_to_outline(Document((page,), ()))
    assert (outline.title or "").replace(" ", "") == "兴乐市市场监督管理局2012年度政府信息公开工作年度报告"
    assert title_to_office_year(outline.title) == ("兴乐市市场监督管理局", 2012)


@pytest.mark.parametrize(
    "sizes",
    [(11.0, 11.0, 11.0), (12.9, 13.8, 16.0)],  # a browser's ink boxes make some sentence lines "large"
)
def test_no_title_when_the_report_starts_with_its_body(sizes: tuple[float, float, float]) -> None:
    """A report printed from a web page without its title: neither a sentence of the introduction
    (however large its line's box) nor the first heading is taken for the title."""
    intro = [(size, text) for size, (_, text) in zip(sizes, INTRO, strict=False)] + INTRO[3:]
    outline = document_to_outline(Document((_sized_page(intro),), ()))
    assert outline.title is None
    assert [s.heading for s in outline.sections if s.level == 1] == ["一、总体情况"]


@pytest.mark.parametrize(
    ("paragraph", "office"),
    [
        # the contact names the short form, the compiler the full one: the fuller name wins
        (
            "本报告由松桐市海德区人民政府根据《条例》编制。如对本报告有疑问，请与海德区人民政府办公室联系。",
            "松桐市海德区人民政府",
        ),
        # the contact is a party office (no name of the government): the announcement names it
        (
            "特向社会公布2015年度兰通市滨北川镇人民政府政府信息公开年度报告。请与滨北川镇党政办公室联系。",
            "兰通市滨北川镇人民政府",
        ),
        ("特向社会公布2015年度兰通市财政局政府信息公开年度报告。", "兰通市财政局"),
        # the contact abbreviates the name the announcement gives (管委会 for 管理委员会)
        (
            "特向社会公布2020年度坪泰市开榆综合保税区管理委员会政府信息公开年度报告。"
            "如对本报告有疑问，请与开榆综合保税区管委会办公室联系。",
            "坪泰市开榆综合保税区管理委员会",
        ),
        # a longer name that is no fuller form of the first is not taken
        (
            "本报告由海德区人民政府根据《条例》编制。特向社会公布2015年度松桐市德川区人民政府政府信息公开年度报告。",
            "海德区人民政府",
        ),
    ],
    ids=["fuller-name-later", "announcement", "bureau", "abbreviated", "other-office"],
)
def test_office_from_the_body_of_a_report_without_a_title(paragraph: str, office: str) -> None:
    from pipeline.outline.fields import body_office

    assert body_office([paragraph]) == office


def test_a_metadata_line_above_the_title_is_no_part_of_it() -> None:
    page = _sized_page(
        [
            (18.0, "2021年02月08日来源:泽定县金泽寿乡人民政府"),
            (18.0, "泽定县金泽寿乡人民政府"),
            (18.0, "2020年政府信息公开工作年度报告"),
            *INTRO,
        ]
    )
    outline = document_to_outline(Document((page,), ()))
    assert (outline.title or "").replace(" ", "") == "泽定县金泽寿乡人民政府2020年政府信息公开工作年度报告"
    assert preamble_date(outline.preamble_lines) == date(2021, 2, 8)


@pytest.mark.parametrize(
    ("first", "second", "heading"),
    [
        (
            "五、因政府信息公开申请提起行政复议、行政诉讼和申诉的",
            "情况全年我区共更新公开目录48次，各项工作有序推进。",
            "情况",
        ),
        (
            "五、因政府信息公开申请提起行政复议、行政诉讼和申诉的",
            "情况　全年我镇共参加培训人员50人次，营造了良好氛围。",
            "情况",
        ),
    ],
    ids=["no-gap", "full-width-gap"],
)
def test_a_wrapped_heading_ends_where_the_text_runs_in_on_its_next_line(
    first: str, second: str, heading: str
) -> None:
    page = _page(
        [
            (120.0, "某区人民政府2015年政府信息公开工作年度报告"),
            (64.0, "四、政府信息公开的收费及减免情况"),
            (92.0, "本年度我区未收取费用，各项工作有序推进，无减免。"),
            (64.0, first),  # 26 characters of 14 pt from 64: up to the 428 pt margin
            (64.0, second),
            (64.0, "六、主要问题和改进措施"),
        ]
    )
    headings = _level1_headings(page)
    assert headings[1] == first + heading


def test_a_run_in_heading_ends_before_the_office_that_speaks() -> None:
    assert split_run_in("二、加强组织领导管委会推进政务服务事项网上办理，")[0] == "二、加强组织领导"


def test_a_line_of_the_introduction_that_names_the_report_is_no_title() -> None:
    page = _sized_page(
        [
            (13.2, "2010年01月14日来源:南乐省人民政府办公厅"),
            (
                15.2,
                "根据《中华人民共和国政府信息公开条例》规定，特向社会公布2009年度政府信息公开年度报告。本",
            ),
            (14.9, "报告所列数据的统计期限自2009年1月1日起至2009年12月31"),
            (16.3, "日止。本报告的电子版可在门户网站下载。"),
            (16.3, "一、总体情况"),
        ]
    )
    assert document_to_outline(Document((page,), ())).title is None


@pytest.mark.parametrize(
    ("name", "texts", "spelt"),
    [
        # OCR misread one character of the title; the opening, the contact line and the signature agree
        (
            "至梅街道办事处",
            ["本报告由宝梅街道办事处办公室编制。", "请与宝梅街道办事处办公室联系。", "宝梅街道办事处"],
            "宝梅街道办事处",
        ),
        # one other reading against the name: a tie keeps the name
        ("至梅街道办事处", ["本报告由宝梅街道办事处办公室编制。"], "至梅街道办事处"),
        # the name printed right as often as misread: kept
        ("宝梅街道办事处", ["宝梅街道办事处", "至梅街道办事处", "至梅街道办事处"], "宝梅街道办事处"),
        # a short name is never respelt: 市政局 is another office, not a misreading of 财政局
        ("财政局", ["市政局", "市政局", "市政局"], "财政局"),
        # two characters differ in a seven-character name: another office
        ("泽定市人民政府", ["淮安市人民政府"] * 3, "泽定市人民政府"),
        # the full form of an abbreviated name is no misreading of it
        ("洪泉市竹顺工业园区管委会", ["洪泉市竹顺工业园区管理委员会"] * 3, "洪泉市竹顺工业园区管委会"),
        # OCR read the title's 县 as two characters; the other printings read it right
        (
            "明江有具和化乡人民政府",
            ["本报告由明江县和化乡人民政府编制。", "明江县和化乡人民政府"],
            "明江县和化乡人民政府",
        ),
        # … or ran the last character of the line above into the title
        (
            "府竹礼龙街道办事处",
            ["请与竹礼龙街道办事处联系", "竹礼龙街道办事处", "二〇一三年一月五日"],
            "竹礼龙街道办事处",
        ),
        # a name printed right is not shortened by the stretches inside its own printings
        ("竹礼龙街道办事处", ["请与竹礼龙街道办事处联系", "竹礼龙街道办事处"], "竹礼龙街道办事处"),
        # a stretch of another name, however often printed, is no reading of it
        ("泽定市人民政府", ["淮安市人民政府"] * 3, "泽定市人民政府"),
        # one other reading of another length: not enough
        ("明江有具和化乡人民政府", ["明江县和化乡人民政府"], "明江有具和化乡人民政府"),
        # two characters of an 11-character title misread (one in five at most, not side by side)
        (
            "江和市目然痪源和规划局",
            ["本报告由江和市自然资源和规划局办公室编制。", "江和市自然资源和规划局"],
            "江和市自然资源和规划局",
        ),
    ],
    ids=[
        "outvoted",
        "tie",
        "kept",
        "short",
        "other-office",
        "full-form",
        "one-as-two",
        "run-in",
        "own",
        "inside-other",
        "once",
        "two-in-eleven",
    ],
)
def test_an_office_is_spelt_as_most_of_its_printings_read_it(name: str, texts: list[str], spelt: str) -> None:
    from pipeline.outline.fields import agreed_spelling

    assert agreed_spelling(name, texts) == spelt


@pytest.mark.parametrize(
    ("read", "wording"),
    [
        # a character OCR misread into no word of the reports' vocabulary (与情, 角事, 请况)
        ("政策解读和与情回应情况", "政策解读和舆情回应情况"),
        ("其他需要报告角事项", "其他需要报告的事项"),
        ("政府信息公开行政复议、行政诉讼请况", "政府信息公开行政复议、行政诉讼情况"),
        # a mark misread as another mark
        (
            "因政府信息公开申请提起行政复议.行政诉讼和申诉的情况",
            "因政府信息公开申请提起行政复议、行政诉讼和申诉的情况",
        ),
        # a speck after the heading read as a character
        ("公开载体建设情况和", "公开载体建设情况"),
        # printed so, or another wording: kept as read
        ("政策解读与回应社会关切情况", None),
        ("存在问题和改进措施", None),  # 题和, 和改 are words: a variant, not a misreading
        ("政府信息公开行政复议和行政诉讼情况", None),  # a character where the wording has a mark
        ("政府信息公开工作存在的主要问题及改过情史", "政府信息公开工作存在的主要问题及改进情况"),  # 2 in 20
        ("政府倍息公开工作存在的主要问题及改过情史", None),  # three misreads in 20 characters: too many
        ("依法行政情况", None),
    ],
)
def test_a_misread_heading_is_spelt_as_the_standard_wording(read: str, wording: str | None) -> None:
    from pipeline.outline.phrasings import standard_wording

    assert standard_wording(read) == wording


def test_ocr_headings_take_the_documents_numbering_and_standard_wording() -> None:
    page = _page(
        [
            (200.0, "某区人民政府2018年政府信息公开工作年度报告"),
            (64.0, "一.概述"),  # 、 read as .
            (92.0, "2018年，我区认真贯彻落实《条例》。"),
            (64.0, "二、主动公开政府信息的情况"),
            (92.0, "全年共主动公开政府信息一千余条。"),
            (64.0, "三、政策解读和与情回应情况"),
            (92.0, "全年共发布政策解读材料三十篇。"),
            (64.0, "二四、存在问题及改进措施"),  # a speck before 四 read as 二
            (92.0, "我区政府信息公开工作仍存在一些不足。"),
        ]
    )
    headings = _level1_headings(page)
    assert headings == [
        "一、概述",
        "二、主动公开政府信息的情况",
        "三、政策解读和舆情回应情况",
        "四、存在问题及改进措施",
    ]
    # a text layer prints what it prints
    text_page = dataclasses.replace(page, method="text")
    headings = _level1_headings(text_page)
    assert headings[0] == "一.概述" and headings[2] == "三、政策解读和与情回应情况"


def test_an_office_printing_is_counted_once() -> None:
    from pipeline.outline.fields import agreed_spelling

    # the title read right, the signature misread: the signature's line is in a paragraph and
    # among the closing lines, one printing
    title = "湖昌高新技术产业开发区管理委员会"
    signature = "华泰市湖昌高新技术产业开发区管理甘员会"
    paragraphs = ["2019年，我区未收取政府信息公开信息处理费。", signature]
    assert agreed_spelling(title, paragraphs, [signature]) == title


@pytest.mark.parametrize(
    ("closing", "office"),
    [
        (
            ["| 明江县和化乡人民政府", "2014 年 3 月 6 日"],
            "明江县和化乡人民政府",
        ),  # a rule's remains before it
        (["泽远市嘉城区人民政府", "2009 年 01 月 22 纠"], "泽远市嘉城区人民政府"),  # its date's 日 misread
        (["全年共收取费用0元。", "泽远市嘉城区人民政府", "附2009年01月22日的说明"], None),
    ],
)
def test_the_signature_as_ocr_reads_it(closing: list[str], office: str | None) -> None:
    from pipeline.outline.fields import signature_office

    assert signature_office(closing) == office


def test_ocr_headings_run_into_the_line_before_or_numbered_as_junk() -> None:
    page = _page(
        [
            (200.0, "某区人民政府2020年政府信息公开工作年度报告"),
            (64.0, "eg 总体情况"),  # 一、 read as Latin junk
            (92.0, "2020年，我区认真贯彻落实《条例》，全年共主动公开政府信息一千余条，"),
            (64.0, "其中政府网站公开八百条。"),
            (64.0, "二、主动公开政府信息情况"),
            (92.0, "全年共主动公开规范性文件十二件，其中政府网站公开的信息十件，依申请公开"),
            # a phone photo's tilted lines read as one: 三、 in the middle of the line
            (64.0, "工作有序推进。三、收到和处理政府信息公开申请情况 2020 年，我区共收到申请七件。"),
            (92.0, "均已按时答复。"),
            (64.0, "[1 、政府信息公开行政复议、行政诉讼情况"),  # a bold 四、 on a photocopy
            (92.0, "本年度无行政复议、行政诉讼案件。"),
            (64.0, "、存在的主要问题及改进情况"),  # 五 lost
        ]
    )
    headings = _level1_headings(page)
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
    ]
    # the same lines from a text layer: a sentence that lists headings is no heading
    # (junk before a heading is read only off an OCR page; a lone 、 before a known section's words
    # is the next number on any page)
    text_page = dataclasses.replace(page, method="text")
    headings = _level1_headings(text_page)
    assert headings == ["二、主动公开政府信息情况", "三、存在的主要问题及改进情况"]


@pytest.mark.parametrize(
    ("title", "paragraphs", "lines", "spelt"),
    [
        # title and signature differ in one character, once each: the signature alone reads it
        (
            "溪演潭市泽济镇人民政府",
            ["本报告由溪滨潭市泽济镇人民政府编制。", "溪滨潭市泽济镇人民政府"],
            ["溪滨潭市泽济镇人民政府", "2025 年 3 月 13 日"],
            "溪滨潭市泽济镇人民政府",
        ),
        # … but a signature that is more than the name (华泰市…) is no name alone: the title stays
        (
            "湖昌高新技术产业开发区管理委员会",
            ["华泰市湖昌高新技术产业开发区管理甘员会"],
            ["华泰市湖昌高新技术产业开发区管理甘员会"],
            "湖昌高新技术产业开发区管理委员会",
        ),
    ],
    ids=["signature", "signature-with-more"],
)
def test_a_tie_over_an_offices_character_goes_to_the_signature(
    title: str, paragraphs: list[str], lines: list[str], spelt: str
) -> None:
    from pipeline.outline.fields import agreed_spelling

    assert agreed_spelling(title, paragraphs, lines) == spelt


@pytest.mark.parametrize(
    ("read", "spelt"),
    [
        ("德宝区桂马镇大民政府", "德宝区桂马镇人民政府"),
        ("湾庆洪区从民政府顺沙街道办事处", "湾庆洪区人民政府顺沙街道办事处"),
        ("金川综合保税区管理雪员会", "金川综合保税区管理委员会"),
        ("明江县和化乡街道办事外", "明江县和化乡街道办事处"),
        # printed so: another word one character off, a longer word printed right, a proper name
        ("鼓楼区鼓楼街道工会", "鼓楼区鼓楼街道工会"),
        ("鼓楼街道工作委员会", "鼓楼街道工作委员会"),
        ("泉州市民政局", "泉州市民政局"),
        ("德岚市人民法院", "德岚市人民法院"),
    ],
)
def test_office_words_misread_are_respelt(read: str, spelt: str) -> None:
    from pipeline.outline.phrasings import office_words_respelt

    assert office_words_respelt(read) == spelt
