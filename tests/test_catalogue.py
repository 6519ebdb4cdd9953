"""Printed labels → canonical keys, across the variants real reports print."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.facts import catalogue


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (["一、本年新收政府信息公开申请数量"], "new_received"),
        (["一 、本年新收政府信息\n公开申请数量"], "new_received"),
        (["三、本年度办理结果", "（一）予以公开"], "granted"),
        (["三、本年度办理结果", "（三）不予公开", "2.其他法律行政止公开"], "denied.prohibited_by_law"),
        (
            ["三、本年度办理结果", "（三）不予公开", "3.危及\u201c三安全一稳定\u201d"],
            "denied.security_stability",
        ),
        (["三、本年度办理结果", "（四）无法提供", "１．本机关不掌握相关政府信息"], "unavailable.not_held"),
        (["（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"], "not_processed.confirmation"),
        (["（六）其他处理"], "other"),
        (
            ["（六）其他处理", "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
            "other.no_correction",
        ),
        (["（六）其他处理", "3、其他"], "other.other"),
        (["（七）总计"], "total_processed"),
        (["四、结转下年度继续办理"], "carried_forward"),
        (["（三）不予公开 1.属于国家秘密"], "denied.state_secret"),
        (["三、本年度办理结果", "（六）其他处理3、其他"], "other.other"),
        # brackets OCR reads or a re-encoded font shows for （）
        (["三、本年度办理结果", "〈一）予以公开"], "granted"),
        (["三、本年度办理结果", "〔三〕不予公开", "1.属于国家秘密"], "denied.state_secret"),
        (["【四】无法提供", "3.补正后申请内容仍不明确"], "unavailable.unclear"),
        (["合计"], None),
    ],
)
def test_t3_rows(path: list[str], key: str | None) -> None:
    assert catalogue.t3_row_key(path) == key


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (["申请人情况", "自然人"], "natural_person"),
        (["申请人情况", "法人或其他组织", "商业 企业"], "commercial"),
        (["法人或其他组织", "社会公益组织"], "social_welfare"),
        (["法人或其他组织", "其他"], "other_org"),
        (["申请人情况", "总计"], "total"),
    ],
)
def test_t3_columns(path: list[str], key: str) -> None:
    assert catalogue.t3_col_key(path) == key


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        (["行政复议", "结果维持"], ("review", "maintained")),
        (["行政诉讼", "未经复议直接起诉", "尚 未审结"], ("litigation_direct", "pending")),
        (["行政诉讼", "复议后起诉", "总计"], ("litigation_after_review", "total")),
        (["", "未经复议直接起诉", "其他结果"], ("litigation_direct", "other")),
    ],
)
def test_t4(path: list[str], keys: tuple[str, str]) -> None:
    assert catalogue.t4_keys(path) == keys


@pytest.mark.parametrize(
    ("row", "col", "key", "formats"),
    [
        ("规章", "第二十条 第（一）项 / 本年制发件数", ("rules", "issued"), {"2021"}),
        ("行政规范性文件", "现行有效件数", ("normative_documents", "in_force"), {"2021"}),
        ("规范性文件", "本年新制作数量", ("normative_documents", "made"), {"2019"}),
        ("其他对外管理服务事\n项", "本年增/减", ("other_services", "change"), {"2019"}),
        ("行政事业性收费", "本年收费金额（单位：万元）", ("fees", "amount"), {"2021"}),
        ("行政事业性收费", "本年收费金额〈单位：万元）", ("fees", "amount"), {"2021"}),  # （ read 〈
        ("行政事业性收费", "本年收费金额人单位：万元）", ("fees", "amount"), {"2021"}),  # （ read 人
        ("行政事业性收费", "本年收费金额（单位；万元）", ("fees", "amount"), {"2021"}),  # ： read ；
        ("行政事业性收费", "本年收费金额（单位万万元）", ("fees", "amount"), {"2021"}),  # ： read 万
        (
            "行政事业性\ufffd费",
            "本年收\ufffd金额（单位：万元）",
            ("fees", "amount"),
            {"2021"},
        ),  # glyphs never read
        ("政府集中采购", "采购总金额", ("procurement", "amount"), {"2019"}),
        ("行政许可", "处理决定数量", ("licensing", "decisions"), {"2019"}),
        # a phone photo: a speck line under the header read as one more header level
        (
            "行政规范性文件",
            "第二十条第(一)项 / 现行有效件数 / 全",
            ("normative_documents", "in_force"),
            {"2021"},
        ),
    ],
)
def test_t2(row: str, col: str, key: tuple[str, str], formats: set[str]) -> None:
    metric = catalogue.t2_metric([row], col.split(" / "))
    assert metric is not None
    assert (metric.row, metric.col) == key
    assert set(metric.formats) == formats


T3_LEAVES = [m for m in catalogue.metrics() if m.table == "t3" and m.row != "*"]


@given(st.sampled_from(T3_LEAVES), st.data())
def test_t3_rows_survive_printing_noise(metric: catalogue.Metric, data: st.DataObject) -> None:
    """Spaces, line breaks, 、 for . and full-width forms never change the key."""
    parts = metric.row_label.split(" / ")
    noisy = []
    for part in parts:
        if data.draw(st.booleans()):
            part = part.replace(".", "、")
        if data.draw(st.booleans()):
            cut = data.draw(st.integers(min_value=0, max_value=len(part)))
            part = part[:cut] + data.draw(st.sampled_from([" ", "\n", "  "])) + part[cut:]
        noisy.append(part.replace("1", "１") if data.draw(st.booleans()) else part)
    assert catalogue.t3_row_key(noisy) == metric.row


@pytest.mark.parametrize(
    ("label", "other", "alike"),
    [("自\ufffd人", "自然人", 1.0), ("\ufffd\ufffd人", "自然人", 1.0), ("自\ufffd人", "法人", 0.4)],
)
def test_a_character_never_read_is_any_character_in_its_place(label: str, other: str, alike: float) -> None:
    assert catalogue.similarity(label, other) == pytest.approx(alike)


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("主动公开文件类", "主动公开文件数"),  # photocopies: one character misread
        ("4.信范申请数", "4.信函申请数"),  # the numbering kept as read
        ("其中: 1.当面申请数", "其中: 1.当面申请数"),  # read right: kept
        ("受理依申请公开信息总数", "受理依申请公开信息总数"),  # an office's own wording: kept
        ("主动公升文件类", "主动公升文件类"),  # two characters of seven: not respelt
        ("3.和否决公开答复数", "3.否决公开答复数"),  # a speck read as a character more
        ("2.同意部分公开答数", "2.同意部分公开答复数"),  # a character read away
        ("行政复议数", "行政复议数"),  # a wording of its own
        ("其中:1.网站公开", "其中:1.网站公开"),
    ],
)
def test_a_statistics_row_label_misread_in_a_character_is_respelt(read: str, printed: str) -> None:
    assert catalogue.legacy_row_as_printed(read) == printed


@pytest.mark.parametrize(
    ("printed", "spelt"),
    [
        ("本年庋", "本年度"),  # a glyph a text layer maps to the wrong character
        ("历年紧计", "历年累计"),
        ("计量单亿", "计量单位"),
        ("上年度", "上年度"),  # a wording of its own, a character off 本年度: never taken for it
        ("上年庋", "上年度"),
        ("2012年度", "2012年度"),  # a year as the column's name: no wording of the list
        ("历史紧计", "历史紧计"),  # two characters side by side: not respelt
    ],
)
def test_a_statistics_header_label_a_character_off_is_spelt_as_its_wording(printed: str, spelt: str) -> None:
    assert catalogue.legacy_header_as_printed(printed) == spelt


@pytest.mark.parametrize(
    ("label", "col_path", "key"),
    [
        # a photocopy: 行政规范性文件 read 和下规范; of the rows with 本年制发件数 it shares 规范
        # with 行政规范性文件, only 规 with 规章
        ("和下规范", ["第二十条第(一)项", "本年制发件数"], "normative_documents"),
        ("和下规范", [], None),  # no column: nothing to choose among
        ("行政口口", ["上一年项目数量"], None),  # 行政 is every such row's: no one row
        ("口口", ["本年制发件数"], None),
    ],
)
def test_a_garbled_t2_row_label_is_its_columns_row_sharing_most(
    label: str, col_path: list[str], key: str | None
) -> None:
    assert catalogue.t2_row([label], col_path) == key
