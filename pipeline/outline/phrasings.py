"""A level-1 heading as OCR misread it → the standard wording it is (knowledge/headings.csv);
the words every office's name is built of (人民政府, 管理委员会) likewise.

OCR misreads a character of a heading now and then (舆情 → 与情, 的 → 角, 情况 → 请况, 、 → .).
A heading read one character off a standard wording in every ~8 (at least one), the same length,
is that wording when each character that differs is a mark, or makes no pair of the reports'
vocabulary with its neighbours: a word printed otherwise (与 for 和 in 政策解读与回应…) is a
real variant and stays as read. So is one with a character or two more at its end, the first
making no pair (specks after the heading, read 和 or 中了), and a long one with its last one lost
(…申请情). An office's name is its own proper name, which no list
knows, and words of office_words.toml; a long one of those read one character off (大民政府,
管理雪员会) is respelt by the same test.
"""

from __future__ import annotations

import re

from pipeline.core.text import squash
from pipeline.knowledge.load import han_pairs, knowledge
from pipeline.knowledge.officewords import office_words

CHARS_PER_MISREAD = 8  # a standard wording of n characters may be read with n // 8 of them wrong (≥ 1)
MARKS = "、.．,，·:：;；"
SPECK_CHARS = 2  # characters OCR reads off specks after a heading, at most
MIN_CUT_SHORT = 8  # a wording this long is known with its last character lost
_LEADING_MARKS = re.compile(r"^[\W_]+")


def standard_wordings() -> tuple[str, ...]:
    """The standard wordings of level-1 headings, without numbering."""
    return knowledge().heading_wordings


def standard_wording(words: str) -> str | None:
    """The standard wording `words` (a heading without its numbering) stands for, if OCR
    misread it; None when it reads as printed or is no standard wording's misreading."""
    read = _LEADING_MARKS.sub("", squash(words))  # a speck after the numbering (一、\ 总体情况)
    wordings = standard_wordings()
    if read in wordings:
        return read if read != squash(words) else None
    vocabulary = knowledge().vocabulary
    for cut in range(1, SPECK_CHARS + 1):
        # specks after the heading read as characters or marks (情况和, 情况中了); a digit after
        # it is a wrapped year's (情况 2 / 016 年), and makes no pair
        pair = han_pairs(read[-cut - 1 : len(read) - cut + 1])
        if read[:-cut] in wordings and (read[-cut] in MARKS or (pair and pair[0] not in vocabulary)):
            return read[:-cut]
    lost = [w for w in wordings if len(w) >= MIN_CUT_SHORT and w[:-1] == read]
    if len(lost) == 1:
        return lost[0]  # its last character lost (…公开申请情)
    for wording in wordings:
        if len(wording) != len(read):
            continue
        differ = [i for i, (a, b) in enumerate(zip(read, wording, strict=True)) if a != b]
        if len(differ) > max(1, len(wording) // CHARS_PER_MISREAD):
            continue
        if all(_misread(read, wording, i, vocabulary) for i in differ):
            return wording
    return None


def _misread(read: str, wording: str, i: int, vocabulary: frozenset[str]) -> bool:
    """Character i of `read` is a mark read for the wording's, or a character read for the
    wording's that makes no word of the vocabulary with either neighbour."""
    if read[i] in MARKS:
        return True
    if wording[i] in MARKS:  # a character where the wording has a mark: printed otherwise
        return False
    return _makes_no_pair(read, i, vocabulary)


def _makes_no_pair(text: str, i: int, vocabulary: frozenset[str]) -> bool:
    """Character i of `text` is Chinese and makes no word of the vocabulary with either neighbour."""
    pairs = han_pairs(text[max(0, i - 1) : i + 2])
    return bool(pairs) and not any(p in vocabulary for p in pairs if text[i] in p)


def office_words_respelt(name: str) -> str:
    """`name` with each stretch one character off a standard office word (office_words.toml `respelt`)
    respelt as that word, when the character read makes no pair of the vocabulary with its
    neighbours (湾庆洪区从民政府 → …人民政府; 金川综合保税区管理雪员会 → …管理委员会). A stretch
    overlapping a longer word printed right (街道工作 of 街道工作委员会) is that word's."""
    vocabulary = knowledge().vocabulary
    spelt = list(name)
    settled = [False] * len(spelt)
    for word in office_words().respelt:
        for start in range(len(spelt) - len(word) + 1):
            span = range(start, start + len(word))
            differ = [i for i, ch in zip(span, word, strict=True) if spelt[i] != ch]
            if any(settled[i] for i in span) or len(differ) > 1:
                continue
            if differ and not _makes_no_pair("".join(spelt), differ[0], vocabulary):
                continue
            for i, ch in zip(span, word, strict=True):
                spelt[i], settled[i] = ch, True
    return "".join(spelt)
