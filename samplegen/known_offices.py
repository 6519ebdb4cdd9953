"""Office names of every level with their true region code and level, for measuring office identity.

Unlike names.py (invented places), these are built on real divisions of the pinned region data
(pipeline/knowledge/regions.py), printed the ways titles print them: with or without the city
and province before a county, 政府 for 人民政府, a department under a county or a city (some
abbreviated: 卫健委, 政府办), an invented township or street of a real county (科苑街道办事处,
also as 张店区人民政府科苑街道办事处), a development zone of a real city (by its full or short
name). The truth of a department, township, street or zone is the code of the division it lies in.

    python -m samplegen.known_offices 400      prints name, adcode, level (tab-separated)
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass

from pipeline.knowledge.officewords import office_words
from pipeline.knowledge.regions import Region, Regions, regions, short_name
from samplegen.names import DEPARTMENTS, DEV_ZONES, place_name

ABBREVIATED = {"卫生健康委员会": "卫健委", "人力资源和社会保障局": "人社局", "住房和城乡建设局": "住建局"}


@dataclass(frozen=True)
class KnownOffice:
    name: str
    adcode: str
    level: str


def _prefix(rng: random.Random, region: Region, index: Regions, city_share: float) -> str:
    """How a title names a county: alone, after its city, or after its province and city."""
    chain = index.chain(region.code)
    if len(chain) < 2 or rng.random() > city_share:
        return region.name
    if rng.random() < 0.15:
        return "".join(r.name for r in chain)
    return (
        "".join(r.name for r in chain[1:])
        if not chain[0].name.endswith("市")
        else chain[0].name + region.name
    )


def _government(rng: random.Random) -> str:
    return "人民政府" if rng.random() < 0.8 else "政府"


def known_offices(count: int, seed: int = 7, city_share: float = 0.6) -> list[KnownOffice]:
    rng = random.Random(seed)
    index = regions()
    by_level = {
        level: sorted((r for r in index.by_code.values() if r.level == level), key=lambda r: r.code)
        for level in ("province", "city", "county")
    }
    by_level["province"] = [r for r in by_level["province"] if not r.code.startswith(("71", "81", "82"))]
    kinds = ("province", "city", "county", "county", "department", "department", "township", "street", "zone")
    found: list[KnownOffice] = []
    while len(found) < count:
        kind = rng.choice(kinds)
        if kind in ("province", "city"):
            region = rng.choice(by_level[kind])
            found.append(KnownOffice(region.name + _government(rng), region.code, kind))
            continue
        if kind == "zone":
            city = rng.choice(by_level["city"])
            brief = short_name(city.name, office_words(), ()) or city.name
            name = (
                rng.choice((city.name, brief))
                + rng.choice(DEV_ZONES)
                + rng.choice(("管委会", "管理委员会", ""))
            )
            found.append(KnownOffice(name, city.code, "zone"))
            continue
        county = rng.choice(by_level["county"])
        area = _prefix(rng, county, index, city_share)
        if kind == "county":
            found.append(KnownOffice(area + _government(rng), county.code, "county"))
        elif kind == "department":
            department = rng.choice((*DEPARTMENTS, "人民政府办公室"))
            if department in ABBREVIATED and rng.random() < 0.4:
                department = ABBREVIATED[department]
            if rng.random() < 0.3:  # a city's department
                parent = index.by_code.get(county.parent or "")
                if parent is not None and parent.level == "city":
                    found.append(KnownOffice(parent.name + department, parent.code, "department"))
                    continue
            found.append(KnownOffice(area + department, county.code, "department"))
        elif kind == "township":
            town = place_name(rng) + rng.choice(("镇", "镇", "乡"))
            found.append(KnownOffice(area + town + rng.choice(("人民政府", "政府")), county.code, "township"))
        else:
            street = place_name(rng) + "街道"
            infix = _government(rng) if rng.random() < 0.3 else ""
            found.append(KnownOffice(area + infix + street + "办事处", county.code, "street"))
    return found


if __name__ == "__main__":
    for office in known_offices(int(sys.argv[1]) if len(sys.argv) > 1 else 100):
        print(f"{office.name}\t{office.adcode}\t{office.level}")
