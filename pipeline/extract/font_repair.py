"""A text layer whose subset fonts map some glyphs to wrong codes, repaired from the page's own OCR.

A ghostscript `pdfwrite` re-distill keeps every glyph where it was but can break the ToUnicode
map of a subset font: some of its glyphs read as other codes — accented Latin letters (（ → ÿ,
） → Ā), controls (年 → \\x80), Latin-1 signs (议 → °), ASCII (三 → O, 、 → 1) — or, when it drops
the map, as raw codes. A glyph of one font is always the same shape, so the wrong map is per glyph
(font, code: glyph_source.py). The repair, once per document (or per chunk of a split file):

1. broken fonts: fonts with an odd character (accented Latin, control, private use, unassigned) or
   a Latin one drawn one em wide anywhere in the document; of those, *unmapped* fonts read through
   no map at all (mostly raw codes, or mostly rare Han characters from a wrong charset) — a page
   mostly in their glyphs not named by outline is left to OCR;
2. named by outline: every glyph of a broken font that an installed font holds with the same
   points (font_outlines.py) takes that font's character — exact, whatever its map says;
   of the others, needing a reading: every full-width glyph of a broken font that reads below
   U+2E80, every glyph its font maps to nothing, and every glyph of an unmapped font; Han
   characters and CJK punctuation are taken as they read, a half-width Latin glyph too (its map,
   high byte 0, was copied right), a glyph with no ink is a space;
3. runs of such glyphs are cut from the page image, stacked and read by the OCR engine, page after
   page until every needed glyph has a sure reading; each run is aligned with its reading and each
   pair is a vote (glyph → character read);
4. the vote (glyph_map.py): a reading the broken map confirms wins — sure when few characters fit
   the map, or voted twice; else a clear majority, weak when the map could have confirmed it;
   a glyph still unsure is read once more alone at three sizes; one still without a reading
   keeps its likeliest, weak. A weak glyph keeps WEAK_CONFIDENCE, which its words, cells and
   facts inherit (flagged as doubtful);
5. a page whose glyphs all have a reading is read from its repaired layer (exact positions,
   exact tables: `repaired_text`), and so is one with a few glyphs never read (MAX_UNREAD), each
   left in its place as UNREAD at confidence 0 — OCR of the whole page for one glyph lost more
   than it read (headings, figures); a page with more is OCRed as before.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import pypdfium2 as pdfium

from pipeline.core.text import UNREAD, fold
from pipeline.extract.decide import COMMON_CJK_SHARE, is_common_han
from pipeline.extract.font_outlines import EmbeddedFont, glyph_names, installed_faces
from pipeline.extract.glyph_map import (
    FULL_WIDTH,
    SPECIFIC,
    Reading,
    align,
    as_printed,
    collapsed,
    forms,
    guess,
    is_odd,
    map_candidates,
    vote,
)
from pipeline.extract.glyph_source import (
    NO_SHAPE,
    FontCodes,
    GlyphKey,
    GlyphReader,
    LayerChar,
    Reader,
    layer_chars,
    runs,
    with_codes,
)
from pipeline.extract.pdf import is_latin
from pipeline.knowledge.load import knowledge
from pipeline.layout.lines import Glyph

TRUSTED_FROM = 0x2E80  # a broken font's characters from here on (radicals, CJK punctuation, Han) read right
WEAK_CONFIDENCE = 0.6  # a glyph read by weak votes (below SOUND_CONFIDENCE: its facts are flagged)
MAX_UNMAPPED_SHARE = 0.3  # a page with more of its characters in unmapped fonts is read by OCR
MIN_JUDGED = 10  # characters of a font `unmapped_fonts` needs to judge it
MAX_UNREAD = 3  # glyphs never read stay in place as UNREAD, at confidence 0, up to this many …
MAX_UNREAD_SHARE = 0.01  # … or this share of the page's characters; with more, the page is read by OCR


@dataclass
class DocumentRepair:
    """The document's broken fonts and the readings voted for their glyphs."""

    pages: list[list[tuple[LayerChar, GlyphKey | None]]]
    broken: frozenset[str]
    readings: dict[GlyphKey, Reading]
    unmapped: frozenset[str] = frozenset()  # of the broken fonts, those read through no map at all
    named: frozenset[GlyphKey] = frozenset()  # glyphs named by their outline (font_outlines.py)

    def repair(self, index: int, glyphs: list[Glyph]) -> Repaired | str:
        """Page `index`'s glyphs (pdf.page_glyphs') read through the map, or why they cannot be."""
        chars = self.pages[index]
        if len(chars) != len(glyphs):
            return "its characters could not be matched with their fonts"
        share = _share_unread(chars, self.unmapped, self.named)
        if share > MAX_UNMAPPED_SHARE:
            return f"{share:.0%} of its characters are of fonts with no Unicode map: the page is read by OCR"
        out, mapped, weak, outlined = [], 0, 0, 0
        missing: Counter[str] = Counter()
        drawn: tuple[GlyphKey, float, float] | None = None
        for g, (c, key) in zip(glyphs, chars, strict=True):
            last, drawn = drawn, (key, c.ox, c.oy) if key is not None else None
            if c.font in self.broken and drawn == last:
                mapped += 1  # one glyph PDFium spelt as two characters (a code its encoding calls fi)
            elif key in self.named:  # exact: the glyph of an installed font, whatever its map says
                changed = self.readings[key].text != g.text
                mapped += changed
                outlined += changed
                out.append(replace(g, text=self.readings[key].text))
            elif c.font in self.broken and c.shape == NO_SHAPE and not g.text.isspace():
                out.append(replace(g, text=" "))
                mapped += 1
            elif not needs_reading(c, self.broken, self.unmapped):
                out.append(g)
            elif key is None or (reading := self.readings.get(key)) is None:
                missing[c.text] += 1
                out.append(replace(g, text=UNREAD, confidence=0.0))
            else:
                mapped += 1
                weak += not reading.strong
                confidence = g.confidence if reading.strong else min(g.confidence, WEAK_CONFIDENCE)
                out.append(replace(g, text=reading.text, confidence=confidence))
        unread = sum(missing.values())
        if unread > max(MAX_UNREAD, MAX_UNREAD_SHARE * len(glyphs)):
            shown = " ".join(repr(ch) for ch in sorted(missing))
            return f"{unread} glyphs of a broken font have no clear reading ({shown})"
        return Repaired(out, mapped, weak, outlined, unread)


