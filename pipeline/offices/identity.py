"""Who issued a report: one office, however its name is printed, and where it sits.

`identify(name)` reads the name (names.py) and gives an `Office`:

    office_id   stable across name variants, years and files:
                  320813                    the government of the area with that region code
                  320813:卫生健康委员会      a department of that government
                  320813:高良涧街道          a street, township or zone within that area
                  name:<name>               an office whose area could not be told (adcode null)
    level       province | city | county | township | street | department | zone | unknown
    adcode      the region code (6 digits) of the office's area, or of the division it lies in
    adcode_status
                exact      the office governs exactly that division
                enclosing  the office lies within it (a department, a township, a street, a zone)
                ambiguous  the area's name fits several divisions: adcode null, `candidates` kept
                unresolved no division could be read from the name: adcode null
    parent_id   the office above: a county's city (or province), a department's or a township's
                own government

Variants that are one office: 洪泽区人民政府 = 淮安市洪泽区人民政府 = 江苏省淮安市洪泽区政府;
淮安市政府办 = 淮安市人民政府办公室 (department_aliases). A county that was renamed or merged is
not in the current region data: it is unresolved, never given another division's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.knowledge.officewords import OfficeWords, office_words
from pipeline.knowledge.regions import Region, Regions, regions
from pipeline.offices.names import NameParts, read_name

LEVELS = ("province", "city", "county", "township", "street", "department", "zone", "unknown")
STATUSES = ("exact", "enclosing", "ambiguous", "unresolved")


@dataclass(frozen=True)
class Office:
    office_id: str
    canonical: str  # the name as the office would print it in full: 淮安市洪泽区人民政府
    level: str
    adcode: str | None
    adcode_status: str
    parent_id: str | None
    area: str | None  # the division's full name chain: 江苏省淮安市洪泽区
    unit: str | None  # the sub-unit below the area's government: 卫生健康委员会, 高良涧街道
    candidates: tuple[str, ...] = ()  # ambiguous: the region codes the name fits


def _strip_end(text: str, endings: tuple[str, ...]) -> str:
    return next((text[: -len(e)] for e in endings if text.endswith(e) and len(text) > len(e)), text)


def _unit_level(rest: str, words: OfficeWords) -> tuple[str, str]:
    """(level, canonical unit name) of what follows an area's name; ('', '') for its government."""
    own = rest
    for word in words.government:  # 人民政府科苑街道办事处, 政府办: the government's own units
        if own.startswith(word):
            own = own[len(word) :]
            break
    if own == "" or own in words.government:
        return "", ""
    if any(w in own for w in words.street_words):
        return "street", _strip_end(own, words.street_suffixes)
    core = _strip_end(own, words.government)
    if core.endswith(words.township_endings):
        return "township", core
    if any(w in own for w in words.zone_words):
        return "zone", _strip_end(own, words.zone_suffixes)
    whole = rest if rest != own else own  # 人民政府办公室 keeps its 人民政府
    alias = words.department_aliases.get(whole) or words.department_aliases.get(own)
    if alias:
        return "department", alias
    if whole.endswith(words.department_endings):
        canonical = whole if whole == rest and not rest.startswith("政府") else "人民" + whole
        return "department", canonical if whole.startswith("政府") else whole
    return "unknown", own


_DIVISION = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:市|县|区|旗|盟|州|省)(?!场|政|容|直|级|属)")
_NOT_DIVISIONS = ("城市", "城区", "地区", "社区", "园区", "新区", "开发区", "景区", "矿区", "林区")


def _names_a_division(unit: str, level: str) -> bool:
    """A unit that begins with a name ending in 市, 县, 区 … (庆区审计局, 泰市岚信开发区): the
    area read before it was not the whole area's name."""
    found = _DIVISION.match(unit)
    if found is None:
        return False
    token = found.group(0)
    return not token.endswith(_NOT_DIVISIONS) and not (level == "zone" and unit == token)


def _area_name(region: Region, index: Regions) -> str:
    """淮安市洪泽区, as offices print their names: a province is left out below it (but not a
    municipality: 北京市海淀区), and so is the city of a county-level city (昆山市)."""
    chain = index.chain(region.code)
    if len(chain) > 1 and not chain[0].name.endswith("市"):
        chain = chain[1:]
    if len(chain) > 1 and chain[-1].name.endswith("市"):
        chain = chain[-1:]
    return "".join(r.name for r in chain)


def _parent_of(region: Region, index: Regions) -> str | None:
    return region.parent if region.parent in index.by_code else None


def _name_level(name: str, words: OfficeWords) -> str:
    """The level of a name with no area read from it, from its words alone."""
    level, _ = _unit_level(name, words)
    if level and level != "unknown":
        return level
    core = _strip_end(name, words.government)
    for ending, found in (("省", "province"), ("自治区", "province"), ("州", "city"), ("盟", "city")):
        if core.endswith(ending):
            return found
    if core.endswith(("区", "县", "旗")):
        return "county"
    return "city" if core.endswith("市") else "unknown"


def office_of(parts: NameParts, index: Regions, words: OfficeWords) -> Office:
    if not parts.areas or parts.ambiguous:
        status = "ambiguous" if parts.ambiguous else "unresolved"
        canonical = parts.name.replace("政府", "人民政府").replace("人民人民", "人民")
        return Office(
            f"name:{canonical}",
            canonical,
            _name_level(parts.name, words),
            None,
            status,
            None,
            None,
            None,
            tuple(r.code for r in parts.ambiguous),
        )
    region = parts.areas[-1]
    area = _area_name(region, index)
    if parts.rest in words.zone_suffixes:  # 苏州工业园区管理委员会: a zone that is a division itself
        name = parts.printed_areas + words.zone_suffixes[0]
        return Office(region.code, name, "zone", region.code, "exact", _parent_of(region, index), area, None)
    level, unit = _unit_level(parts.rest, words)
    if level == "unknown" or (level and _names_a_division(unit, level)):
        # what follows the area is not understood, or names a division the data does not hold
        # (洪泽东市嘉顺县, 海口泰市…开发区): no code rather than a wrong one
        return office_of(NameParts(parts.name, (), "", parts.name), index, words)
    if not level:
        return Office(
            region.code,
            f"{area}人民政府",
            region.level,
            region.code,
            "exact",
            _parent_of(region, index),
            area,
            None,
        )
    if level == "zone":  # zones are named after a place, often by its short name: kept as printed
        canonical = parts.printed_areas + unit
    else:
        canonical = area + {"street": unit + "办事处", "township": unit + "人民政府"}.get(level, unit)
    return Office(
        f"{region.code}:{unit}", canonical, level, region.code, "enclosing", region.code, area, unit
    )


@cache
def identify(name: str) -> Office:
    """The office an issuing office's name names (cached: a dataset repeats its names)."""
    return office_of(read_name(name, regions(), office_words()), regions(), office_words())
