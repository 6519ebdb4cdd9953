"""Canonical table labels of the 2019 and 2021 formats, and the printed variants real reports show."""

from __future__ import annotations

import random
from dataclasses import dataclass

G3 = "三、本年度办理结果"
DENIED = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"

_HEAD_ROWS: tuple[tuple[str, ...], ...] = (
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    (G3, "（一）予以公开"),
    (G3, PARTIAL),
    *(
        (G3, DENIED, item)
        for item in (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        )
    ),
    *(
        (G3, UNAVAILABLE, item)
        for item in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    ),
    *(
        (G3, NOT_PROCESSED, item)
        for item in (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        )
    ),
)
_OTHER_2021: tuple[tuple[str, ...], ...] = (
    (G3, OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (G3, OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (G3, OTHER, "3.其他"),
)
_TAIL_ROWS: tuple[tuple[str, ...], ...] = ((G3, "（七）总计"), ("四、结转下年度继续办理",))

T3_COLS: tuple[tuple[str, ...], ...] = (
    ("自然人",),
    ("法人或其他组织", "商业企业"),
    ("法人或其他组织", "科研机构"),
    ("法人或其他组织", "社会公益组织"),
    ("法人或其他组织", "法律服务机构"),
    ("法人或其他组织", "其他"),
    ("总计",),
)
T4_GROUPS: tuple[tuple[str, ...], ...] = (
    ("行政复议",),
    ("行政诉讼", "未经复议直接起诉"),
    ("行政诉讼", "复议后起诉"),
)
T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def t3_rows(other_subitems: bool) -> tuple[tuple[str, ...], ...]:
    """Row label paths: 2021 layout (（六） with three sub-items) or the single 2019 （六） row."""
    other = _OTHER_2021 if other_subitems else ((G3, OTHER),)
    return (*_HEAD_ROWS, *other, *_TAIL_ROWS)


def join(path: tuple[str, ...]) -> str:
    return " / ".join(path)


@dataclass(frozen=True)
class T2Section:
    item: str  # （一）
    cols: tuple[str, ...]
    rows: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"第二十条第{self.item}项"


T2_2021 = (
    T2Section("（一）", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    T2Section("（五）", ("本年处理决定数量",), ("行政许可",)),
    T2Section("（六）", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    T2Section("（八）", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
T2_2019 = (
    T2Section("（一）", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    T2Section(
        "（五）", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")
    ),
    T2Section("（六）", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
    T2Section("（八）", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
    T2Section("（九）", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)

# label typos seen in real reports (or of the same kind): canonical leaf -> printed
TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "5.属于三类内部事务信息": "5.属于三类内部事物信息",
    "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府信",
    "3.补正后申请内容仍不明确": "3.补正后申请内容仍不明",
}


@dataclass(frozen=True)
class LabelStyle:
    """How one report prints its table labels."""

    item_sep: str  # "." or "、" or "．" after item numbers in t3
    space_t2_heading: bool  # 第二十条 第（一）项
    stray_space_rate: float  # chance a long t3 label gets a stray space
    typo: str | None  # canonical leaf printed with a typo
    spaced_total: bool  # t4 header 总 计
    t3_note_text: bool  # print the 勾稽关系 note in the t3 corner cell


def draw_label_style(rng: random.Random) -> LabelStyle:
    return LabelStyle(
        item_sep=rng.choices((".", "、", "．"), weights=(7, 2, 1))[0],
        space_t2_heading=rng.random() < 0.3,
        stray_space_rate=rng.choice((0.0, 0.0, 0.15, 0.3)),
        typo=rng.choice(tuple(TYPOS)) if rng.random() < 0.12 else None,
        spaced_total=rng.random() < 0.25,
        t3_note_text=rng.random() < 0.7,
    )


def printed_leaf(rng: random.Random, leaf: str, style: LabelStyle) -> str:
    """The t3 row label as this report prints it (numbering, typo, stray space)."""
    text = TYPOS[leaf] if style.typo == leaf else leaf
    if len(text) > 2 and text[0].isdigit() and text[1] == ".":
        text = text[0] + style.item_sep + text[2:]
    if len(text) >= 8 and rng.random() < style.stray_space_rate:
        cut = rng.randint(3, len(text) - 2)
        text = text[:cut] + " " + text[cut:]
    return text


def t2_heading(section: T2Section, style: LabelStyle) -> str:
    return f"第二十条 第{section.item}项" if style.space_t2_heading else section.heading


# header labels as OCR or a typist misprints them, one character changed (same length, so a label broken over
# lines keeps its break): table -> canonical -> printed. The header_garbled loss prints one of them wrong.
GARBLED: dict[str, dict[str, str]] = {
    "t3": {
        "申请人情况": "中请人情况",
        "自然人": "昌然人",
        "法人或其他组织": "法入或其他组织",
        "商业企业": "商业企亚",
        "科研机构": "科研机枸",
        "社会公益组织": "社会公益纽织",
        "法律服务机构": "法律服务机枸",
    },
    "t4": {
        "行政复议": "行政复以",
        "行政诉讼": "行政拆讼",
        "未经复议直接起诉": "末经复议直接起诉",
        "复议后起诉": "复议后起拆",
        "结果维持": "结果维特",
        "结果纠正": "结果纠止",
        "其他结果": "其他结杲",
        "尚未审结": "尚末审结",
    },
    "t2": {
        "信息内容": "信息内客",
        "本年制发件数": "本年制友件数",
        "本年废止件数": "本年废上件数",
        "现行有效件数": "现行有效件教",
        "本年处理决定数量": "本年处埋决定数量",
        "处理决定数量": "处埋决定数量",
        "本年新制作数量": "本年新制怍数量",
        "本年新公开数量": "本年新公开数重",
        "对外公开总数量": "对外公开总数重",
        "上一年项目数量": "上一年项日数量",
        "采购项目数量": "采购项日数量",
        "采购总金额": "采购总金颔",
        "本年收费金额（单位：万元）": "本年收费金颔（单位：万元）",
    },
    "统计表": {
        "指标名称": "指标名祢",
        "计量单位": "计量单亿",
        "历年累计": "历年紧计",
        "本年度": "本年庋",
    },
}
