"""Figures stated in sentences, including statements of absence."""

from __future__ import annotations

import pytest

from pipeline.core.model import Paragraph
from pipeline.facts.prose import paragraphs_to_facts, sentence_to_facts


def _read(sentence: str) -> dict[str, float | None]:
    return {f.row or "": f.value for f in sentence_to_facts(sentence, 1, "text")}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全年共受理政府信息公开申请12件，其中当面申请3件、网上申请9件；已答复12件。",
         {"requests_received": 12, "requests_in_person": 3, "requests_online": 9, "requests_answered": 12}),
        ("2012 年全县共收到有关政府信息公开的申请 21 条，其中当面申请数 18 条，电子邮件申请数 3 条；",
         {"requests_received": 21, "requests_in_person": 18, "requests_email": 3}),
        ("对依申请公开的答复总数 21 条，其中同意公开答复数 17 条，其它公开答复数 2 条。",
         {"requests_answered": 21, "answers_granted": 17}),
        ("本办2017年度没有政府信息公开收费和减免情况。", {"fees_collected": 0}),
        ("未发生因政府信息公开申请行政复议、行政诉讼和申诉的情况。",
         {"review_cases": 0, "litigation_cases": 0, "appeal_cases": 0}),
        ("因政府信息公开申请提起行政复议、行政诉讼和申诉的数量均为零。",
         {"review_cases": 0, "litigation_cases": 0, "appeal_cases": 0}),
        ("2018年未收到有关政府信息公开行政复议、提起行政诉讼的申请。", {"review_cases": 0, "litigation_cases": 0}),
        ("2018年未收到有关政府信息公开申请。", {"requests_received": 0}),
        ("因政府信息公开申请提起行政复议5件、行政诉讼4件、申诉0件，均已依法办结。",
         {"review_cases": 5, "litigation_cases": 4, "appeal_cases": 0}),
        ("全年共收取检索、复制、邮寄等费用1,219.7元，未发生减免情况。", {"fees_collected": 1219.7}),
        ("全年共受理政府信息公开申请十二件，答复两件。", {"requests_received": 12, "requests_answered": 2}),
        ("市政府网站主动公开各类政府信息 5500 余条。", {"proactive_items": 5500}),
        ("2012年制作、获取政府信息总数3978条，其中主动公开政府信息2026条，作为依申请公开信息数46条，不予公开信息数1854条。",
         {"proactive_items": 2026}),
        # a hotline's complaints are not information requests
        ("截至目前共收到15564件咨询投诉件，已办结15042件。", {}),
    ],
)  # fmt: skip
def test_sentences(sentence: str, expected: dict[str, float]) -> None:
    assert _read(sentence) == expected


def test_absence_keeps_the_sentence_as_raw() -> None:
    (fact,) = sentence_to_facts("本年度我局未收取政府信息公开检索、复制、邮寄等费用。", 3, "text")
    assert (fact.row, fact.value, fact.page) == ("fees_collected", 0.0, 3)
    assert fact.raw == fact.source == "本年度我局未收取政府信息公开检索、复制、邮寄等费用。"


def test_the_statement_in_its_own_section_wins() -> None:
    paragraphs = [
        Paragraph("我区各部门共开设新媒体70个，共发布信息1992条。", 1, 1, "overview"),
        Paragraph("2018年，我区主动公开政府信息2069条。", 4, 5, "proactive"),
    ]
    facts = paragraphs_to_facts(paragraphs, {})
    assert [(f.row, f.value, f.page) for f in facts] == [("proactive_items", 2069.0, 4)]
