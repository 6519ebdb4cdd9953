"""A text layer whose subset fonts map some glyphs to wrong codes, repaired from the page's own OCR.

A ghostscript `pdfwrite` re-distill keeps every glyph where it was but can break the ToUnicode
map of a subset font: some of its glyphs read as other codes — accented Latin letters (（ → ÿ,
） → Ā), C1 controls (年 → \\x80), even ASCII letters and digits (三 → O, 、 → 1, where the real
1 of the same font also reads 1). A glyph of one font is always the same shape, so the wrong map
is per glyph: (font, code read, ink box about the origin) — the ink box tells 、 from 1 where
both read "1". The repair, once per document:

1. broken fonts: fonts with an accented Latin letter or a control/private-use/unassigned
   character among their characters anywhere in the document;
2. every glyph of a broken font that reads below U+2E80 (Latin, digits, punctuation, controls)
   needs a reading; Han characters and CJK punctuation read from it are taken as they read,
   and a glyph with no ink is a space;
3. runs of such glyphs (characters on one line without a gap) are cut from the page image,
   stacked and read by the OCR engine, page after page until every needed glyph has enough
   votes; each run is aligned with its reading (same length, else by character positions
   within each OCR word) and each pair is a vote (glyph → character read);
4. a glyph's reading is accepted with a clear majority (over half its votes, at least
   MIN_VOTES); fewer than STRONG_VOTES or a share under STRONG_SHARE is *weak*: the glyph keeps
   WEAK_CONFIDENCE, which its words, cells and facts inherit (flagged as doubtful);
5. a page whose glyphs all have a reading is read from its repaired layer (exact positions,
   exact tables: `repaired_text`); a page with a glyph left without one is OCRed as before.
"""

from __future__ import annotations

import ctypes
import difflib
import functools
import logging
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.model import PipelineError
from pipeline.core.text import fold
from pipeline.extract.decide import COMMON_CJK_SHARE, is_common_han
from pipeline.extract.pdf import WIDE_EMS, is_latin
from pipeline.knowledge.load import knowledge
from pipeline.layout.lines import Glyph
from pipeline.ocr.engine import Gray, OcrEngine

REPAIR_DPI = 300  # the run images read for votes
GLYPH_DPI = 300  # a glyph read alone (`glyph_reader`) is cut at this resolution …
GLYPH_HEIGHTS = (26, 36, 50)  # … and read at these heights in pixels
ORIGIN_SLACK = 0.5  # points between PDFium's and pdfminer's origin of one character
TRUSTED_FROM = 0x2E80  # a broken font's characters from here on (radicals, CJK punctuation, Han) read right
MIN_VOTES = 2  # a reading needs at least this many votes …
STRONG_VOTES = 3  # … and this many, at this share, to be sure
STRONG_SHARE = 0.75
WEAK_CONFIDENCE = 0.6  # a glyph read by weak votes (below SOUND_CONFIDENCE: its facts are flagged)
FULL_WIDTH = WIDE_EMS  # ems of advance: a glyph this wide is a full-width form (（ not (; W is narrower)
RUNS_PER_CALL = 40  # run images stacked into one engine call
RUN_PAD = 0.3  # of a run's height, white around it in the stack
WORD_GAP = 0.3  # of the font size: a wider gap ends a run
NO_INK = 0.01  # ems: an ink box this thin is no ink (a space glyph)
MAX_STEP = 15  # codes into a bfrange `collapsed` considers: the ranges producers write are short
LOOK_ALIKES = {  # what OCR reads （）《》 as
    "〈": ("《", "（"),
    "〉": ("》", "）"),
    "<": ("《", "（"),
    ">": ("》", "）"),
}
MAX_UNMAPPED_SHARE = 0.3  # a page with more of its characters in unmapped fonts is read by OCR
MIN_JUDGED = 10  # characters of a font `unmapped_fonts` needs to judge it
SPECIFIC = 500  # at most this many characters fit a glyph's broken map: one vote that fits is sure

Shape = tuple[float, float, float, float]
NO_SHAPE: Shape = (0.0, 0.0, 0.0, 0.0)
GlyphKey = tuple[str, int]  # (font, the glyph's code in it)


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
    return Reading(text, top, total)


