"""An office's name read as an area and what of the area issues the report.

    江苏省淮安市洪泽区人民政府      areas 江苏省 › 淮安市 › 洪泽区, rest 人民政府
    淮安市洪泽区卫生健康委员会      areas 淮安市 › 洪泽区, rest 卫生健康委员会
    平潭综合实验区                  areas 平潭县 (by its short name 平潭), rest 综合实验区

Areas are read from the start of the name, each the longest division name (full, or short:
淮安 for 淮安市) found there; each one after the first must lie in the one before. A short name
followed by 街道, 镇, 乡 … is a place of that name below the county (鼓楼街道, 城关镇), not the
county; nor is one followed by a division's ending (滨海市 is not 滨海县: a division of that name
that the region data does not hold, a renamed one say); a province is matched by its full name
only (江苏省, never 江苏). Where a name fits several divisions (鼓楼区: 南京, 徐州, 福州, 开封) and none of them
contains the others, the reading stops there and the candidates are kept: the name is
ambiguous, never guessed (a short name of two nested divisions too: 吉林 for 吉林省 and
吉林市). Pure: the region index and the words are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.text import squash
from pipeline.knowledge.officewords import OfficeWords
from pipeline.knowledge.regions import Region, Regions


@dataclass(frozen=True)
class NameParts:
    name: str  # the name as compared: width folded, no whitespace
    areas: tuple[Region, ...]  # the divisions named, outermost first
    printed_areas: str  # the part of the name they were read from (淮安市洪泽区, 平潭)
    rest: str  # what follows them
    ambiguous: tuple[Region, ...] = ()  # where the reading stopped on a name of several divisions


def _candidates(
    text: str, at: int, regions: Regions, words: OfficeWords, inside: Region | None
) -> tuple[int, tuple[Region, ...]]:
    """The longest division name at `text[at:]` (within `inside`), and the divisions it names:
    by their full name (淮安市) if any, else by their short name (淮安: 淮安市 and 淮安区)."""
    for length in range(min(regions.longest, len(text) - at), 1, -1):
        piece = text[at : at + length]
        after = text[at + length :]
        full = list(regions.full.get(piece, ()))
        short = (
            []
            if after.startswith(words.not_after_short_name + words.division_suffixes)
            else [r for r in regions.short.get(piece, ()) if r.level != "province"]
        )
        for found in (full, short):
            if inside is not None:
                found = [r for r in found if inside.contains(r) and r.code != inside.code]
            if found:
                return length, tuple(found)
    return 0, ()


def _outermost(found: tuple[Region, ...]) -> Region | None:
    """The one division that contains every other candidate (北京市 the province, not its city
    row), if there is one; a short name of two nested divisions (吉林: 吉林省 and 吉林市) is not
    told apart: the name is ambiguous."""
    if len(found) == 1:
        return found[0]
    return None


def read_name(name: str, regions: Regions, words: OfficeWords) -> NameParts:
    text = squash(name)
    areas: list[Region] = []
    at = 0
    while at < len(text):
        length, found = _candidates(text, at, regions, words, areas[-1] if areas else None)
        if not found:
            break
        region = _outermost(found)
        if region is None:
            return NameParts(text, tuple(areas), text[:at], text[at:], found)
        areas.append(region)
        at += length
    return NameParts(text, tuple(areas), text[:at], text[at:])