@dataclass(frozen=True)
class Repaired:
    glyphs: list[Glyph]
    mapped: int  # characters of broken fonts read through the map
    weak: int  # of those, read by weak votes
    outlined: int = 0  # of those, named by their outline in an installed font
    unread: int = 0  # glyphs never read, left as UNREAD

    def note(self, fonts: int) -> str:
        weak = f", {self.weak} of them by weak votes (their figures flagged)" if self.weak else ""
        if self.unread:
            weak += f"; {self.unread} never read, left as {UNREAD} (their lines and figures flagged)"
        outlined = (
            f", {self.outlined} of them named by their outline in an installed font" if self.outlined else ""
        )
        return (
            f"text layer repaired: {self.mapped} characters of {fonts} font(s) with a broken Unicode map "
            f"re-read through glyph readings voted from OCR of the document's lines{outlined}{weak}"
        )


def needs_reading(c: LayerChar, broken: frozenset[str], unmapped: frozenset[str] = frozenset()) -> bool:
    if c.font not in broken or c.shape == NO_SHAPE:
        return False
    if c.font in unmapped or c.unmapped:
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


def _share_unread(
    page: Sequence[tuple[LayerChar, GlyphKey | None]], unmapped: frozenset[str], named: Collection[GlyphKey]
) -> float:
    """The share of the page's characters in fonts with no map, not named by their outline."""
    visible = [(c, k) for c, k in page if not c.text.isspace() or c.unmapped]
    return sum(c.font in unmapped and k not in named for c, k in visible) / max(1, len(visible))


def _named_by_outline(keys: set[GlyphKey], fonts: Mapping[str, EmbeddedFont]) -> dict[GlyphKey, Reading]:
    """Glyphs of broken fonts that an installed font holds: each a sure reading."""
    by_font: dict[str, set[int]] = {}
    for font, code in keys:
        if font in fonts:
            by_font.setdefault(font, set()).add(code)
    if not by_font:
        return {}
    faces = installed_faces()
    radicals = knowledge().radicals  # a radical drawn for its ideograph (⺠ for 民) is that ideograph
    return {
        (font, code): Reading(radicals.get(text, text), 1, 1, confirmed=True, specific=True)
        for font, codes in by_font.items()
        for code, text in glyph_names(fonts[font], sorted(codes), faces).items()
    }


def broken_fonts(pages: Sequence[Sequence[LayerChar]]) -> frozenset[str]:
    """Fonts with a character no Chinese font maps a glyph to, a Latin one drawn one em wide, or
    one whose code the font maps to nothing (a subset re-encoded without its map)."""
    return frozenset(
        c.font
        for chars in pages
        for c in chars
        if c.unmapped or is_odd(c.text) or (is_latin(c.text) and c.advance >= FULL_WIDTH)
    )


