"""The 2019 and 2021 outlines: six standard sections with 表二, 表三 and 表四, and their truth cells."""

from __future__ import annotations

import random

from samplegen import labels, numbers, phrases, prose
from samplegen.grid import TableLook, t2_grid, t3_grid, t4_grid
from samplegen.model import Block, Body, Heading, Para, ProseFact, Table, TruthCell
from samplegen.phrases import cn_number

HEADINGS = (
    ("总体情况",),
    ("主动公开政府信息情况",),
    ("收到和处理政府信息公开申请情况",),
    ("政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"),
    ("其他需要报告的事项",),
)
OVERVIEW_SUBS = ("主动公开情况", "依申请公开情况", "政府信息管理情况", "平台建设情况", "监督保障情况")
ORG_COLS = (1, 2, 3, 4, 5)


def build(
    rng: random.Random, fmt: str, kind: str, year: int, we: str, look: TableLook, verbosity: int = 1
) -> Body:
    lstyle = labels.draw_label_style(rng)
    vstyle = numbers.draw_value_style(rng)
    other_sub = fmt == "2021" and rng.random() < 0.8
    paths = labels.t3_rows(other_sub)
    leaves = [p[-1] for p in paths[2:-2]]
    t3 = numbers.make_t3(rng, leaves, kind)
    t4 = numbers.make_t4(rng, kind)
    injected = rng.random() < 0.04
    if injected:
        t3, t4 = numbers.inject_error(rng, t3, t4)
    t3p = numbers.print_matrix(rng, t3, vstyle, ORG_COLS)
    t4p = tuple(tuple(str(v) for v in row) for row in t4)
    sections = labels.T2_2021 if fmt == "2021" else labels.T2_2019
    t2p = numbers.make_t2(rng, fmt, kind, vstyle)

    figures = prose.draw_figures(rng, kind, requests=t3[0][6])
    ns = prose.draw_number_style(rng)
    space = rng.random() < 0.12
    heads = [f"{cn_number(i + 1)}、{' ' if space else ''}{rng.choice(v)}" for i, v in enumerate(HEADINGS)]
    overview, facts = _overview(rng, figures, we, year, ns)
    overview += [Para(phrases.paragraph(rng, we, year)) for _ in range(rng.randint(0, verbosity))]
    problems = [Para(phrases.problems_paragraph(rng, we))]
    problems += [Para(phrases.paragraph(rng, we, year)) for _ in range(rng.randint(0, verbosity // 2))]
    fee_text, fee_facts = _fees(rng, fmt, figures, we, year)
    blocks: list[Block] = [
        Heading(heads[0], 1),
        *overview,
        Heading(heads[1], 1),
        Table(t2_grid(rng, sections, t2p, lstyle, look)),
        Heading(heads[2], 1),
        Table(t3_grid(rng, paths, t3p, lstyle, look)),
        Heading(heads[3], 1),
        Table(t4_grid(rng, t4p, lstyle, look)),
        Heading(heads[4], 1),
        *problems,
        Heading(heads[5], 1),
        Para(fee_text),
    ]
    cells = [*_t2_cells(sections, t2p), *_t3_cells(paths, t3p), *_t4_cells(t4p)]
    row_names = [labels.join(p) for p in paths]
    col_names = [labels.join(c) for c in labels.T3_COLS]
    groups = [labels.join(g) for g in labels.T4_GROUPS]
    dq = numbers.t3_violations(t3p, row_names, col_names) + numbers.t4_violations(t4p, groups)
    if lstyle.typo:
        dq.append(f"t3 row label printed '{labels.TYPOS[lstyle.typo]}' (for {lstyle.typo})")
    notes = _notes(fmt, other_sub, lstyle, vstyle, t3p, t2p)
    if fmt == "2019" and year >= 2021:
        notes.append(f"a {year} report still printing the 2019-format tables")
    facts = [*facts, *fee_facts]
    return Body(tuple(blocks), (), tuple(heads), tuple(cells), tuple(facts), None, tuple(notes), tuple(dq))


def _overview(
    rng: random.Random, f: prose.Figures, we: str, year: int, ns: prose.NumberStyle
) -> tuple[list[Block], list[ProseFact]]:
    pro_text, pro_facts = prose.proactive(rng, f, we, year, ns)
    req_text, req_facts = prose.requests(rng, f, we, year, ns)
    facts = [*pro_facts, *req_facts]
    if rng.random() < 0.4:
        return [Para(phrases.paragraph(rng, we, year)), Para(pro_text + req_text)], facts
    out: list[Block] = [Para(phrases.paragraph(rng, we, year, 1))]
    run_in = rng.random() < 0.6
    for i, sub in enumerate(OVERVIEW_SUBS[: rng.randint(2, 5)]):
        text = {0: pro_text, 1: req_text}.get(i, "") + phrases.paragraph(rng, we, year, rng.randint(1, 2))
        if i > 1 and rng.random() < 0.4:
            sentence, label, n, unit = phrases.counted_sentence(rng, we, year)
            text += sentence
            facts.append(ProseFact(label, str(n), unit))
        label = f"（{cn_number(i + 1)}）{sub}"
        if run_in:
            out.append(Para(text, lead=label + "。"))
        else:
            out.extend((Heading(label, 2), Para(text)))
    if len(out) < 3:  # the requests sentence must be printed
        out.append(Para(req_text))
    return out, facts


def _fees(rng: random.Random, fmt: str, f: prose.Figures, we: str, year: int) -> tuple[str, list[ProseFact]]:
    if rng.random() < (0.6 if fmt == "2021" else 0.2):
        if f.fees == 0:
            text = f"{year}年，{we}未收取政府信息公开信息处理费。"
            return text, [
                ProseFact(
                    "收取政府信息公开信息处理费",
                    "0",
                    "元",
                    f"zero statement: {text.rstrip('。')}",
                    "fees_collected",
                )
            ]
        amount = str(int(f.fees)) if f.fees.is_integer() else f"{f.fees:.1f}"
        return (
            f"依据《政府信息公开信息处理费管理办法》，{year}年{we}共收取信息处理费{amount}元。",
            [ProseFact("收取政府信息公开信息处理费", amount, "元", None, "fees_collected")],
        )
    return rng.choice(("无其他需要报告的事项。", "本年度无其他需要报告的事项。")), []


def _t2_cells(
    sections: tuple[labels.T2Section, ...], values: dict[tuple[str, str, str], str]
) -> list[TruthCell]:
    return [
        TruthCell("t2", row, f"{sec.heading} / {col}", values[(sec.item, row, col)])
        for sec in sections
        for row in sec.rows
        for col in sec.cols
    ]


def _t3_cells(paths: tuple[tuple[str, ...], ...], values: tuple[tuple[str, ...], ...]) -> list[TruthCell]:
    return [
        TruthCell("t3", labels.join(path), labels.join(col), values[i][j])
        for i, path in enumerate(paths)
        for j, col in enumerate(labels.T3_COLS)
    ]


def _t4_cells(values: tuple[tuple[str, ...], ...]) -> list[TruthCell]:
    return [
        TruthCell("t4", "", labels.join((*group, leaf)), values[g][i])
        for g, group in enumerate(labels.T4_GROUPS)
        for i, leaf in enumerate(labels.T4_LEAVES)
    ]


def _notes(
    fmt: str,
    other_sub: bool,
    ls: labels.LabelStyle,
    vs: numbers.ValueStyle,
    t3: tuple[tuple[str, ...], ...],
    t2: dict[tuple[str, str, str], str],
) -> list[str]:
    notes = []
    if fmt == "2021" and not other_sub:
        notes.append(
            "t3 prints （六）其他处理 as a single row with no sub-items (the 2019-format row), although "
            "t2 is in the 2021 format; truth row is '三、本年度办理结果 / （六）其他处理'"
        )
    if ls.item_sep != ".":
        notes.append(
            f"t3 item labels are numbered '1{ls.item_sep}' in print; truth uses the canonical '1.' labels"
        )
    if ls.stray_space_rate:
        notes.append("some t3 row labels are printed with stray spaces; truth uses the canonical labels")
    if ls.typo:
        notes.append(f"t3 row label printed '{labels.TYPOS[ls.typo]}'; truth uses '{ls.typo}'")
    if ls.space_t2_heading:
        notes.append(
            "t2 sub-table headings are printed with a space ('第二十条 第（一）项'); truth uses "
            "'第二十条第（一）项'"
        )
    if ls.spaced_total:
        notes.append("the 总计 header cells of t3/t4 are printed letter-spaced ('总 计')")
    if any(v != numbers.fullwidth_fold(v) for row in t3 for v in row):
        notes.append("some t3 values are printed with full-width digits; truth keeps them as printed")
    if any(v in ("", "-") for row in t3 for v in row):
        notes.append(
            f"t3 zeros in the organisation columns are printed as {vs.zero!r}; truth keeps them as printed"
        )
    if any(v in ("", "/", "-") for v in t2.values()):
        notes.append("t2 has blank, '/' or '-' cells; truth keeps them as printed")
    return notes
