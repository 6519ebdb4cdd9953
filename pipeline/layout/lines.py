"""Positioned glyphs → words → lines, the same for text-layer characters and OCR words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.core.model import BBox, Line, Word

WORD_GAP = 0.3  # a gap wider than this share of the font size separates two words
PAGE_FURNITURE_MARGIN = 0.1  # top/bottom share of the page where running heads and folios sit
# … and where a folio that says it is one (第2页, - 2 -, 2/10) may sit: a phone photo's page, its
# outline straightened, put 第 2 页 10.3% from the bottom, and 表三's continuation was not joined
MARKED_FOLIO_MARGIN = 0.15
_MARKED_FOLIO = re.compile(r"[-—–－]\d{1,4}[-—–－]|第\d{1,4}页(共\d{1,4}页)?|\d{1,4}/\d{1,4}")
_FOLIO = re.compile(rf"{_MARKED_FOLIO.pattern}|[-—–－]?\d{{1,4}}[-—–－]?|-\s*\d+\s*-")  # a bare number too
# at most 6 characters, none Chinese (ideographs, CJK punctuation, full-width forms), one a digit or dash
_GARBLED_FOLIO = re.compile(r"(?=.*[\d\-—–_~])[^\u3000-\u9fff\uff00-\uffef]{1,6}")


@dataclass(frozen=True)
class Glyph:
    """One character of a text layer, or one word of an OCR engine (text may be several chars)."""

    text: str
    bbox: BBox
    size: float
    confidence: float = 1.0


def glyphs_to_lines(glyphs: Sequence[Glyph]) -> tuple[Line, ...]:
    """Group glyphs into lines by vertical overlap, then split each line into words at gaps."""
    if len(glyphs) == 1:  # a table cell of one glyph needs no grouping
        return (_row_to_line(list(glyphs)),) if glyphs[0].text.strip() else ()
    rows: list[list[Glyph]] = []
    bands: list[tuple[float, float]] = []
    for g in sorted(glyphs, key=lambda g: (g.bbox.top + g.bbox.bottom) / 2):
        cy = (g.bbox.top + g.bbox.bottom) / 2
        if rows:
            top, bottom = bands[-1]
            if top <= cy <= bottom:
                rows[-1].append(g)
                # the band follows the line, so slightly uneven baselines stay together
                bands[-1] = (
                    min(top, g.bbox.top + 0.25 * g.bbox.height),
                    max(bottom, g.bbox.bottom - 0.25 * g.bbox.height),
                )
                continue
        rows.append([g])
        bands.append((g.bbox.top + 0.25 * g.bbox.height, g.bbox.bottom - 0.25 * g.bbox.height))
    return tuple(_row_to_line(row) for row in rows if any(g.text.strip() for g in row))


def _row_to_line(row: list[Glyph]) -> Line:
    row = sorted(row, key=lambda g: g.bbox.x0)
    words: list[Word] = []
    current: list[Glyph] = []

    def flush() -> None:
        if current:
            box = _enclosing([g.bbox for g in current])
            size = max(g.size for g in current)
            words.append(
                Word("".join(g.text for g in current), box, size, min(g.confidence for g in current))
            )
            current.clear()

    for g in row:
        if not g.text.strip():
            flush()
            continue
        if current and g.bbox.x0 - current[-1].bbox.x1 > WORD_GAP * max(g.size, current[-1].size):
            flush()
        current.append(g)
    flush()
    box = _enclosing([w.bbox for w in words])
    size = sorted(w.size for w in words)[len(words) // 2]
    return Line(" ".join(w.text for w in words), box, size, tuple(words))


def _enclosing(boxes: Sequence[BBox]) -> BBox:
    if len(boxes) == 1:
        return boxes[0]
    return BBox(
        min(b.x0 for b in boxes),
        min(b.top for b in boxes),
        max(b.x1 for b in boxes),
        max(b.bottom for b in boxes),
    )


def outside(glyphs: Iterable[Glyph], regions: Sequence[BBox]) -> list[Glyph]:
    """Glyphs whose centre lies in none of `regions` (e.g. text that is not inside a table)."""
    if not regions:
        return list(glyphs)
    return [g for g in glyphs if not any(r.contains_point(*g.bbox.center, slack=1.0) for r in regions)]


def is_page_furniture(line: Line, page_height: float) -> bool:
    """A folio such as '-3-', '3', '第3页', '3/10' in the top or bottom margin, or what OCR makes
    of one ('1 M 1' for '- 2 -'): a few characters with a digit or dash and no Chinese. One marked
    as a folio ('第3页', '-3-', '3/10') a little further in too (MARKED_FOLIO_MARGIN)."""
    text = line.text.replace(" ", "")
    if _MARKED_FOLIO.fullmatch(text) and _in_margin(line, page_height, MARKED_FOLIO_MARGIN):
        return True
    return _in_margin(line, page_height, PAGE_FURNITURE_MARGIN) and (
        _FOLIO.fullmatch(text) is not None or _GARBLED_FOLIO.fullmatch(text) is not None
    )


def _in_margin(line: Line, page_height: float, share: float) -> bool:
    return line.bbox.bottom < page_height * share or line.bbox.top > page_height * (1 - share)