@functools.cache
def map_candidates(shown: str) -> int:
    """How many Han characters and CJK or full-width punctuation `collapsed` lets show as `shown`:
    from 5 (0 to ?) to about 1,900 (ÿ) of some 21,000."""
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
) -> list[tuple[int, str]]:
    """Pairs (index into `layer`, character read) of a run of text-layer characters and its OCR
    reading: one to one when the reading has as many characters; else the characters both read
    alike anchor the two (difflib), and a stretch between anchors pairs one to one when both
    sides are as long (s^ ~ 我市); else, within each OCR word (text, x0, x1), the layer characters
    whose centres (`boxes`: x0, x1 each) fall in it, when they are as many as the word's
    characters. Characters nobody can pair are left out."""
    chars = [ch for ch in read if not ch.isspace()]
    if len(chars) == len(layer):
        return list(enumerate(chars))
    pairs: dict[int, str] = {}
    matcher = difflib.SequenceMatcher(
        None, [fold(c) for c in layer], [fold(c) for c in chars], autojunk=False
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
    """An ASCII character read on a full-width glyph is its full-width form (what was printed)."""
    if advance >= FULL_WIDTH and "!" <= ch <= "~":
        return chr(ord(ch) + 0xFEE0)
    return ch


def is_odd(ch: str) -> bool:
    """A character a Chinese font read through a wrong map gives: accented Latin, controls,
    private-use or unassigned code points."""
    if "\u00c0" <= ch <= "\u024f":
        return True
    return ch not in " \r\n" and unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")


@dataclass(frozen=True)
class LayerChar:
    """One text-layer character (as pdf.page_glyphs keeps them) with its font and ink shape."""

    text: str
    font: str
    shape: Shape  # ink box about the origin, in ems (all 0 without ink)
    advance: float  # ems
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    ox: float  # origin, PDF user space
    oy: float


def layer_chars(page: pdfium.PdfPage) -> list[LayerChar]:
    """The page's characters in pdf.page_glyphs' order (generated ones and line breaks left out),
    each with its font's identity and its glyph's ink box."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        radicals = knowledge().radicals
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        x, y = ctypes.c_double(), ctypes.c_double()
        loose = pdfium_c.FS_RECTF()
        names: dict[int | None, str] = {}
        out = []
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            if pdfium_c.FPDFText_IsGenerated(raw, i):
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            ch = chr(code) if 0 < code < 0x110000 else "\ufffd"
            ch = radicals.get(ch, ch)
            if ch in "\r\n":
                continue
            font = _font_name(raw, i, names)
            size = max(pdfium_c.FPDFText_GetFontSize(raw, i), 1e-3)
            pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
            pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose)
            ink = (left.value - x.value, right.value - x.value, bottom.value - y.value, top.value - y.value)
            shape: Shape = (
                NO_SHAPE
                if min(ink[1] - ink[0], ink[3] - ink[2]) < NO_INK * size
                else (ink[0] / size, ink[1] / size, ink[2] / size, ink[3] / size)
            )
            out.append(
                LayerChar(
                    ch,
                    font,
                    shape,
                    (loose.right - loose.left) / size,
                    loose.left,
                    height - loose.top,
                    loose.right,
                    height - loose.bottom,
                    size,
                    x.value,
                    y.value,
                )
            )
        return out
    finally:
        textpage.close()


def _font_name(raw: pdfium_c.FPDF_TEXTPAGE, index: int, names: dict[int | None, str]) -> str:
    """A font's identity within the document: base name, family, weight and flags (a subset
    font may have no base name; its family and flags still tell it from the others)."""
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
    handle = ctypes.cast(font, ctypes.c_void_p).value
    if handle not in names:
        buffer = ctypes.create_string_buffer(256)
        base = buffer.value.decode("latin-1") if pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256) else ""
        family = buffer.value.decode("latin-1") if pdfium_c.FPDFFont_GetFamilyName(font, buffer, 256) else ""
        weight = pdfium_c.FPDFFont_GetWeight(font)
        flags = pdfium_c.FPDFFont_GetFlags(font)
        names[handle] = f"{base}|{family}|{weight}|{flags}"
    return names[handle]


def font_codes(path: str, password: str | None) -> list[list[tuple[float, float, str, int]]] | None:
    """Per page, every character pdfminer draws as (x, y of its origin, its font's identity, its
    code in the font): the glyph itself, which PDFium does not give. None if pdfminer cannot read
    the file."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Codes(PDFTextDevice):
        def __init__(self, manager: PDFResourceManager) -> None:
            super().__init__(manager)
            self.found: list[tuple[float, float, str, int]] = []
            self.fonts: dict[int, str] = {}

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            _, _, c, d, e, f = matrix
            name = self.fonts.setdefault(id(font), f"{getattr(font, 'fontname', '')}#{len(self.fonts)}")
            self.found.append((e + c * rise, f + d * rise, name, int(cid)))
            return float(font.char_width(cid)) * fontsize * scaling

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out = []
    try:
        with open(path, "rb") as fp:
            manager = PDFResourceManager(caching=True)
            device = Codes(manager)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.get_pages(fp, password=password or ""):
                device.found = []
                interpreter.process_page(page)
                out.append(device.found)
    except Exception:  # pdfminer raises many types on odd files; then there is no repair
        return None
    return out


