"""Text normalisation shared by every stage: width folding, whitespace, numbering markers."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_QUOTES = str.maketrans({"“": '"', "”": '"', "〝": '"', "〞": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_WS = re.compile(r"\s+")
# Spaces OCR and some text layers put between CJK characters carry no meaning.
_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)

UNREAD = "\ufffd"  # a character in the text whose glyph was never read (extract/font_repair.py)
CN_DIGITS = "〇零一二三四五六七八九十百千两"
# Level-1..4 outline numbering as printed: 一、 / （一） / 1. 1、 1． / （1）
NUMBERING = {
    1: re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]"),
    2: re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]"),
    3: re.compile(r"^(\d{1,2})\s*[.、．](?!\d)"),
    4: re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]"),
}


def fold(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and one kind of quote."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def squash(text: str) -> str:
    """`fold` and drop all whitespace: the form labels are compared in."""
    return _WS.sub("", fold(text))


def collapse(text: str) -> str:
    """Whitespace runs to one space, ends stripped (how headings and labels are stored)."""
    return _WS.sub(" ", text).strip()


def drop_cjk_gaps(text: str) -> str:
    return _CJK_GAP.sub("", text)


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: no separator between CJK, one space between Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return out


CN_NUMERALS = "一二三四五六七八九十"  # a level-1 heading's numerals, 1 to 10
MAX_DATE_CHARS = 16  # a date alone on its line, as OCR may read it, is no longer


def level1_number(marker: str) -> int:
    """The number a level-1 marker prints (三、 → 3), 0 if it prints none."""
    return cn_to_int(re.sub(r"[、.．\s]", "", marker)) or 0


def numbering_of(text: str) -> tuple[int, str] | None:
    """(level, marker as printed) when `text` starts with outline numbering."""
    stripped = text.lstrip()
    for level, pattern in NUMBERING.items():
        m = pattern.match(stripped)
        if m:
            return level, m.group(0).strip()
    return None


def cn_to_int(text: str) -> int | None:
    """Chinese numerals (十二, 两, 一百零五, 二〇一八 as digits) to int; None if not a numeral."""
    digits = {
        "〇": 0,
        "零": 0,
        "一": 1,
        "二": 2,
        "两": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
    units = {"十": 10, "百": 100, "千": 1000, "万": 10000}
    if not text or any(ch not in digits and ch not in units for ch in text):
        return None
    if not any(ch in units for ch in text):  # digit by digit: 二〇一八
        return int("".join(str(digits[ch]) for ch in text))
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "万":
            section = (section + current) * 10000
            total, section, current = total + section, 0, 0
        else:
            section += (current or 1) * units[ch]
            current = 0
    return total + section + current


def text_similarity(a: str, b: str) -> float:
    """How alike two texts are: twice the characters they share in order over both lengths (0 to 1)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: characters inserted, deleted or replaced to make `a` into `b`."""
    return prefix_edit_distances(a, b)[-1]


def prefix_edit_distances(a: str, b: str) -> list[int]:
    """The edit distance of each prefix of `a` (a[:0] … a[:len(a)]) to `b`, in one pass."""
    row = list(range(len(b) + 1))
    out = [row[-1]]
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
        out.append(row[-1])
    return out
