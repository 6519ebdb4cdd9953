"""Kangxi and CJK radical compatibility characters that some producers write for ordinary ideographs.

A font maps one glyph to both 一 (U+4E00) and the radical ⼀ (U+2F00); a producer building the ToUnicode
map from the font's cmap may pick the radical, so the printed page looks right and the text layer reads
⼀. NFKC folds the Kangxi radicals (U+2F00–U+2FD5) back, but not most of the CJK Radicals Supplement
(⺠ U+2EA0 for 民, ⻓ U+2ED3 for 长 …), which is why a reader must fold them itself.
"""

from __future__ import annotations

import random
import unicodedata

# ideographs that real exports write as Kangxi radicals (NFKC folds these)
KANGXI = "一二人入八十口土大女子小山工己广心手文方日月木水火父片牛生用田白目立米自至行衣言走身里金长门高面"
# simplified forms only in the CJK Radicals Supplement (NFKC leaves these alone)
SUPPLEMENT = {
    "民": "\u2ea0",  # ⺠ CJK RADICAL CIVILIAN
    "见": "\u2ec5",  # ⻅ C-SIMPLIFIED SEE
    "长": "\u2ed3",  # ⻓ C-SIMPLIFIED LONG
    "门": "\u2ed4",  # ⻔ C-SIMPLIFIED GATE
    "车": "\u2ecb",  # ⻋ C-SIMPLIFIED CART
    "贝": "\u2ec9",  # ⻉ C-SIMPLIFIED SHELL
    "页": "\u2eda",  # ⻚ C-SIMPLIFIED LEAF
    "风": "\u2edb",  # ⻛ C-SIMPLIFIED WIND
    "马": "\u2ee2",  # ⻢ C-SIMPLIFIED HORSE
    "黄": "\u2ee9",  # ⻩ SIMPLIFIED YELLOW
    "齐": "\u2eec",  # ⻬ C-SIMPLIFIED EVEN
    "西": "\u2ec4",  # ⻄ WEST TWO
}


def _kangxi() -> dict[str, str]:
    out = {}
    for cp in range(0x2F00, 0x2FD6):
        ideograph = unicodedata.normalize("NFKC", chr(cp))
        if ideograph in KANGXI and ideograph not in out:
            out[ideograph] = chr(cp)
    return out


RADICAL_OF: dict[str, str] = {**_kangxi(), **SUPPLEMENT}  # the supplement's 长 and 门 win: simplified forms
IDEOGRAPH_OF = {v: k for k, v in RADICAL_OF.items()}
FOLD = str.maketrans(IDEOGRAPH_OF)


def fold(text: str) -> str:
    """Radicals back to the ideographs they stand for (the reading a careful reader gives)."""
    return unicodedata.normalize("NFKC", text).translate(FOLD)


def draw_radical_set(rng: random.Random) -> str:
    """The ideographs one producer/font combination writes as radicals: always some of 一人民, plus others."""
    core = [c for c in "一人民" if rng.random() < 0.7] or ["民"]
    others = rng.sample(sorted(RADICAL_OF), rng.randint(2, 10))
    return "".join(dict.fromkeys(core + others))


def with_radicals(text: str, chars: str) -> str:
    table: dict[str, str | int | None] = {c: RADICAL_OF[c] for c in chars}
    return text.translate(str.maketrans(table))


def describe(chars: str) -> str:
    return ", ".join(f"{RADICAL_OF[c]} U+{ord(RADICAL_OF[c]):04X} for {c}" for c in chars)