def with_codes(chars: list[LayerChar], codes: list[tuple[float, float, str, int]]) -> list[GlyphKey | None]:
    """Each PDFium character's glyph: the pdfminer character drawn at its origin (within
    ORIGIN_SLACK points), else None."""
    grid: dict[tuple[int, int], list[tuple[float, float, str, int]]] = {}
    for code in codes:
        grid.setdefault((round(code[0]), round(code[1])), []).append(code)
    keys: list[GlyphKey | None] = []
    for c in chars:
        best, distance = None, ORIGIN_SLACK
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x, y, font, cid in grid.get((round(c.ox) + dx, round(c.oy) + dy), []):
                    d = max(abs(x - c.ox), abs(y - c.oy))
                    if d <= distance:
                        best, distance = (font, cid), d
        keys.append(best)
    return keys


Reader = Callable[[int, list[list[LayerChar]]], list[str | list[tuple[str, float, float]]]]
GlyphReader = Callable[[list[tuple[int, LayerChar]]], list[list[str]]]


@dataclass
class DocumentRepair:
    """The document's broken fonts and the readings voted for their glyphs."""

    pages: list[list[tuple[LayerChar, GlyphKey | None]]]
    broken: frozenset[str]
    readings: dict[GlyphKey, Reading]
    unread: frozenset[GlyphKey]  # needed glyphs left without a reading
    seconds: float = 0.0
    unmapped: frozenset[str] = frozenset()  # of the broken fonts, those read through no map at all

    def repair(self, index: int, glyphs: list[Glyph]) -> Repaired | str:
        """Page `index`'s glyphs (pdf.page_glyphs') read through the map, or why they cannot be."""
        chars = self.pages[index]
        if len(chars) != len(glyphs):
            return "its characters could not be matched with their fonts"
        share = _share_unmapped(chars, self.unmapped)
        if share > MAX_UNMAPPED_SHARE:
            return f"{share:.0%} of its characters are of fonts with no Unicode map: the page is read by OCR"
        out, mapped, weak = [], 0, 0
        missing: Counter[str] = Counter()
        for g, (c, key) in zip(glyphs, chars, strict=True):
            if c.font in self.broken and c.shape == NO_SHAPE and not g.text.isspace():
                out.append(replace(g, text=" "))
                mapped += 1
            elif not needs_reading(c, self.broken, self.unmapped):
                out.append(g)
            elif key is None or (reading := self.readings.get(key)) is None:
                missing[c.text] += 1
            else:
                mapped += 1
                weak += not reading.strong
                confidence = g.confidence if reading.strong else min(g.confidence, WEAK_CONFIDENCE)
                out.append(replace(g, text=reading.text, confidence=confidence))
        if missing:
            shown = " ".join(repr(ch) for ch in sorted(missing))
            return f"{sum(missing.values())} glyphs of a broken font have no clear reading ({shown})"
        return Repaired(out, mapped, weak)


@dataclass(frozen=True)
class Repaired:
    glyphs: list[Glyph]
    mapped: int  # characters of broken fonts read through the map
    weak: int  # of those, read by weak votes

    def note(self, fonts: int) -> str:
        weak = f", {self.weak} of them by weak votes (their figures flagged)" if self.weak else ""
        return (
            f"text layer repaired: {self.mapped} characters of {fonts} font(s) with a broken Unicode map "
            f"re-read through glyph readings voted from OCR of the document's lines{weak}"
        )


