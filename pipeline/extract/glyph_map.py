"""What a glyph of a broken font stands for: OCR votes, and what the broken map itself allows.

A ghostscript `pdfwrite` re-distill (9.56 to 10.0x) copies a ToUnicode `bfrange` wrongly (`collapsed`):
the glyph then reads as a Latin letter, a control or an accented letter, but that wrong code still
narrows what it can stand for — from 5 to about 1,900 of some 21,000 characters (`map_candidates`).
A reading the map confirms is taken; one it refutes is at best weak (flagged); where the map says
nothing (a font read through no map at all), the votes alone decide.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from pipeline.core.text import fold
from pipeline.extract.pdf import WIDE_EMS

MIN_VOTES = 2  # a reading needs at least this many votes …
STRONG_VOTES = 3  # … and this many, at this share, to be sure
STRONG_SHARE = 0.75
FULL_WIDTH = WIDE_EMS  # ems of advance: a glyph this wide is a full-width form (（ not (; W is narrower)
MAX_STEP = 15  # codes into a bfrange `collapsed` considers: the ranges producers write are short
LOOK_ALIKES = {  # what OCR reads （）《》 as
    "〈": ("《", "（"),
    "〉": ("》", "）"),
    "<": ("《", "（"),
    ">": ("》", "）"),
}
SPECIFIC = 500  # at most this many characters fit a glyph's broken map: one vote that fits is sure


@dataclass(frozen=True)
class Reading:
    """What a glyph of a broken font stands for, and how sure the votes are."""

    text: str
    votes: int
    total: int
    confirmed: bool = False  # the broken map itself agrees (`collapsed`) …
    specific: bool = False  # … and few characters could show as this glyph does (`map_candidates`)
    refuted: bool = False  # the map could confirm a reading and does not confirm this one

    @property
    def strong(self) -> bool:
        if self.confirmed:
            return self.specific or self.votes >= MIN_VOTES
        return not self.refuted and self.votes >= STRONG_VOTES and self.votes >= STRONG_SHARE * self.total


def vote(
    counts: Counter[str],
    confirm: Callable[[str], str | None] = lambda _: None,
    specific: bool = False,
    refutable: bool = False,
) -> Reading | None:
    """The reading a glyph's votes elect: the one the broken map confirms (`confirm` gives the form
    of a vote the map agrees with) — the only one, or voted twice as often as any other confirmed
    — with any number of votes, sure if `specific` (few characters fit the map) or voted twice;
    else over half of them and at least MIN_VOTES, weak if the map is `refutable` (it could have
    confirmed a reading); else none."""
    if not counts:
        return None
    total = sum(counts.values())
    confirmed: Counter[str] = Counter()
    for text, n in counts.items():
        if (form := confirm(text)) is not None:
            confirmed[form] += n
    ranked = confirmed.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        text, n = ranked[0]  # the only reading the map confirms, or twice as voted as any other
        return Reading(text, n, total, confirmed=True, specific=specific and len(ranked) == 1)
    text, top = counts.most_common(1)[0]
    if top < MIN_VOTES or 2 * top <= total:
        return None
    return Reading(text, top, total, refuted=refutable)


@functools.cache
def map_candidates(shown: str) -> int:
    """How many Han characters and CJK or full-width punctuation `collapsed` lets show as `shown`:
    from 5 (for a digit) to about 1,900 (ÿ) of some 21,000."""
    if len(shown) != 1:
        return 0
    value = ord(shown)
    return sum(1 for code in _CANDIDATE_CODES if collapsed(shown, chr(code))) if value < 0x200 else 0


_CANDIDATE_CODES = (
    *range(0x2010, 0x2030),
    *range(0x3000, 0x3040),
    *range(0x4E00, 0x9FA6),
    *range(0xFF01, 0xFF5F),
)


def guess(counts: Counter[str]) -> Reading | None:
    """A glyph the votes cannot elect keeps its most voted reading, weak (its figures flagged):
    the page stays exact everywhere else, which OCR of the whole page would not be."""
    if not counts:
        return None
    text, top = counts.most_common(1)[0]
    return Reading(text, top, sum(counts.values()))


def collapsed(shown: str, read: str) -> bool:
    """Whether a glyph that reads `shown` through its ToUnicode map may stand for `read`, the map
    having been copied by ghostscript's pdfwrite (9.56 to 10.0x): for a `bfrange` it ORs the
    destination's two bytes instead of shifting the high one, so the step-th code of a range from
    U+hilo reads U+(hi | lo) + step — 市 U+5E02 reads ^, and 年, second of a range from 平 U+5E73,
    reads U+0080. A reading that fits is confirmed by the map itself; a wrong one fits by chance
    about once in sixteen. Latin and digits (hi = 0) fit only themselves."""
    if len(shown) != 1 or len(read) != 1:
        return False
    value, code = ord(shown), ord(read)
    high, low = code >> 8, code & 0xFF
    return any((high | (low - step)) + step == value for step in range(min(MAX_STEP, low) + 1))


def align(
    layer: Sequence[str],
    read: str,
    boxes: Sequence[tuple[float, float]] = (),
    words: Sequence[tuple[str, float, float]] = (),
    unknown: Collection[int] | None = None,
) -> list[tuple[int, str]]:
    """Pairs (index into `layer`, character read) of a run of text-layer characters and its OCR
    reading: one to one when the reading has as many characters (and, if `unknown` is given,
    agrees with every character of the layer not in it); else the characters both read alike
    anchor the two (difflib) — never an unknown one, whose shown code is no evidence (三 shown as
    O is not the O that OCR reads for 〇) — and a stretch between anchors pairs one to one when both sides are
    as long (s^ ~ 我市); else, within each OCR word (text, x0, x1), the layer characters whose
    centres (`boxes`: x0, x1 each) fall in it, when they are as many as the word's characters.
    Characters nobody can pair are left out."""
    chars = [ch for ch in read if not ch.isspace()]
    unsure = set(unknown or ())
    if len(chars) == len(layer) and (
        unknown is None or all(i in unsure or fold(layer[i]) == fold(ch) for i, ch in enumerate(chars))
    ):
        return list(enumerate(chars))
    pairs: dict[int, str] = {}
    matcher = difflib.SequenceMatcher(
        None,
        [(i,) if i in unsure else fold(c) for i, c in enumerate(layer)],  # (i,) equals no reading
        [fold(c) for c in chars],
        autojunk=False,
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace") and i2 - i1 == j2 - j1:
            pairs.update(zip(range(i1, i2), chars[j1:j2], strict=True))
    taken = set(pairs)
    for text, x0, x1 in words:
        text = "".join(ch for ch in text if not ch.isspace())
        inside = [i for i, (a, b) in enumerate(boxes) if x0 <= (a + b) / 2 <= x1]
        if text and len(inside) == len(text) and not taken.intersection(inside):
            pairs.update(zip(inside, text, strict=True))
            taken.update(inside)
    return sorted(pairs.items())


@functools.cache
def _unfolded() -> dict[str, tuple[str, ...]]:
    """Punctuation that `fold` makes into another character (“ into \", ： into :), by that character."""
    out: dict[str, list[str]] = {}
    for block in ((0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFF5F)):
        for code in range(*block):
            folded = fold(chr(code))
            if folded != chr(code) and len(folded) == 1:
                out.setdefault(folded, []).append(chr(code))
    return {k: tuple(v) for k, v in out.items()}


def forms(read: str, advance: float) -> tuple[str, ...]:
    """What a (folded) vote may stand for: its printed form first, then itself, the punctuation
    that folds into it and what OCR takes it for."""
    return (as_printed(read, advance), read, *_unfolded().get(read, ()), *LOOK_ALIKES.get(read, ()))


def as_printed(ch: str, advance: float) -> str:
    """An ASCII character read on a full-width glyph is its full-width form (what was printed);
    any other reading (a fold may make one character several: … → ...) as read."""
    if advance >= FULL_WIDTH and len(ch) == 1 and "!" <= ch <= "~":
        return chr(ord(ch) + 0xFEE0)
    return ch


def is_odd(ch: str) -> bool:
    """A character a Chinese font read through a wrong map gives: accented Latin, controls,
    private-use or unassigned code points."""
    if "\u00c0" <= ch <= "\u024f":
        return True
    return ch not in " \r\n" and unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")
