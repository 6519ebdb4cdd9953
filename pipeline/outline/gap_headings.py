"""Level-1 headings whose numbering OCR misread past knowing, found by their words.

A photocopy's speck or a broken stroke turns "二、" into "芝", "二:", "壹、" or "上 |、", and
the heading is no longer found by its numbering. Where the level-1 numbers found skip (一、 then
三、, or the first found is 三、), the lines between are searched for those that open — after a
few characters, the numbering misread — with a standard heading's wording (knowledge/headings.csv)
read at most one character in four off, and end there, run into a sentence or end in a few
characters of junk. When the lines so found are at least as many as the numbers missing, the
best of them take those numbers in order; after the last number found, each such line that is
no sentence (无其他需要报告的事项。) takes the number its junk reads ("-六、") if that is later,
else the next. Only lines read by OCR are searched: a text layer prints its numbering as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from pipeline.core.text import CN_NUMERALS, level1_number, numbering_of, prefix_edit_distances, squash
from pipeline.outline.headings import GAP_MARKS, SENTENCE_START
from pipeline.outline.kinds import section_kind
from pipeline.outline.phrasings import standard_wordings

JUNK_BEFORE_CHARS = 3  # the numbering and its mark as OCR misread them ("上|、")
JUNK_AFTER_CHARS = 4  # specks after the heading, or a folio run into it ("第!页")
CHARS_PER_EDIT = 4  # a wording of n characters may be read n // 4 edits off (≥ 1) …
EXACT_UP_TO = 4  # … but one this short only as printed (概述, 总体情况)
MAX_CANDIDATES = 12  # lines matching in one gap, at most, that are weighed against each other
_SENTENCE_MARKS = "。，；,;"


@dataclass(frozen=True)
class GapHeading:
    line: int  # index into the lines given
    number: int
    wording: str


@dataclass(frozen=True)
class _Opening:
    line: int
    wording: str
    edits: int
    numeral: int | None = None  # a level-1 numeral read among the junk before it ("-六、")
    sentence: bool = False  # a full stop right after it: 无其他需要报告的事项。 may be a sentence


def gap_headings(lines: Sequence[str | None], found: Sequence[tuple[int, int]]) -> list[GapHeading]:
    """Headings for the level-1 numbers missing from `found` ((line index, number) in line
    order), from `lines` (None for a line that may not be one: a text layer's, or a heading's)."""
    bounds = [(-1, 0), *found]
    out: list[GapHeading] = []
    for (start, low), (end, high) in zip(bounds, [*bounds[1:], (len(lines), 0)], strict=True):
        openings = [o for i in range(start + 1, end) if (o := _opening(lines[i], i))]
        if high:  # a gap between two numbers found: its numbers, in order
            missing = high - low - 1
            if missing <= 0 or len(openings) < missing:
                continue
            chosen = _best(openings, missing)
            out += [GapHeading(o.line, low + k + 1, o.wording) for k, o in enumerate(chosen)]
        elif found:  # after the last number found: each line that opens with a wording and is
            for o in openings:  # no sentence, numbered as its junk reads if that is later, else next
                if o.sentence or low >= len(CN_NUMERALS):
                    continue
                low = o.numeral if o.numeral and o.numeral > low else low + 1
                out.append(GapHeading(o.line, low, o.wording))
    return out  # (no numbering found at all: nothing says any line is a heading)


Heading = tuple[int, int, str, str]  # (line index, level, number as printed, heading text)


def with_gap_headings(lines: Sequence[str | None], heads: list[Heading]) -> list[Heading]:
    """`heads` and the level-1 headings `gap_headings` finds in `lines`, numbered with the
    separator the others print; after the last heading found, only a section not headed already."""
    level1 = [(i, number) for i, level, number, _ in heads if level == 1]
    found = [(i, level1_number(number)) for i, number in level1]
    separator = Counter(number[-1] for _, number in level1).most_common(1)[0][0] if level1 else "、"
    kinds = {section_kind(text) for _, level, _, text in heads if level == 1}
    last = level1[-1][0] if level1 else len(lines)
    added = []
    for gap in gap_headings(lines, found):
        if gap.line > last and section_kind(gap.wording) in kinds:
            continue
        kinds.add(section_kind(gap.wording))
        number = CN_NUMERALS[gap.number - 1] + separator
        added.append((gap.line, 1, number, number + gap.wording))
    return sorted(heads + added) if added else heads


def _best(openings: list[_Opening], count: int) -> tuple[_Opening, ...]:
    """The `count` openings, in line order, read closest to their wordings."""
    pool = sorted(openings, key=lambda o: o.edits)[:MAX_CANDIDATES]
    pool.sort(key=lambda o: o.line)
    return min(combinations(pool, count), key=lambda chosen: sum(o.edits for o in chosen))


def _opening(line: str | None, index: int) -> _Opening | None:
    """The standard wording `line` opens with, after at most JUNK_BEFORE_CHARS characters of
    misread numbering, when the heading ends there, runs into a sentence or into a little junk."""
    if line is None:
        return None
    numbered = numbering_of(line)
    if numbered and numbered[0] > 1:
        return None  # (一)加强组织领导 is a level-2 heading of the same words
    text = squash(line)
    best: _Opening | None = None
    for junk in range(JUNK_BEFORE_CHARS + 1):
        if any(ch in _SENTENCE_MARKS + "()" or ch.isdigit() for ch in text[:junk]):
            break
        for wording in standard_wordings():
            allowed = 0 if len(wording) <= EXACT_UP_TO else max(1, len(wording) // CHARS_PER_EDIT)
            window = text[junk : junk + len(wording) + allowed]
            present = set(window)
            if sum(ch not in present for ch in wording) > allowed:
                continue  # each of the wording's characters not read needs an edit
            distances = prefix_edit_distances(window, wording)
            for size in range(len(wording) - allowed, len(window) + 1):
                edits = distances[size]
                if edits > allowed or (best and best.edits <= edits):
                    continue
                rest = text[junk + size :]
                if _heading_ends(rest):
                    numeral = next((n for n, ch in enumerate(CN_NUMERALS, 1) if ch in text[:junk]), None)
                    best = _Opening(index, wording, edits, numeral, rest[:1] == "。")
    return best


def _heading_ends(rest: str) -> bool:
    """What follows a heading's words on its line: nothing, a sentence, or a little junk."""
    if not rest or SENTENCE_START.match(rest.lstrip(GAP_MARKS)) or rest[0] in "。":
        return True
    return len(rest) <= JUNK_AFTER_CHARS and not re.search(f"[{_SENTENCE_MARKS}:：]", rest)  # 如下：