def needs_reading(c: LayerChar, broken: frozenset[str], unmapped: frozenset[str] = frozenset()) -> bool:
    if c.font not in broken or c.shape == NO_SHAPE:
        return False
    if c.font in unmapped:
        return True
    if c.advance < FULL_WIDTH and "!" <= c.text <= "~":
        return False  # a half-width glyph is no Han character: its map (high byte 0) was copied right
    return ord(c.text[0]) < TRUSTED_FROM or is_odd(c.text)


def unmapped_fonts(pages: Sequence[Sequence[LayerChar]], broken: frozenset[str]) -> frozenset[str]:
    """Broken fonts read through no map at all (a re-distill that dropped a font's ToUnicode):
    most of their characters odd (raw codes), or most of their Han characters rare ones (codes
    taken for a CJK charset: 䡒䑣魌). Every glyph of theirs needs a reading."""
    han: dict[str, list[bool]] = {}
    odd: dict[str, list[bool]] = {}
    for chars in pages:
        for c in chars:
            if c.font in broken and not c.text.isspace():
                odd.setdefault(c.font, []).append(is_odd(c.text))
                if "\u3400" <= c.text <= "\u9fff":
                    han.setdefault(c.font, []).append(is_common_han(c.text))
    rare = {
        f
        for f, common in han.items()
        if len(common) >= MIN_JUDGED and sum(common) < COMMON_CJK_SHARE * len(common)
    }
    raw = {f for f, flags in odd.items() if len(flags) >= MIN_JUDGED and 2 * sum(flags) > len(flags)}
    return frozenset(rare | raw)


def _share_unmapped(page: Sequence[tuple[LayerChar, GlyphKey | None]], unmapped: frozenset[str]) -> float:
    visible = [c for c, _ in page if not c.text.isspace()]
    return sum(c.font in unmapped for c in visible) / max(1, len(visible))


def broken_fonts(pages: Sequence[Sequence[LayerChar]]) -> frozenset[str]:
    """Fonts with a character no Chinese font maps a glyph to, or an ASCII one drawn one em wide."""
    return frozenset(
        c.font
        for chars in pages
        for c in chars
        if is_odd(c.text) or (is_latin(c.text) and c.advance >= FULL_WIDTH)
    )


def runs(chars: Sequence[LayerChar]) -> list[list[int]]:
    """Indexes of the page's characters in runs: consecutive in content order, on one line,
    no gap wider than WORD_GAP of the size, no space."""
    out: list[list[int]] = []
    for i, c in enumerate(chars):
        if c.text.isspace() or c.x1 <= c.x0:
            if out and out[-1]:
                out.append([])
            continue
        if out and out[-1]:
            p = chars[out[-1][-1]]
            same_line = abs((p.top + p.bottom) / 2 - (c.top + c.bottom) / 2) < 0.5 * max(p.size, c.size)
            if same_line and -0.2 * c.size <= c.x0 - p.x1 <= WORD_GAP * max(p.size, c.size):
                out[-1].append(i)
                continue
        out.append([i])
    return [r for r in out if r]


