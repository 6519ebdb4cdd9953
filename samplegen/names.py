"""Invented but plausible issuing offices at every administrative level."""

from __future__ import annotations

import random
from dataclasses import dataclass

SYLLABLES = tuple(
    "安宁平清江河山东南西北阳泉林溪川丰和兴华德昌新永康福泰云松桂湖海城石金龙凤嘉盛明长宝广开远顺庆临潭岚"
    "洪泽淮阜滨沙岭峰桐柳榆梅兰竹青白黄乐寿荣恒通化武文建定靖济汉鹤鹿马仁信义礼源峪坪浦湾岗塘桥口田"
)
PROVINCE_SUFFIX = ("省",)
DEPARTMENTS = (
    "财政局",
    "教育局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "人力资源和社会保障局",
    "民政局",
    "司法局",
    "审计局",
    "行政审批局",
    "退役军人事务局",
)
DEV_ZONES = ("经济开发区", "高新技术产业开发区", "经济技术开发区", "工业园区", "综合保税区")


@dataclass(frozen=True)
class Office:
    """An issuing office: the name as the title prints it, its full name, and how it refers to itself."""

    full: str  # e.g. 张店区人民政府科苑街道办事处
    title_name: str  # as named in the title (often shorter)
    kind: str  # street | town | county | city | department | province_office | zone
    self_ref: str  # 我办, 本镇, 我县 ...
    place: str  # the place the office sits in, for addresses
    compiler: str  # who compiled the report (…办公室)
    area_code: str
    postcode: str


def place_name(rng: random.Random, length: int = 2) -> str:
    """A two (or one/three) syllable invented place name."""
    return "".join(rng.choice(SYLLABLES) for _ in range(length))


def _distinct_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        cand = place_name(rng, rng.choice((2, 2, 2, 2, 3)))
        if cand not in names and cand[0] != cand[-1]:
            names.append(cand)
    return names


def make_office(rng: random.Random) -> Office:
    """Draw an office of a random kind with invented place names."""
    prov, city, county, town = _distinct_names(rng, 4)
    kind = rng.choices(
        ("street", "town", "county", "city", "department", "province_office", "zone"),
        weights=(3, 3, 4, 2, 5, 1, 2),
    )[0]
    area_code = f"0{rng.randint(310, 939)}"
    postcode = f"{rng.randint(10, 85)}{rng.randint(0, 9)}{rng.randint(0, 9)}00"
    county_name = county + rng.choice(("区", "县", "区", "市"))
    city_name = city + "市"
    if kind == "street":
        district = county + "区"
        full = f"{district}人民政府{town}街道办事处"
        title_name = rng.choice((full, f"{town}街道办事处", f"{district}{town}街道办事处"))
        return Office(
            full,
            title_name,
            kind,
            rng.choice(("我办", "本街道", "我街道")),
            district,
            f"{town}街道党政办公室",
            area_code,
            postcode,
        )
    if kind == "town":
        unit = rng.choice(("镇", "镇", "乡"))
        full = f"{county_name}{town}{unit}人民政府"
        title_name = rng.choice((full, f"{town}{unit}人民政府", full))
        return Office(
            full,
            title_name,
            kind,
            rng.choice((f"我{unit}", f"本{unit}")),
            county_name,
            f"{town}{unit}党政办公室",
            area_code,
            postcode,
        )
    if kind == "county":
        full = f"{county_name}人民政府" if county_name.endswith("市") else f"{city_name}{county_name}人民政府"
        title_name = rng.choice((full, f"{county_name}人民政府", f"{county_name}人民政府"))
        return Office(
            full,
            title_name,
            kind,
            f"我{county_name[-1]}",
            county_name,
            f"{county_name}人民政府办公室",
            area_code,
            postcode,
        )
    if kind == "city":
        full = f"{city_name}人民政府"
        return Office(full, full, kind, "我市", city_name, f"{city_name}人民政府办公室", area_code, postcode)
    if kind == "department":
        dept = rng.choice(DEPARTMENTS)
        base = rng.choice((city_name, county_name, county_name))
        full = f"{base}{dept}"
        ref = "我委" if dept.endswith("委员会") else "我局"
        return Office(full, full, kind, ref, base, f"{full}办公室", area_code, postcode)
    if kind == "province_office":
        full = f"{prov}省人民政府办公厅"
        return Office(full, full, kind, "我厅", f"{prov}省", f"{prov}省人民政府办公厅", area_code, postcode)
    zone = rng.choice(DEV_ZONES)
    full = f"{city_name}{town}{zone}管理委员会"
    title_name = rng.choice((full, f"{town}{zone}管理委员会", f"{city_name}{town}{zone}管委会"))
    return Office(
        full,
        title_name,
        "zone",
        rng.choice(("我委", "管委会", "我区")),
        city_name,
        f"{town}{zone}管委会办公室",
        area_code,
        postcode,
    )


def phone(rng: random.Random, office: Office) -> str:
    return f"{office.area_code}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"


def email(rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 8)))
    return f"{user}{rng.randint(1, 999)}@{rng.choice(('163.com', '126.com', 'qq.com', 'gov.cn'))}"
