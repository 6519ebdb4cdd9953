"""Figures stated in sentences → `facts` with `table = prose`.

"全年共受理政府信息公开申请12件，其中当面申请3件" gives requests_received = 12 and
requests_in_person = 3; "未发生因政府信息公开申请行政复议、行政诉讼和申诉的情况" gives
review_cases = litigation_cases = appeal_cases = 0, with the sentence as `raw`. A number must
follow its phrase within the same clause; a statement of absence must name its topic in the
same clause. Rules run from the most specific phrase to the most general, and a number taken by
one rule is not taken again, so "同意公开答复数17条" is not also read as an answer total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.core.model import Fact, Method, Paragraph
from pipeline.core.numbers import parse_value
from pipeline.core.text import cn_to_int, fold

_NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_UNIT = r"(?P<approx>余|多)?(?P<unit>万元|元|件|条|个|项|人次|次|份|篇|起|宗)"
_GAP = r"(?:[^，。；;,\d零〇一二两三四五六七八九十]{0,6}?)"  # a few words between phrase and number
_CLAUSE_END = "，。；;,！？!?"
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


@dataclass(frozen=True)
class Rule:
    key: str
    phrase: re.Pattern[str]
    units: tuple[str, ...]
    context: re.Pattern[str] | None  # the sentence must also say this (e.g. that it is about requests)


def _rule(key: str, phrase: str, units: str, context: str | None = None) -> Rule:
    return Rule(key, re.compile(phrase), tuple(units.split()), re.compile(context) if context else None)


REQUESTS = r"申请"


COUNT = "件 条 个 项 人次 次 份 起 宗"
# most specific first: a number claimed by an earlier rule is not read again
RULES: tuple[Rule, ...] = (
    # "不予公开信息数" counts documents classified as not public, not answers to requests
    _rule(
        "answers_partially_granted",
        r"(?:同意)?部分公开(?!信息)(?:答复)?(?:数|总数)?",
        COUNT,
        REQUESTS + "|答复",
    ),
    _rule(
        "answers_denied",
        r"(?:否决公开|不予公开|不同意公开)(?!信息)(?:答复)?(?:数|总数)?",
        COUNT,
        REQUESTS + "|答复",
    ),
    _rule("answers_granted", r"同意公开(?!信息)(?:答复)?(?:数|总数)?", COUNT, REQUESTS + "|答复"),
    _rule("requests_in_person", r"当面(?:申请|提出申请)(?:数)?", COUNT),
    _rule("requests_online", r"(?:网上|网络|在线|互联网)(?:申请|提出申请)(?:数)?", COUNT),
    _rule("requests_email", r"电子邮件(?:申请)?(?:数)?", COUNT, REQUESTS),
    _rule("requests_fax", r"传真(?:申请)?(?:数)?", COUNT, REQUESTS),
    _rule("requests_letter", r"信函(?:申请)?(?:数)?", COUNT, REQUESTS),
    _rule("review_cases", r"行政复议(?:申请)?(?:案件)?", COUNT),
    _rule("litigation_cases", r"行政诉讼(?:案件)?", COUNT),
    _rule("appeal_cases", r"申诉(?:案件)?", COUNT),
    _rule(
        "requests_received",
        r"(?:受理|收到|接到|接收|办理)(?:了)?(?:各类|有关|涉及)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?:件|总数|数)?",
        COUNT,
    ),
    _rule("requests_answered", r"(?:答复|办结|回复)(?:政府信息公开申请|申请)?(?:总数|数)?", COUNT, REQUESTS),
    _rule(
        "fees_collected", r"(?:收取|收缴)[^，。；;]{0,20}?(?:费用|处理费|费)|收费(?:金额|总额)?", "元 万元"
    ),
    _rule(
        "proactive_items",
        r"(?:主动公开|公布|发布)(?:各类|各项)?(?:政府)?信息(?:数|总数|总量)?",
        "条 件 篇 个",
    ),
)
UNITS = {"fees_collected": "元"}

# Statements of absence: a negation and the topic in one clause → 0 for each topic named.
_NEGATION = re.compile(r"没有|未(?:发生|收到|受理|接到|收取|有)|无(?!法)|均为零|均为0|为零|数量为0|零起")
ZERO_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review_cases", re.compile(r"行政复议")),
    ("litigation_cases", re.compile(r"行政诉讼")),
    ("appeal_cases", re.compile(r"申诉")),
    ("fees_collected", re.compile(r"收费|费用|处理费")),
    # an application for review is not a request for information
    ("requests_received", re.compile(r"^(?!.*(?:复议|诉讼|申诉)).*?((?:收到|受理|接到)[^，。；]{0,16}申请)")),
)


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return parse_value(text)
    n = cn_to_int(text)
    return float(n) if n is not None else None


def _clauses(sentence: str) -> Iterable[tuple[int, str]]:
    start = 0
    for i, ch in enumerate(sentence):
        if ch in _CLAUSE_END:
            yield start, sentence[start:i]
            start = i + 1
    if start < len(sentence):
        yield start, sentence[start:]


def sentence_to_facts(sentence: str, page: int, method: Method) -> list[Fact]:
    """Every figure one sentence states."""
    text = re.sub(r"\s+", "", fold(sentence))
    facts: list[Fact] = []
    claimed: list[tuple[int, int]] = []
    found: set[str] = set()
    for rule in RULES:
        if rule.context is not None and not rule.context.search(text):
            continue
        pattern = re.compile(f"(?P<phrase>{rule.phrase.pattern}){_GAP}(?:共计|共|为|达|合计)?{_NUM}{_UNIT}")
        for m in pattern.finditer(text):
            span = (m.start("num"), m.end("unit"))
            if m.group("unit") not in rule.units or any(a < span[1] and span[0] < b for a, b in claimed):
                continue
            value = _number(m.group("num"))
            if value is None:
                continue
            if m.group("unit") == "万元":
                value *= 10000
            claimed.append(span)
            found.add(rule.key)
            raw = m.group("num") + (m.group("approx") or "") + m.group("unit")
            facts.append(_fact(rule.key, m.group("phrase"), value, raw, page, method, sentence))
            break  # one figure per key per sentence: the first is the statement, the rest breakdowns
    for _, clause in _clauses(text):
        if not _NEGATION.search(clause):
            continue
        for key, topic in ZERO_TOPICS:
            said = topic.search(clause)
            if key not in found and said:
                found.add(key)
                label = said.group(said.lastindex or 0)
                facts.append(_fact(key, label, 0.0, sentence.strip(), page, method, sentence))
    return facts


def _fact(key: str, label: str, value: float, raw: str, page: int, method: Method, sentence: str) -> Fact:
    return Fact(
        table="prose",
        row=key,
        col="value",
        row_label=label,
        col_label="",
        value=value,
        raw=raw,
        unit=UNITS.get(key, "件" if key != "proactive_items" else "条"),
        page=page,
        method=method,
        confidence=1.0 if method == "text" else 0.9,
        source=sentence.strip(),
    )


# The section where each figure is at home: a statement there beats one elsewhere in the report.
HOME_TOPIC = {
    "proactive_items": "proactive",
    "fees_collected": "fees",
    "review_cases": "review_litigation",
    "litigation_cases": "review_litigation",
    "appeal_cases": "review_litigation",
}


def _rank(fact: Fact, topic: str | None) -> int:
    home = HOME_TOPIC.get(fact.row or "", "requests")
    weak_phrase = fact.row == "proactive_items" and not fact.row_label.startswith("主动公开")
    return (2 if topic == home else 0) + (0 if weak_phrase else 1)


def paragraphs_to_facts(paragraphs: Iterable[Paragraph], methods: dict[int, Method]) -> list[Fact]:
    """Prose facts of a report: per key, the statement in its home section (else the first)."""
    best: dict[str, tuple[int, int, Fact]] = {}
    order = 0
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph.text):
            if not sentence.strip():
                continue
            for fact in sentence_to_facts(sentence, paragraph.page, methods.get(paragraph.page, "text")):
                order += 1
                rank = _rank(fact, paragraph.topic)
                key = fact.row or ""
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, order, fact)
    return [fact for _, _, fact in sorted(best.values(), key=lambda item: item[1])]