def build(
    doc: pdfium.PdfDocument,
    codes: list[list[tuple[float, float, str, int]]] | None,
    read_runs: Reader,
    deadline: float,
    first: int = 0,
    second_look: GlyphReader | None = None,
    wanted: range | None = None,
) -> DocumentRepair:
    """The document pass: broken fonts, then votes from OCR of the runs that carry their glyphs,
    page after page (from page `first`, then the rest) until every needed glyph has enough;
    a glyph with votes but no reading is read once more alone, larger (`second_look`), and that
    reading counts when its broken map confirms it. Only the glyphs of pages `wanted` (all, if
    None) are sought: a chunk of a split file repairs its own pages."""
    start = time.monotonic()
    pages: list[list[tuple[LayerChar, GlyphKey | None]]] = []
    for i in range(len(doc)):
        page = doc[i]
        try:
            chars = layer_chars(page)
        finally:
            page.close()
        found = codes[i] if codes is not None and len(codes) == len(doc) else []
        pages.append(list(zip(chars, with_codes(chars, found), strict=True)))
    broken = broken_fonts([[c for c, _ in p] for p in pages])
    unmapped = unmapped_fonts([[c for c, _ in p] for p in pages], broken)
    sought = [
        p
        for i, p in enumerate(pages)
        if (wanted is None or i in wanted) and _share_unmapped(p, unmapped) <= MAX_UNMAPPED_SHARE
    ]
    needed = {k for p in sought for c, k in p if k is not None and needs_reading(c, broken, unmapped)}
    votes: dict[GlyphKey, Counter[str]] = {k: Counter() for k in needed}
    advance = {k: c.advance for p in pages for c, k in p if k in needed}
    guesses: dict[GlyphKey, Counter[str]] = {k: Counter() for k in needed}  # unconfirmed second looks
    shown = {k: c.text for p in pages for c, k in p if k in needed}

    def confirm(key: GlyphKey) -> Callable[[str], str | None]:
        def form(text: str) -> str | None:
            return next((f for f in forms(text, advance.get(key, 0.0)) if collapsed(shown[key], f)), None)

        return form

    def refutable(key: GlyphKey) -> bool:
        return map_candidates(shown[key]) > 0

    def specific(key: GlyphKey) -> bool:
        narrow = advance.get(key, 1.0) < FULL_WIDTH  # a Latin letter read as itself off a Latin-wide glyph
        return 0 < map_candidates(shown[key]) <= SPECIFIC or (narrow and votes[key][fold(shown[key])] > 0)

    near = [i for i in (wanted or range(len(pages))) if i != first]
    order = [first, *near, *[i for i in range(len(pages)) if i != first and i not in near]]
    for index in order:
        if time.monotonic() > deadline:
            break
        open_keys = {k for k in needed if _wants(votes[k], confirm(k), specific(k), refutable(k))}
        if not open_keys:
            break
        chars = [c for c, _ in pages[index]]
        keys = [k for _, k in pages[index]]
        to_read = [r for r in runs(chars) if any(keys[i] in open_keys for i in r)]
        if not to_read:
            continue
        readings = read_runs(index, [[chars[i] for i in r] for r in to_read])
        for run, read in zip(to_read, readings, strict=True):
            layer = [chars[i].text for i in run]
            if isinstance(read, str):
                pairs = align(layer, read)
            else:
                pairs = align(
                    layer, "".join(w for w, _, _ in read), [(chars[i].x0, chars[i].x1) for i in run], read
                )
            for j, ch in pairs:
                key = keys[run[j]]
                if key in votes:  # folded: OCR reads （ as ( or （ at random; the glyph's width decides
                    votes[key][fold(ch)] += 1
                    advance[key] = chars[run[j]].advance
    left = [k for k in needed if _wants(votes[k], confirm(k), specific(k), refutable(k))]
    if left and second_look is not None and time.monotonic() < deadline:
        where = {k: (i, c) for i, p in enumerate(pages) for c, k in p if k in left}
        for k, reads in zip(left, second_look([where[k] for k in left]), strict=True):
            for read in reads:
                if confirm(k)(fold(read)) is not None:
                    votes[k][fold(read)] += 1
                else:
                    guesses[k][fold(read)] += 1
    elected = {
        k: r if r.confirmed else replace(r, text=as_printed(r.text, advance[k]))
        for k, r in (
            (k, vote(v, confirm(k), specific(k), refutable(k)) or guess(v + guesses[k]))
            for k, v in votes.items()
        )
        if r is not None
    }
    unread = frozenset(needed - elected.keys())
    return DocumentRepair(pages, broken, elected, unread, time.monotonic() - start, unmapped)


def _wants(
    counts: Counter[str], confirm: Callable[[str], str | None], specific: bool, refutable: bool
) -> bool:
    """More votes would help: no reading yet, or only a weak one."""
    reading = vote(counts, confirm, specific, refutable)
    return reading is None or not reading.strong


def ocr_reader(doc: pdfium.PdfDocument, engine: OcrEngine, timeout: float) -> Reader:
    """Runs read by the OCR engine: cut from the page rendered at REPAIR_DPI, stacked
    RUNS_PER_CALL at a time, each OCR word given back to its run in page points."""
    from pipeline.ocr.raster import render_gray

    scale = REPAIR_DPI / 72

    def read(index: int, batch: list[list[LayerChar]]) -> list[str | list[tuple[str, float, float]]]:
        page = doc[index]
        try:
            gray = render_gray(page, REPAIR_DPI)
        finally:
            page.close()
        out: list[str | list[tuple[str, float, float]]] = []
        for at in range(0, len(batch), RUNS_PER_CALL):
            out.extend(_read_stack(gray, batch[at : at + RUNS_PER_CALL], engine, scale, timeout))
        return out

    return read


