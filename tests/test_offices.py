"""Office identity: one office_id per office however its name is printed, its level, its region
code from the pinned region data — right on generated names of every level with known truth, and
never a wrong code unflagged."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

import pipeline.knowledge
from pipeline.knowledge.load import KnowledgeError
from pipeline.knowledge.officewords import load_office_words
from pipeline.knowledge.regions import regions
from pipeline.offices.identity import LEVELS, identify
from samplegen.known_offices import known_offices


def test_the_region_data_is_the_pinned_one_and_complete() -> None:
    index = regions()
    assert index.by_code["320813"].name == "洪泽区"
    assert [r.code for r in index.chain("320813")] == ["320000", "320800", "320813"]
    assert Counter(r.level for r in index.by_code.values())["province"] == 34
    assert index.by_code["110108"].parent == "110000"  # a district of a municipality
    assert index.by_code["429004"].parent == "420000"  # a county-level city directly under 湖北省


@pytest.mark.parametrize(
    "names",
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区政府", "淮安市 洪泽区 人民政府"),
        ("淮安市洪泽区卫生健康委员会", "洪泽区卫健委"),
        ("淮安市人民政府办公室", "淮安市政府办"),
        ("张店区人民政府科苑街道办事处", "淄博市张店区科苑街道办事处", "张店区科苑街道"),
    ],
)
def test_variants_of_a_name_are_one_office(names: tuple[str, ...]) -> None:
    assert len({identify(n).office_id for n in names}) == 1


def test_the_corpus_offices() -> None:
    hongze = identify("洪泽区人民政府")
    assert (hongze.office_id, hongze.adcode, hongze.level, hongze.adcode_status) == (
        "320813",
        "320813",
        "county",
        "exact",
    )
    assert hongze.canonical == "淮安市洪泽区人民政府" and hongze.parent_id == "320800"
    city = identify("淮安市人民政府")
    assert (city.adcode, city.level, city.parent_id) == ("320800", "city", "320000")
    zone = identify("平潭综合实验区")
    assert (zone.level, zone.adcode, zone.adcode_status) == ("zone", "350128", "enclosing")
    assert identify("平潭县人民政府").office_id == "350128" != zone.office_id


def test_departments_are_keyed_to_their_area_plus_the_department() -> None:
    office = identify("洪泽区卫生健康局")
    assert (office.office_id, office.level, office.adcode, office.parent_id) == (
        "320813:卫生健康局",
        "department",
        "320813",
        "320813",
    )


@pytest.mark.parametrize("name", ["鼓楼区人民政府", "淮安经济技术开发区管委会", "城关镇人民政府", "某某公司"])
def test_a_name_that_fits_no_or_several_divisions_gets_no_code_and_says_why(name: str) -> None:
    office = identify(name)
    assert office.adcode is None and office.adcode_status in ("ambiguous", "unresolved")
    assert office.office_id == f"name:{office.canonical}"


def test_a_place_named_like_a_county_is_not_that_county() -> None:
    assert identify("鼓楼街道办事处").adcode is None  # a street named 鼓楼, not 鼓楼区
    assert identify("城关镇人民政府").level == "township"


def test_generated_names_of_every_level_with_known_codes() -> None:
    offices = known_offices(600, seed=7)
    levels = Counter(o.level for o in offices)
    assert set(levels) == set(LEVELS) - {"unknown"} and min(levels.values()) >= 40
    right = wrong = unflagged_nulls = 0
    for office in offices:
        found = identify(office.name)
        assert found.level == office.level, office
        if found.adcode == office.adcode:
            right += 1
        elif found.adcode is not None:
            wrong += 1
        elif found.adcode_status not in ("ambiguous", "unresolved"):
            unflagged_nulls += 1
    assert wrong == 0 and unflagged_nulls == 0
    assert right / len(offices) >= 0.98, right


def test_office_words_are_checked_as_loaded() -> None:
    with pytest.raises(KnowledgeError, match="government"):
        load_office_words({"government": []})
    shipped = tomllib.loads(
        (Path(pipeline.knowledge.__file__).parent / "office_words.toml").read_text("utf-8")
    )
    with pytest.raises(KnowledgeError, match=r"respelt.*委员会"):
        load_office_words({**shipped, "respelt": ["人民政府", "委员会"]})  # one off 居委会


@pytest.mark.parametrize(
    "name",
    [
        "滨海市白洪综合保税区管委会",  # 滨海 is 滨海县: a 滨海市 is another division, not in the data
        "洪泽东市嘉顺县人民政府",  # 洪泽 then a county the data does not hold
        "山东区人民政府宝云街道办事处",  # a province is matched by its full name only
        "青海庆区审计局",
        "田阳县溪青镇人民政府",  # 田阳县 became 田阳区 in 2019: the old name has no code
    ],
)
def test_names_that_only_look_like_a_division_get_no_code(name: str) -> None:
    office = identify(name)
    assert office.adcode is None and office.adcode_status == "unresolved", office


def test_a_zone_that_is_a_division_itself() -> None:
    office = identify("苏州工业园区管理委员会")
    assert (office.office_id, office.level, office.adcode_status) == ("320576", "zone", "exact")


def test_a_short_name_is_never_a_province() -> None:
    office = identify("吉林经济开发区管委会")  # 吉林市's zone, not 吉林省's
    assert (office.adcode, office.level) == ("220200", "zone")
