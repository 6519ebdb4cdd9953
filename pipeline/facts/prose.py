"""Figures stated in sentences → `facts` with `table = prose`.

"全年共受理政府信息公开申请12件，其中当面申请3件" gives requests_received = 12 and
requests_in_person = 3; "未发生因政府信息公开申请行政复议、行政诉讼和申诉的情况" gives
review_cases = litigation_cases = appeal_cases = 0, with the sentence as `raw`. A number must
follow its phrase within the same clause; a statement of absence must name its topic in the
same clause. The phrasings are knowledge/prose.toml's; rules run from the most specific phrase
to the most general, and a number taken by one rule is not taken again, so "同意公开答复数17条"
is not also read as an answer total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pipeline.core.model import Fact, Method, Paragraph
from pipeline.core.numbers import parse_value
from pipeline.core.text import cn_to_int, fold
from pipeline.knowledge.load import knowledge

_NUM = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_UNIT = r"(?P<approx>余|多)?(?P<unit>万元|元|件|条|个|项|人次|次|份|篇|起|宗)"
_GAP = r"(?:[^，。；;,\d零〇一二两三四五六七八九十]{0,6}?)"  # a few words between phrase and number
_CLAUSE_END = "，。；;,！？!?"
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


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
    prose = knowledge().prose
    for rule in prose.rules:
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
        if not prose.negation.search(clause):
            continue
        for key, topic in prose.absence:
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
        unit=_units()[key],
        page=page,
        method=method,
        confidence=1.0 if method == "text" else 0.9,
        source=sentence.strip(),
    )


@cache
def _units() -> dict[str, str]:
    return {m.row: m.unit for m in knowledge().metrics if m.table == "prose"}


def _rank(fact: Fact, topic: str | None) -> int:
    prose = knowledge().prose
    home = prose.home.get(fact.row or "", prose.default_home)
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