def build(
    doc: pdfium.PdfDocument,
    codes: FontCodes | None,
    read_runs: Reader,
    deadline: float,
    first: int = 0,
    second_look: GlyphReader | None = None,
    wanted: range | None = None,
) -> DocumentRepair:
    """The document pass: broken fonts, then votes from OCR of the runs that carry their glyphs,
    page after page (from page `first`, then the rest) until every needed glyph has a sure
    reading; a glyph still unsure is read once more alone (`second_look`): a reading its broken map
    confirms is a vote, any other only a guess for a glyph left without a reading. Only the
    glyphs of pages `wanted` (all, if None) are sought: a chunk of a split file repairs its own pages."""
    pages: list[list[tuple[LayerChar, GlyphKey | None]]] = []
    for i in range(len(doc)):
        page = doc[i]
        try:
            chars = layer_chars(page)
        finally:
            page.close()
        found = codes.pages[i] if codes is not None and len(codes.pages) == len(doc) else []
        pages.append(list(zip(chars, with_codes(chars, found), strict=True)))
    broken = broken_fonts([[c for c, _ in p] for p in pages])
    unmapped = unmapped_fonts([[c for c, _ in p] for p in pages], broken)
    shaped = {k for p in pages for c, k in p if k is not None and c.font in broken and c.shape != NO_SHAPE}
    named = _named_by_outline(shaped, codes.fonts if codes is not None else {})
    sought = [
        p
        for i, p in enumerate(pages)
        if (wanted is None or i in wanted) and _share_unread(p, unmapped, named) <= MAX_UNMAPPED_SHARE
    ]
    needed = {
        k
        for p in sought
        for c, k in p
        if k is not None and k not in named and needs_reading(c, broken, unmapped)
    }
    votes: dict[GlyphKey, Counter[str]] = {k: Counter() for k in needed}
    advance = {k: c.advance for p in pages for c, k in p if k in needed}
    guesses: dict[GlyphKey, Counter[str]] = {k: Counter() for k in needed}  # unconfirmed second looks
    shown = {k: c.text for p in pages for c, k in p if k in needed}
    mapless = {k for p in pages for c, k in p if k in needed and (c.unmapped or c.font in unmapped)}

    def confirm(key: GlyphKey) -> Callable[[str], str | None]:
        def form(text: str) -> str | None:
            if key in mapless:
                return None  # its raw code confirms nothing
            return next((f for f in forms(text, advance[key]) if collapsed(shown[key], f)), None)

        return form

    def elect(key: GlyphKey) -> Reading | None:
        candidates = 0 if key in mapless else map_candidates(shown[key])
        narrow = advance[key] < FULL_WIDTH  # a Latin letter read as itself off a Latin-wide glyph
        specific = 0 < candidates <= SPECIFIC or (narrow and votes[key][fold(shown[key])] > 0)
        return vote(votes[key], confirm(key), specific, refutable=candidates > 0)

    def unsure(key: GlyphKey) -> bool:  # more votes would help: no reading yet, or only a weak one
        reading = elect(key)
        return reading is None or not reading.strong

    near = [i for i in (wanted or range(len(pages))) if i != first]
    order = [first, *near, *[i for i in range(len(pages)) if i != first and i not in near]]
    for index in order:
        if time.monotonic() > deadline:
            break
        open_keys = {k for k in needed if unsure(k)}
        if not open_keys:
            break
        chars = [c for c, _ in pages[index]]
        keys = [k for _, k in pages[index]]
        # a glyph alone (a one-digit cell) is left to the second look: read amid a stack of runs,
        # with no context, it misleads (a lone 6 read 0 five times in seven)
        to_read = [r for r in runs(chars) if len(r) > 1 and any(keys[i] in open_keys for i in r)]
        if not to_read:
            continue
        readings = read_runs(index, [[chars[i] for i in r] for r in to_read])
        for run, read in zip(to_read, readings, strict=True):
            layer = [chars[i].text for i in run]
            unknown = [j for j, i in enumerate(run) if keys[i] in votes]
            if isinstance(read, str):
                pairs = align(layer, read, unknown=unknown)
            else:
                boxes = [(chars[i].x0, chars[i].x1) for i in run]
                pairs = align(layer, "".join(w for w, _, _ in read), boxes, read, unknown)
            for j, ch in pairs:
                key = keys[run[j]]
                if key in votes:  # folded: OCR reads （ as ( or （ at random; the glyph's width decides
                    votes[key][fold(ch)] += 1
    left = [k for k in needed if unsure(k)]
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
        for k, r in ((k, elect(k) or guess(votes[k] + guesses[k])) for k in needed)
        if r is not None
    }
    return DocumentRepair(pages, broken, elected | named, unmapped, frozenset(named))
