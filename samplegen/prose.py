"""Sentences that state the headline figures of a report, each with the truth facts it states."""

from __future__ import annotations

import random
from dataclasses import dataclass

from samplegen.model import ProseFact
from samplegen.phrases import cn_number

Stated = tuple[str, tuple[ProseFact, ...]]


@dataclass(frozen=True)
class Figures:
    """Headline figures of a report (the pre-2019 prose figures, and the 2019/2021 prose summary)."""

    proactive: int
    requests: int
    answered: int
    fees: float  # 元
    review: int
    litigation: int
    appeal: int
    visits: int


def draw_figures(rng: random.Random, kind: str, requests: int | None = None) -> Figures:
    big = kind in ("city", "province_office", "county")
    proactive = rng.randint(800, 30000) if big else rng.randint(10, 3000)
    req = (
        requests
        if requests is not None
        else rng.choices((0, rng.randint(1, 12), rng.randint(12, 400 if big else 60)), weights=(3, 4, 2))[0]
    )
    answered = req - rng.choice((0, 0, 0, min(req, rng.randint(0, 3))))
    fees = rng.choice((0.0, 0.0, 0.0, float(rng.randint(5, 800)), rng.randint(500, 50000) / 10))
    contested = rng.random() < (0.35 if big else 0.1)
    review = rng.randint(0, 6) if contested else 0
    litigation = rng.randint(0, 4) if contested else 0
    appeal = rng.choice((0, 0, 1)) if contested else 0
    return Figures(proactive, req, answered, fees, review, litigation, appeal, rng.randint(2000, 900000))


@dataclass(frozen=True)
class NumberStyle:
    chinese: float  # chance a small count is printed in Chinese numerals
    spaced: float  # chance of a space before the unit ("165 条")


def draw_number_style(rng: random.Random) -> NumberStyle:
    return NumberStyle(chinese=rng.choice((0.0, 0.0, 0.3, 0.7)), spaced=rng.choice((0.0, 0.0, 0.5, 1.0)))


def say(rng: random.Random, n: int, unit: str, ns: NumberStyle) -> tuple[str, str | None]:
    """A count as printed with its unit, and a truth note when it is not plain digits."""
    if 0 < n < 100 and rng.random() < ns.chinese:
        word = cn_number(n, two=rng.random() < 0.5)
        return f"{word}{unit}", f"printed '{word}{unit}'"
    if rng.random() < ns.spaced:
        return f"{n} {unit}", None
    return f"{n}{unit}", None


def _fact(label: str, n: int | float, unit: str, key: str | None, note: str | None = None) -> ProseFact:
    value = str(int(n)) if float(n).is_integer() else f"{n:.1f}"
    return ProseFact(label, value, unit, note, key)


def proactive(rng: random.Random, f: Figures, we: str, year: int, ns: NumberStyle) -> Stated:
    n, note = say(rng, f.proactive, "条", ns)
    if f.proactive > 1000 and rng.random() < 0.2:
        approx = f.proactive // 100 * 100
        text = f"{year}年，{we}主动公开各类政府信息{approx}余条。"
        return text, (_fact("主动公开政府信息", approx, "条", "proactive_items", f"printed '{approx}余条'"),)
    label, text = rng.choice(
        (
            ("主动公开政府信息", f"{year}年，{we}共主动公开政府信息{n}，"),
            ("主动公开信息", f"全年累计主动公开信息{n}，"),
            ("公布政府信息", f"截至{year}年12月31日，{we}通过门户网站公布政府信息{n}，"),
        )
    )
    web = rng.randint(0, f.proactive)
    tail = rng.choice(
        (f"其中通过政府网站公开{web}条。", "内容涵盖机构职能、政策法规、规划计划、财政预决算等。")
    )
    return text + tail, (_fact(label, f.proactive, "条", "proactive_items", note),)


def visits(rng: random.Random, f: Figures, year: int) -> Stated:
    text = f"{year}年，政府信息公开专栏访问量达{f.visits}人次。"
    return text, (_fact("政府信息公开专栏访问量", f.visits, "人次", None),)


