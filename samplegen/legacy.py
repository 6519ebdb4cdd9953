"""The pre-2019 narrative outline (format 2008): 4-12 varied sections, prose figures, the 统计表 appendix."""

from __future__ import annotations

import random
from dataclasses import dataclass

from samplegen import phrases, prose
from samplegen.grid import TableLook, appendix_grid
from samplegen.model import Appendix, Block, Body, Heading, Para, ProseFact, Table, TruthCell
from samplegen.phrases import cn_number

# (kind, heading variants, chance the section is printed)
SECTIONS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("overview", ("概述", "基本情况", "政府信息公开工作概述", "总体情况", "政府信息公开工作基本情况"), 1.0),
    ("organization", ("政府信息公开工作组织领导情况", "加强组织领导", "组织机构建设情况"), 0.35),
    ("proactive", ("主动公开政府信息情况", "主动公开政府信息的情况", "政府信息主动公开情况"), 1.0),
    ("platforms", ("政府信息公开平台建设情况", "公开载体建设情况"), 0.3),
    ("interpretation", ("政策解读与回应社会关切情况", "政策解读和舆情回应情况"), 0.3),
    (
        "requests",
        (
            "依申请公开政府信息情况",
            "政府信息依申请公开工作情况",
            "依申请公开政府信息和不予公开政府信息的情况",
        ),
        0.9,
    ),
    ("fees", ("政府信息公开的收费及减免情况", "政府信息公开收费及减免情况"), 0.6),
    (
        "contested",
        (
            "因政府信息公开申请行政复议、提起行政诉讼的情况",
            "复议诉讼申诉情况",
            "因政府信息公开申请提起行政复议、行政诉讼和申诉的情况",
        ),
        0.65,
    ),
    ("institutions", ("政府信息公开保障措施", "制度建设情况"), 0.3),
    (
        "problems",
        ("政府信息公开工作存在的主要问题及改进情况", "存在问题及改进措施", "主要问题和改进措施"),
        1.0,
    ),
    ("other", ("其他需要报告的事项",), 0.4),
)
SUBHEADS = {
    "overview": ("加强组织领导", "健全工作制度", "强化平台建设", "做好政策解读", "回应社会关切"),
    "proactive": ("主动公开政府信息的数量", "主动公开政府信息的主要类别", "主动公开政府信息的主要形式"),
    "requests": ("依申请公开政府信息的数量", "申请方式", "答复情况"),
    "problems": ("存在的问题", "改进措施"),
}


@dataclass(frozen=True)
class Ctx:
    office: str
    year: int
    we: str
    space_after_dun: bool  # 一、 概述
    run_in: float  # chance a level-1 heading runs into its paragraph
    sub_style: str  # 1. or 1、
    verbosity: int  # 0-3: extra paragraphs per section


def build(rng: random.Random, ctx: Ctx, figures: prose.Figures, look: TableLook) -> Body:
    kinds = [k for k, _, p in SECTIONS if rng.random() < p]
    if len(kinds) < 4:
        kinds = ["overview", "proactive", "requests", "problems"]
    with_appendix = rng.random() < 0.7
    as_section = with_appendix and rng.random() < 0.4
    stated: dict[str, list[prose.Stated]] = {k: [] for k in kinds}
    ns = prose.draw_number_style(rng)
    stated["proactive"].append(prose.proactive(rng, figures, ctx.we, ctx.year, ns))
    if rng.random() < 0.5:
        stated["proactive"].append(prose.visits(rng, figures, ctx.year))
    home = "requests" if "requests" in kinds else "proactive"
    stated[home].append(prose.requests(rng, figures, ctx.we, ctx.year, ns))
    if "fees" in kinds or rng.random() < 0.5:
        stated["fees" if "fees" in kinds else home].append(prose.fees(rng, figures, ctx.we, ctx.year))
    if "contested" in kinds or rng.random() < 0.6:
        stated["contested" if "contested" in kinds else home].append(
            prose.contested(rng, figures, ctx.we, ctx.year, ns)
        )
    blocks: list[Block] = []
    headings: list[str] = []
    facts: list[ProseFact] = []
    names = [rng.choice(v) for k, v, _ in SECTIONS if k in kinds]
    if as_section:
        names.append("政府信息公开情况统计表")
    for i, name in enumerate(names):
        heading = f"{cn_number(i + 1)}、{' ' if ctx.space_after_dun else ''}{name}"
        headings.append(heading)
        if i < len(kinds):
            kind = kinds[i]
            for _, fs in stated[kind]:
                facts.extend(fs)
            blocks.extend(_section(rng, ctx, kind, heading, [s for s, _ in stated[kind]]))
        else:
            blocks.append(Heading(heading, 1))
    appendix, app_blocks, dq = (
        (None, (), ())
        if not with_appendix
        else _appendix(rng, ctx, figures, look, headings[-1] if as_section else None)
    )
    if as_section:
        blocks.extend(app_blocks)
        app_blocks = ()
    notes = (
        [f"a {ctx.year} report in the pre-2019 narrative outline (no 2019/2021 tables)"]
        if ctx.year > 2018
        else []
    )
    return Body(
        tuple(blocks), tuple(app_blocks), tuple(headings), (), tuple(facts), appendix, tuple(notes), dq
    )


