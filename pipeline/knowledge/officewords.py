"""office_words.toml → `OfficeWords`: how an issuing office's name is built, checked as loaded."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.knowledge.load import KnowledgeError

FILE = "office_words.toml"
MIN_RESPELT = 4  # one character off a shorter word is too often another word (委员会, 居委会)
LISTS = (
    "government",
    "street_words",
    "street_suffixes",
    "township_endings",
    "zone_words",
    "zone_suffixes",
    "department_endings",
    "not_after_short_name",
    "division_suffixes",
    "respelt",
)


@dataclass(frozen=True)
class OfficeWords:
    government: tuple[str, ...]  # 人民政府, 政府
    street_words: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    township_endings: tuple[str, ...]
    zone_words: tuple[str, ...]
    zone_suffixes: tuple[str, ...]
    department_endings: tuple[str, ...]
    not_after_short_name: tuple[str, ...]
    division_suffixes: tuple[str, ...]
    respelt: tuple[str, ...]  # misread a character, respelt (outline/phrasings.py)
    min_short_chars: int
    department_aliases: Mapping[str, str]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    """Suffixes are tried longest first (管理委员会 before 委员会), whatever the file's order."""
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


def load_office_words(data: Mapping[str, Any], where: str = FILE) -> OfficeWords:
    lists: dict[str, tuple[str, ...]] = {}
    for key in LISTS:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
            raise KnowledgeError(f"{where}: `{key}` must be a non-empty list of words")
        lists[key] = _longest_first(value)
    aliases = data.get("department_aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(v, str) and v for v in aliases.values()):
        raise KnowledgeError(f"{where}: [department_aliases] maps printed names to canonical ones")
    for printed, canonical in aliases.items():
        if not canonical.endswith(lists["department_endings"]):
            raise KnowledgeError(f"{where}: alias {printed} → {canonical}: not a department's name")
    if short := [w for w in lists["respelt"] if len(w) < MIN_RESPELT]:
        raise KnowledgeError(f"{where}: `respelt` words of {MIN_RESPELT} characters at least: {short}")
    minimum = data.get("min_short_chars")
    if not isinstance(minimum, int) or minimum < 1:
        raise KnowledgeError(f"{where}: `min_short_chars` must be a whole number of at least 1")
    return OfficeWords(**lists, min_short_chars=minimum, department_aliases=dict(aliases))


def read_office_words(folder: Path) -> OfficeWords:
    try:
        data = tomllib.loads((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeError(f"{FILE}: {exc}") from exc
    return load_office_words(data)


@cache
def office_words() -> OfficeWords:
    with resources.as_file(resources.files("pipeline.knowledge")) as folder:
        return read_office_words(Path(folder))