def requests(rng: random.Random, f: Figures, we: str, year: int, ns: NumberStyle) -> Stated:
    if f.requests == 0:
        text, label = rng.choice(
            (
                (f"{year}年，{we}未收到政府信息公开申请。", "收到政府信息公开申请"),
                (f"本年度{we}没有受理政府信息公开申请。", "受理政府信息公开申请"),
                (f"{year}年度，{we}未收到有关政府信息公开的申请。", "收到政府信息公开申请"),
            )
        )
        return text, (_fact(label, 0, "件", "requests_received", f"zero statement: {text.rstrip('。')}"),)
    n, note = say(rng, f.requests, "件", ns)
    m, note_m = say(rng, f.answered, "件", ns)
    label = rng.choice(("受理政府信息公开申请", "收到政府信息公开申请"))
    verb = label[:2]
    if f.answered == f.requests and rng.random() < 0.5:
        text = f"{year}年，{we}共{verb}政府信息公开申请{n}，均已在法定期限内答复。"
        return text, (_fact(label, f.requests, "件", "requests_received", note),)
    face = rng.randint(0, f.requests)
    text = (
        f"全年共{verb}政府信息公开申请{n}，其中当面申请{face}件、网上及其他形式申请{f.requests - face}件；"
        f"已答复{m}。"
    )
    facts = (
        _fact(label, f.requests, "件", "requests_received", note),
        _fact("当面申请数", face, "件", None),
        _fact("答复政府信息公开申请", f.answered, "件", None, note_m),
    )
    return text, facts


def fees(rng: random.Random, f: Figures, we: str, year: int) -> Stated:
    if f.fees == 0:
        text = rng.choice(
            (
                f"{we}{year}年度没有政府信息公开收费和减免情况。",
                f"{year}年，{we}在政府信息公开工作中未收取任何费用。",
                f"本年度{we}未收取政府信息公开检索、复制、邮寄等费用，也无减免情况。",
            )
        )
        return text, (
            _fact("政府信息公开收费", 0, "元", "fees_collected", f"zero statement: {text.rstrip('。')}"),
        )
    amount = str(int(f.fees)) if f.fees.is_integer() else f"{f.fees:.1f}"
    label, text = rng.choice(
        (
            ("政府信息公开收费", f"全年共收取检索、复制、邮寄等费用{amount}元，未发生减免情况。"),
            ("收取政府信息公开信息处理费", f"{year}年，{we}依法收取信息处理费{amount}元。"),
        )
    )
    return text, (_fact(label, f.fees, "元", "fees_collected"),)


def contested(rng: random.Random, f: Figures, we: str, year: int, ns: NumberStyle) -> Stated:
    if f.review == f.litigation == f.appeal == 0:
        text, keys = rng.choice(
            (
                (f"{year}年，{we}未发生因政府信息公开申请行政复议、行政诉讼和申诉的情况。", "rla"),
                ("本年度未收到有关政府信息公开的行政复议、行政诉讼申请。", "rl"),
                ("因政府信息公开申请提起行政复议、行政诉讼和申诉的数量均为零。", "rla"),
            )
        )
        note = f"zero statement: {text.rstrip('。')}"
        facts = {
            "r": _fact("政府信息公开行政复议", 0, "件", "review_cases", note),
            "l": _fact("政府信息公开行政诉讼", 0, "件", "litigation_cases", note),
            "a": _fact("政府信息公开申诉", 0, "件", "appeal_cases", note),
        }
        return text, tuple(facts[k] for k in keys)
    r, nr = say(rng, f.review, "件", ns)
    li, nl = say(rng, f.litigation, "件", ns)
    a, na = say(rng, f.appeal, "件", ns)
    text = f"{year}年，因政府信息公开申请提起行政复议{r}、行政诉讼{li}、申诉{a}，均已依法办结。"
    return text, (
        _fact("政府信息公开行政复议", f.review, "件", "review_cases", nr),
        _fact("政府信息公开行政诉讼", f.litigation, "件", "litigation_cases", nl),
        _fact("政府信息公开申诉", f.appeal, "件", "appeal_cases", na),
    )