def _section(rng: random.Random, ctx: Ctx, kind: str, heading: str, figures: list[str]) -> list[Block]:
    body = [*figures, phrases.paragraph(rng, ctx.we, ctx.year)] if figures else [_filler(rng, ctx, kind)]
    if figures and rng.random() < 0.4:
        body.insert(0, phrases.counted_sentence(rng, ctx.we, ctx.year)[0])
    out: list[Block] = []
    subs = SUBHEADS.get(kind, ())
    first = "".join(body) if not subs or rng.random() < 0.5 else ""
    if rng.random() < ctx.run_in and first:
        out.append(Para(first, lead=heading + rng.choice((" ", "", "　"))))
    else:
        out.append(Heading(heading, 1))
        if first:
            out.append(Para(first))
    if not first:
        out.extend(_subsections(rng, ctx, subs, body))
    out.extend(Para(phrases.paragraph(rng, ctx.we, ctx.year)) for _ in range(rng.randint(0, ctx.verbosity)))
    return out


def _subsections(rng: random.Random, ctx: Ctx, subs: tuple[str, ...], body: list[str]) -> list[Block]:
    out: list[Block] = []
    chosen = subs[: rng.randint(2, len(subs))]
    texts = [body[0] if body else "", *body[1:]]
    for j, sub in enumerate(chosen):
        text = texts[j] if j < len(texts) else phrases.paragraph(rng, ctx.we, ctx.year, 1)
        if j == len(chosen) - 1 and j + 1 < len(texts):
            text += "".join(texts[j + 1 :])
        label = f"（{cn_number(j + 1)}）{sub}"
        style = rng.random()
        if style < 0.4:
            out.append(Heading(label, 2))
            out.append(Para(text or phrases.paragraph(rng, ctx.we, ctx.year, 1)))
        elif style < 0.8:
            out.append(Para(text or phrases.paragraph(rng, ctx.we, ctx.year, 1), lead=label + "。"))
        else:
            out.append(Heading(label, 2))
            for n in range(1, rng.randint(2, 3) + 1):
                item = f"{n}{ctx.sub_style}{phrases.paragraph(rng, ctx.we, ctx.year, 1)}"
                out.append(Para(item if n > 1 else item + text))
            if rng.random() < 0.3:
                out.append(Para(f"（1）{phrases.paragraph(rng, ctx.we, ctx.year, 1)}"))
    return out


def _filler(rng: random.Random, ctx: Ctx, kind: str) -> str:
    if kind == "problems":
        return phrases.problems_paragraph(rng, ctx.we)
    if kind == "other":
        return rng.choice(
            (
                "无其他需要报告的事项。",
                "本年度无其他需要报告的事项。",
                phrases.paragraph(rng, ctx.we, ctx.year, 1),
            )
        )
    return phrases.paragraph(rng, ctx.we, ctx.year)


# 统计表 rows: label variants, unit, figure, parent figure ("" for a top-level row), chance it is printed
APPENDIX_ROWS: tuple[tuple[tuple[str, ...], str, str, str, float], ...] = (
    (("主动公开信息数", "主动公开文件数", "主动公开政府信息数"), "条", "proactive", "", 1.0),
    (("网站公开", "政府网站公开数"), "条", "web", "proactive", 1.0),
    (("政府公报公开", "政府公报公开数"), "条", "bulletin", "proactive", 0.8),
    (("受理依申请公开信息总数", "受理申请总数"), "条", "requests", "", 1.0),
    (("当面申请数",), "条", "face", "requests", 1.0),
    (("传真申请数",), "条", "fax", "requests", 0.6),
    (("电子邮件申请数",), "条", "mail", "requests", 0.6),
    (("网上申请数",), "条", "online", "requests", 1.0),
    (("信函申请数",), "条", "letter", "requests", 0.6),
    (("其它形式申请数", "其他形式申请数"), "条", "other", "requests", 0.6),
    (("对申请的答复总数", "对申请的答复数"), "条", "answered", "", 1.0),
    (("同意公开答复数",), "条", "granted", "answered", 1.0),
    (("同意部分公开答复数",), "条", "partial", "answered", 1.0),
    (("否决公开答复数", "不予公开答复数"), "条", "denied", "answered", 1.0),
    (("行政复议数",), "件", "review", "", 1.0),
    (("行政诉讼数",), "件", "litigation", "", 1.0),
    (("行政申诉数", "申诉数"), "件", "appeal", "", 0.7),
    (("收费（元）", "收取费用"), "元", "fees", "", 0.5),
)


