"""Per page: read the text layer, or OCR the page image — decided from measurements, explained.

The reason is written to `pages.ocr_reason`:
  text_layer_ok   the layer is there and reads as Chinese text
  no_text_layer   no characters at all (a scan, or text drawn as outlines)
  blank_page      no characters, no image and hardly any drawing: nothing to read
  garbled_text    unmapped / control / private-use characters, or a second extractor disagrees
  image_covered   images cover the page and its text is an invisible OCR layer, or scarce
  forced          --ocr always
  ocr_disabled    --ocr never, on a page `auto` would have OCRed

Thresholds were measured on the corpus and on broken variants of it (bench/bench_decide.py):
every text page of the corpus has no bad character at all and both extractors agree on 100% of
its characters; with one font's ToUnicode map removed a page has 1-90% bad characters and an
agreement of 0.93 or less. A page over BAD_SHARE is garbled outright; one with any bad character
or odd script mix is settled by pdfminer's reading (its own font code, ~100-500 ms a page).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.core.config import OcrMode
from pipeline.core.text import fold

BAD_SHARE = 0.05  # unmapped/replacement/control/private-use characters: garbled above this
# accented Latin letters and bad characters on a Chinese page: garbled at this many, over this share
# (a ghostscript re-distill maps some glyphs of a subset font to ÿ Ā ° and C1 codes: 2-8% of a page;
# no clean page of the corpus or of the other producers has any)
MOJIBAKE_MIN = 2
MOJIBAKE_SHARE = 0.005
COMMON_CJK_SHARE = 0.8  # a real Chinese text has >97% of its Han characters in GB2312 level 1
LATIN_SHARE = 0.5  # Latin letters among letters: a CJK font read through a wrong map
IMAGE_COVER = 0.5  # images over this share of the page
SCARCE_CHARS = 30  # a page mostly image with fewer characters than this is a scan with a folio
INVISIBLE_SHARE = 0.5  # characters in render mode 3: somebody's OCR layer over a scan
AGREEMENT = 0.97  # clean corpus pages agree 100%; one unmapped font on a page: 0.93 and less
BLANK_IMAGE = 0.01  # a page without text is blank unless images cover more than this …
BLANK_DRAWING = 200  # … or it draws this many path segments (a line of outlined text has more)


@dataclass(frozen=True)
class LayerEvidence:
    chars: int  # visible characters PDFium reads
    bad: int  # unmapped, replacement, control, private-use or unassigned characters
    map_errors: int  # characters PDFium reports its font has no Unicode for
    cjk: int  # Han characters
    common_cjk: int  # of those, in GB2312 level 1 (the 3755 common characters)
    latin: int  # Latin letters (digits not counted)
    image_area: float  # share of the page images cover
    invisible: int | None = None  # characters in invisible text objects (only counted when imaged)
    agreement: float | None = None  # second extractor's overlap with the first (when asked)
    drawing: int = 0  # segments of the page's vector paths
    accented: int = 0  # Latin letters with accents (ÿ Ā): what a Chinese font read through a wrong map gives
    wide_latin: int = 0  # Latin characters drawn one em wide (市 read as ^, 议 as °): the same


@dataclass(frozen=True)
class Decision:
    ocr: bool
    reason: str
    repairable: bool = False  # garbled by glyphs mapped to wrong codes: the layer may be repaired


def text_to_counts(text: str) -> tuple[int, int, int, int]:
    """(Han characters, of which common, Latin letters, of which accented) of a text."""
    cjk = common = latin = accented = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            common += is_common_han(ch)
        elif ch.isascii() and ch.isalpha():
            latin += 1
        elif "\u00c0" <= ch <= "\u024f":
            latin += 1
            accented += 1
    return cjk, common, latin, accented


def is_common_han(ch: str) -> bool:
    """GB2312 level 1: lead byte 0xB0-0xD7 (what a frequency list of modern Chinese starts with)."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def agreement(first: str, second: str) -> float:
    """Share of characters two readings of a page have in common (order ignored: extractors
    order lines differently). Some fonts map glyphs to radical code points (⼯, ⻔) that PDFium
    reads as the Han character (工, 门) and pdfminer does not: NFKC folds the Kangxi radicals,
    and a left-over radical may stand for a left-over Han character of the other reading.
    Unmapped glyphs such as pdfminer's "(cid:12)" match nothing."""
    a = Counter(ch for ch in fold(first) if not ch.isspace())
    b = Counter(ch for ch in fold(second) if not ch.isspace())
    total = max(sum(a.values()), sum(b.values()))
    if not total:
        return 1.0
    only_a, only_b = a - b, b - a
    radicals = min(_count(only_b, _is_radical), _count(only_a, _is_han)) + min(
        _count(only_a, _is_radical), _count(only_b, _is_han)
    )
    return (sum((a & b).values()) + radicals) / total


def _is_radical(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u2fdf"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _count(counts: Counter[str], kind: Callable[[str], bool]) -> int:
    return sum(n for ch, n in counts.items() if kind(ch))


def is_suspicious(e: LayerEvidence) -> bool:
    """Not clearly garbled, not clearly fine: worth a second, slower reading of the page."""
    letters = e.cjk + e.latin
    return (
        e.bad > 0
        or e.map_errors > 0
        or (e.cjk >= 20 and e.common_cjk < COMMON_CJK_SHARE * e.cjk)
        or (letters >= 20 and e.latin > LATIN_SHARE * letters)
    )


def auto_decision(e: LayerEvidence) -> Decision:
    if e.chars == 0:
        if e.image_area < BLANK_IMAGE and e.drawing < BLANK_DRAWING:
            return Decision(False, "blank_page")
        return Decision(True, "no_text_layer")
    if max(e.bad, e.map_errors) > BAD_SHARE * e.chars:
        # Han characters among the garbage, or raw codes of a font with no map (font_outlines.py
        # may name its glyphs): the layer may be repaired
        return Decision(True, "garbled_text", repairable=e.cjk > 0 or e.map_errors > 0)
    if e.cjk and e.wide_latin:
        return Decision(True, "garbled_text", repairable=True)
    if e.cjk and e.accented + e.bad >= MOJIBAKE_MIN and e.accented + e.bad > MOJIBAKE_SHARE * e.chars:
        # a few glyphs of a subset font mapped to the wrong codes: font_repair.py may mend the layer
        return Decision(True, "garbled_text", repairable=True)
    if e.image_area >= IMAGE_COVER and (
        e.chars < SCARCE_CHARS or (e.invisible is not None and e.invisible > INVISIBLE_SHARE * e.chars)
    ):
        return Decision(True, "image_covered")
    if e.agreement is not None and e.agreement < AGREEMENT:
        return Decision(True, "garbled_text")
    return Decision(False, "text_layer_ok")


FORCED = Decision(True, "forced")


def evidence_to_decision(e: LayerEvidence, mode: OcrMode) -> Decision:
    if mode == "always":
        return FORCED
    auto = auto_decision(e)
    if mode == "never" and auto.ocr:
        return Decision(False, "ocr_disabled")
    return auto