def _read_stack(
    gray: Gray, batch: list[list[LayerChar]], engine: OcrEngine, scale: float, timeout: float
) -> list[str | list[tuple[str, float, float]]]:
    crops, places = [], []
    y = 20
    for run in batch:
        x0, x1 = min(c.x0 for c in run), max(c.x1 for c in run)
        top, bottom = min(c.top for c in run), max(c.bottom for c in run)
        pad = RUN_PAD * (bottom - top)
        px0, px1 = max(0, round((x0 - pad) * scale)), round((x1 + pad) * scale)
        pt, pb = max(0, round((top - pad) * scale)), round((bottom + pad) * scale)
        crop = gray[pt:pb, px0:px1]
        crops.append(crop)
        places.append((y, y + crop.shape[0], px0))
        y += crop.shape[0] + max(20, crop.shape[0] // 2)
    width = max((c.shape[1] for c in crops), default=1) + 40
    canvas = np.full((y + 20, width), 255, np.uint8)
    for crop, (y0, y1, _) in zip(crops, places, strict=True):
        canvas[y0:y1, 20 : 20 + crop.shape[1]] = crop
    words = engine.read(canvas, REPAIR_DPI, "lines", timeout)
    found: list[list[tuple[str, float, float]]] = [[] for _ in batch]
    if isinstance(words, PipelineError):
        return list(found)
    for w in words:
        cy = (w.top + w.bottom) / 2
        for n, (y0, y1, px0) in enumerate(places):
            if y0 <= cy < y1:
                found[n].append((w.text, (w.x0 - 20 + px0) / scale, (w.x1 - 20 + px0) / scale))
                break
    return [sorted(f, key=lambda w: w[1]) for f in found]


def glyph_reader(doc: pdfium.PdfDocument, engine: OcrEngine, timeout: float) -> GlyphReader:
    """Glyphs read alone, each at GLYPH_HEIGHTS (the engine reads a lone Han glyph differently at
    each size; the broken map tells which reading is right): cut tight from the page, stacked one
    per line, every reading given back."""

    def read(glyphs: list[tuple[int, LayerChar]]) -> list[list[str]]:
        rows: list[tuple[int, Gray]] = []
        for n, (index, c) in enumerate(glyphs):
            crop = _glyph_image(doc, index, c)
            for height in GLYPH_HEIGHTS:
                scale = height / max(1, crop.shape[0])
                image = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
                rows.append((n, np.asarray(image, dtype=np.uint8)))
        gap = max(GLYPH_HEIGHTS)
        canvas = np.full(
            (
                sum(r.shape[0] + gap for _, r in rows) + gap,
                max((r.shape[1] for _, r in rows), default=1) + 2 * gap,
            ),
            255,
            np.uint8,
        )
        places, y = [], gap
        for n, image in rows:
            canvas[y : y + image.shape[0], gap : gap + image.shape[1]] = image
            places.append((n, y, y + image.shape[0]))
            y += image.shape[0] + gap
        found: list[list[str]] = [[] for _ in glyphs]
        words = engine.read(canvas, REPAIR_DPI, "lines", timeout)
        if isinstance(words, PipelineError):
            return found
        for w in words:
            cy = (w.top + w.bottom) / 2
            for n, y0, y1 in places:
                if y0 - gap / 2 <= cy < y1 + gap / 2 and len(w.text.strip()) == 1:
                    found[n].append(w.text.strip())
                    break
        return found

    return read


def _glyph_image(doc: pdfium.PdfDocument, index: int, c: LayerChar) -> Gray:
    """The glyph's em box and a little white, in gray, GLYPH_DPI."""
    page = doc[index]
    try:
        width, height = page.get_size()
        pad = 0.1 * c.size
        crop = (
            max(0.0, c.x0 - pad),
            max(0.0, height - c.bottom - pad),
            max(0.0, width - c.x1 - pad),
            max(0.0, c.top - pad),
        )
        bitmap = page.render(scale=GLYPH_DPI / 72, crop=crop, grayscale=True)
        try:
            image = bitmap.to_numpy()
            return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0], dtype=np.uint8)
        finally:
            bitmap.close()
    finally:
        page.close()