def split_total(rng: random.Random, total: int, n: int) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _appendix_values(rng: random.Random, top: dict[str, int], keys: list[str]) -> dict[str, int]:
    """Figures of the printed rows from the top-level ones; the printed sub-items of a row add up to it."""
    values = dict(top)
    for parent in ("proactive", "requests", "answered"):
        subs = [k for k, p in _PARENT.items() if p == parent and k in keys]
        if parent == "proactive" and len(subs) == 2:
            bulletin = rng.choice((0, 0, rng.randint(0, top[parent] // 10)))
            parts = [top[parent] - bulletin, bulletin]
        else:
            parts = split_total(rng, top[parent], len(subs))
        values.update(zip(subs, parts, strict=True))
    return values


def _figures_and_cumulative(
    rng: random.Random, f: prose.Figures, year: int, keys: list[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """This year's figures and 历年累计 (this year plus earlier years, split the same way)."""
    top = {
        "proactive": f.proactive,
        "requests": f.requests,
        "answered": f.answered,
        "review": f.review,
        "litigation": f.litigation,
        "appeal": f.appeal,
        "fees": int(f.fees),
    }
    earlier = {k: 0 if year == 2008 else rng.choice((0, rng.randint(0, 5 * v + 10))) for k, v in top.items()}
    earlier["answered"] = min(earlier["answered"], earlier["requests"])
    now, before = _appendix_values(rng, top, keys), _appendix_values(rng, earlier, keys)
    return now, {k: v + before[k] for k, v in now.items()}


_PARENT = {row[2]: row[3] for row in APPENDIX_ROWS}


def _appendix(
    rng: random.Random, ctx: Ctx, f: prose.Figures, look: TableLook, section_title: str | None
) -> tuple[Appendix, tuple[Block, ...], tuple[str, ...]]:
    sep = rng.choice((".", "、", "．"))
    cur = rng.choice((f"{ctx.year}年度", "本年度", f"{ctx.year}年"))
    header = ("指标名称", "计量单位", cur, "历年累计")[: 4 if rng.random() < 0.9 else 3]
    req_unit = rng.choice(("条", "件"))
    keep = [row for row in APPENDIX_ROWS if rng.random() < row[4]]
    values, cumulative = _figures_and_cumulative(rng, f, ctx.year, [row[2] for row in keep])
    rows: list[tuple[str, ...]] = []
    cells: list[TruthCell] = []
    dq: list[str] = []
    number = 0
    for labels, unit, key, parent, _ in keep:
        number = number + 1 if parent else 0
        label = rng.choice(labels)
        if parent:
            label = f"{'其中：' if number == 1 else ''}{number}{sep}{label}"
        value = values[key]
        if key == "proactive" and rng.random() < 0.05:
            value += rng.randint(1, 30)
            dq.append(f"统计表 {label} {value} != prose 主动公开政府信息 {f.proactive}")
        cum = cumulative[key] + value - values[key]
        unit = (
            req_unit if unit == "条" and (key == "requests" or parent in ("requests", "answered")) else unit
        )
        printed = (label, unit, str(value), str(cum))[: len(header)]
        rows.append(printed)
        cells.extend(
            TruthCell("统计表", label, col, v) for col, v in zip(header[1:], printed[1:], strict=True)
        )
    prefix = rng.choice(("附件：", "附件1：", "附表："))
    title = section_title or f"{prefix}{ctx.office}{ctx.year}年政府信息公开情况统计表"
    grid = appendix_grid(rng, header, tuple(rows), look)
    blocks: tuple[Block, ...] = (Table(grid, caption=title if section_title is None else ""),)
    return Appendix(title, header, tuple(cells)), blocks, tuple(dq)
