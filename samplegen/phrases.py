"""Chinese numerals, dates and generic filler sentences built from phrase lists."""

from __future__ import annotations

import datetime as dt
import random

DIGITS = "〇一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_number(n: int, two: bool = False) -> str:
    """0-9999 in Chinese numerals: 12 -> 十二, 105 -> 一百零五, 2 -> 两 if two."""
    if n < 0 or n > 9999:
        raise ValueError(n)
    if n == 2 and two:
        return "两"
    if n < 10:
        return DIGITS[n] if n else "零"
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out, zero, started = "", False, False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            out += ("零" if zero and started else "") + DIGITS[d] + name
            zero, started = False, True
        elif started:
            zero = True
    if n:
        out += ("零" if zero else "") + DIGITS[n]
    return out


def cn_year(year: int) -> str:
    """2018 -> 二〇一八."""
    return "".join(DIGITS[int(d)] for d in str(year))


def fullwidth(s: str) -> str:
    return s.translate(FULLWIDTH)


def random_date(rng: random.Random, year: int, months: tuple[int, int] = (1, 3)) -> dt.date:
    month = rng.randint(*months)
    return dt.date(year, month, rng.randint(1, 28))


def format_date(rng: random.Random, d: dt.date) -> str:
    """A closing date line in one of the printed styles."""
    style = rng.choices(("arabic", "chinese", "padded"), weights=(6, 3, 1))[0]
    if style == "chinese":
        return f"{cn_year(d.year)}年{cn_number(d.month)}月{cn_number(d.day)}日"
    if style == "padded":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return f"{d.year}年{d.month}月{d.day}日"


OPENERS = (
    "{y}年，{we}坚持以公开为常态、不公开为例外，",
    "{y}年以来，{we}认真贯彻落实《中华人民共和国政府信息公开条例》，",
    "在上级部门的指导下，{we}",
    "{we}高度重视政府信息公开工作，",
    "为进一步提高行政工作透明度，{we}",
    "对照年度工作要点，{we}",
    "按照全面推进政务公开的总体要求，{we}",
    "围绕中心工作，{we}",
    "结合工作实际，{we}",
    "以群众需求为导向，{we}",
    "在日常工作中，{we}",
    "",
)
ACTIONS = (
    "进一步健全政府信息公开工作机制",
    "不断拓宽政府信息公开渠道",
    "扎实推进重点领域信息公开",
    "严格落实政府信息公开保密审查制度",
    "加强政府网站信息发布管理",
    "及时调整政府信息公开工作领导小组成员",
    "完善主动公开目录和依申请公开工作流程",
    "认真做好政策解读和回应关切工作",
    "持续规范政府信息公开指南",
    "积极推进基层政务公开标准化规范化建设",
    "强化政务新媒体日常监管",
    "组织开展业务培训和工作交流",
    "明确专人负责信息的收集、审核和发布",
    "落实信息发布“三审”制度",
    "定期开展网站栏目自查",
    "规范政府信息公开申请的受理、办理和答复",
    "加强政府信息资源的标准化管理",
    "推进政务服务事项网上办理",
)
DOMAINS = (
    "财政预决算",
    "重大建设项目",
    "公共资源配置",
    "社会公益事业",
    "教育",
    "医疗卫生",
    "生态环境",
    "食品药品监管",
    "安全生产",
    "乡村振兴",
    "就业创业",
    "社会救助",
    "征地拆迁",
    "城乡建设",
)
ITEMS = ("政策文件", "工作动态", "通知公告", "办事指南", "统计数据", "规划计划", "项目进展情况")
RESULTS = (
    "保障了人民群众的知情权、参与权和监督权",
    "政府信息公开工作取得了新的成效",
    "切实提升了政务公开的质量和实效",
    "为建设法治政府、服务型政府提供了有力支撑",
    "营造了良好的政务公开氛围",
    "各项工作有序推进",
    "群众满意度不断提升",
    "公开工作的规范化水平明显提高",
)
COUNTED = (
    ("组织政府信息公开业务培训", "次"),
    ("召开新闻发布会", "场"),
    ("发布政策解读材料", "篇"),
    ("更新公开目录", "次"),
    ("开展专项检查", "次"),
    ("办理网民留言", "件"),
    ("编印宣传资料", "份"),
    ("参加培训人员", "人次"),
)
PROBLEMS = (
    "政府信息公开的及时性有待加强",
    "公开内容的深度和广度还需进一步拓展",
    "工作人员业务水平还需进一步提高",
    "部分单位对政府信息公开工作的重视程度仍需提高",
    "依申请公开答复的规范性还有待提升",
    "政策解读的形式还不够丰富",
    "基层政务公开标准化建设仍有差距",
)
MEASURES = (
    "进一步加强组织领导，压实工作责任",
    "持续加大主动公开力度，及时发布社会关注度高的信息",
    "加强业务培训，提升工作人员的业务素质",
    "完善依申请公开工作机制，严格按照法定时限答复",
    "丰富政策解读形式，增强解读效果",
    "强化监督检查，推动各项工作落到实处",
)
ORDINALS = ("一是", "二是", "三是", "四是")


def sentence(rng: random.Random, we: str, year: int, opener: str | None = None) -> str:
    """One generic sentence: actions and a result, or a domain-disclosure sentence."""
    opener = (rng.choice(OPENERS) if opener is None else opener).format(y=year, we=we)
    if rng.random() < 0.35:
        domains = "、".join(rng.sample(DOMAINS, rng.randint(1, 3)))
        items = "、".join(rng.sample(ITEMS, rng.randint(2, 3)))
        return f"{opener or we}围绕{domains}等领域，及时公开{items}等信息，{rng.choice(RESULTS)}。"
    acts = rng.sample(ACTIONS, rng.randint(2, 3))
    return f"{opener or we}{'，'.join(acts)}，{rng.choice(RESULTS)}。"


def counted_sentence(rng: random.Random, we: str, year: int) -> tuple[str, str, int, str]:
    """A sentence with a non-headline figure; returns (sentence, label, value, unit)."""
    label, unit = rng.choice(COUNTED)
    n = rng.randint(1, 60)
    return f"全年{we}共{label}{n}{unit}，{rng.choice(RESULTS)}。", label, n, unit


def paragraph(rng: random.Random, we: str, year: int, n: int | None = None) -> str:
    """1-3 (or n) generic sentences with different openers."""
    count = n or rng.randint(1, 3)
    openers = rng.sample(OPENERS, min(count, len(OPENERS)))
    return "".join(sentence(rng, we, year, openers[i % len(openers)]) for i in range(count))


def problems_paragraph(rng: random.Random, we: str) -> str:
    probs = rng.sample(PROBLEMS, rng.randint(2, 3))
    if rng.random() < 0.5:
        probs = [f"{ORDINALS[i]}{p}" for i, p in enumerate(probs)]
    meas = rng.sample(MEASURES, rng.randint(2, 3))
    return (
        f"{we}政府信息公开工作虽然取得了一定成效，但仍存在一些不足：{'；'.join(probs)}。"
        f"下一步，{we}将{'；'.join(meas)}。"
    )
