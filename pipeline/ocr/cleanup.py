"""Cleaning what an OCR engine returns: widths folded, CJK gaps dropped, brackets paired, numbers.

These are the engine's habits (../shared/notes/text-layers.md), not a report's: tesseract reads
a full-width （ as 〈 or 《 and a ） as 》, puts spaces between Chinese characters, and confuses a
lone 1 with | or ].
"""

from __future__ import annotations

import re

from pipeline.core.numbers import NOT_APPLICABLE
from pipeline.core.text import drop_cjk_gaps, fold

MAX_NUMBER_CHARS = 14
_OPENERS, _CLOSERS = "〈《", "〉》"
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "|": "1", "]": "1", "[": "1"}
)
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_LEADING_SPECKS = ",'\"`‘’“”"
_PLUS_AS_TEN = "十"
_THOUSANDS_AS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")


def repair_brackets(text: str) -> str:
    """Pair a ')' that has no '(' with an unpaired 〈/《 before it, and a '(' that has no ')'
    with an unpaired 〉/》 after it; drop a 》 that directly follows ')'. Balanced 《…》 (titles
    of laws) are left alone."""
    chars = list(text.replace(")》", ")").replace(")〉", ")"))
    open_round: list[int] = []
    open_angle: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            open_round.append(i)
        elif ch in _OPENERS:
            open_angle.append(i)
        elif ch == ")":
            if open_round:
                open_round.pop()
            elif open_angle:
                chars[open_angle.pop()] = "("
        elif ch in _CLOSERS:
            if open_angle:
                open_angle.pop()
            elif open_round:
                open_round.pop()
                chars[i] = ")"
    return "".join(chars)


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# no space before , . : ; ! ? ) or after (, nor between Chinese and its punctuation or brackets
_PUNCT_GAP = re.compile(
    rf" +(?=[,.:;!?)\]])|(?<=[(\[]) +|(?<=[{_CJK}]) +(?=[\"'(\[])|(?<=[,.:;!?\"')\]]) +(?=[{_CJK}])"
)
_LONE_ONE = set("|][lI")  # a lone 1 as tesseract often reads it


def clean_text(text: str) -> str:
    """Engine text as the text layer would give it: widths folded (NFKC, as the text path
    compares), no spaces between Chinese characters or beside their punctuation."""
    return repair_brackets(_PUNCT_GAP.sub("", drop_cjk_gaps(fold(drop_cjk_gaps(text)))).strip())


def clean_lines(lines: list[str]) -> str:
    """The lines of one cell as one text (brackets may open on one line and close on the next)."""
    return clean_text("".join(drop_cjk_gaps(fold(line)).strip() for line in lines))


def as_number(text: str) -> str | None:
    """A reading as printed number text, or a not-applicable mark; None if it is not one."""
    s = re.sub(r"\s+", "", fold(text))
    if s in NOT_APPLICABLE:
        return s
    if s in _LONE_ONE:
        return "1"
    if len(s) > MAX_NUMBER_CHARS or not any(ch.isdigit() for ch in s):
        return None
    s = s.translate(_DIGIT_LOOKALIKES).rstrip(".,")
    if s.startswith(_PLUS_AS_TEN) and s[1:].isdigit():
        s = "+" + s[1:]  # the Chinese model's habit: a plus sign read as 十
    # a speck before the figure read as a mark: no number begins with a comma or a quote, nor with
    # a point when it has a decimal point of its own (',109', '"6426', '.185.84')
    s = s.lstrip(_LEADING_SPECKS)
    if s.startswith(".") and "." in s[1:]:
        s = s[1:]
    return s if _NUMBER.fullmatch(s) else None


def number_variants(number: str) -> list[str]:
    """Other ways the same ink may be printed: `6.439` is often `6,439` read with a dot."""
    return [number.replace(".", ",")] if _THOUSANDS_AS_DOT.fullmatch(number) else []


def digit_count(number: str) -> int:
    return sum(ch.isdigit() for ch in number)
