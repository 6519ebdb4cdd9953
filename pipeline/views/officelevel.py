"""The administrative level of an issuing office, derived from its name alone.

Rules, first match wins (documented in docs/html-reports.md):
  township    街道 anywhere; or the government's own name ends in 乡, 镇 or 苏木
  zone        开发区, 园区, 保税区, 实验区, 管委会, 管理委员会 anywhere in the name
  department  the name ends in an agency word: 局, 委员会, 委, 办公室, 办公厅, 厅, 办, 署, 中心, 院, 所, 站, 队
  province    the government's own name ends in 省 or 自治区 (or is a 直辖市: 北京/天津/上海/重庆市)
  county      … ends in 区, 县, 旗 (自治县, 自治旗 included)
  city        … ends in 市, 州 or 盟 (so a county-level city such as 昆山市 counts as a city)
  unknown     anything else, and a missing office
"The government's own name" is the name with a trailing 人民政府 / 政府 / 办事处 removed, so
淮安市洪泽区人民政府 → 淮安市洪泽区 → county, and 镇江市人民政府 → 镇江市 → city (not township).
"""

from __future__ import annotations

import re

LEVELS = ("province", "city", "county", "township", "department", "zone", "unknown")
_ZONE = re.compile(r"开发区|园区|保税区|实验区|管委会|管理委员会")
_AGENCY = re.compile(r"(局|委员会|委|办公室|办公厅|厅|办|署|中心|院|所|站|队)$")
_GOVERNMENT = re.compile(r"(人民政府|政府|办事处)$")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def office_level(office: str | None) -> str:
    """One of `LEVELS` for an office name as printed in a report's title."""
    if not office:
        return "unknown"
    name = re.sub(r"\s+", "", office)
    core = _GOVERNMENT.sub("", name)
    if "街道" in name or core.endswith(("乡", "镇", "苏木")):
        return "township"
    if _ZONE.search(name):
        return "zone"
    if core == name and _AGENCY.search(name):
        return "department"
    if core.endswith(("省", "自治区")) or core in _MUNICIPALITIES:
        return "province"
    if core.endswith(("区", "县", "旗")):
        return "county"
    if core.endswith(("市", "州", "盟")):
        return "city"
    return "unknown"
