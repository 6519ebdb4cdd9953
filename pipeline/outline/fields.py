"""The report's own fields: office and year from the title (else the signature, the metadata
block, the statistics period), the published date. The format comes from the facts
(facts/formats.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from pipeline.core.model import Outline, PipelineError, ReportMeta
from pipeline.core.text import cn_to_int, squash
from pipeline.knowledge.load import knowledge

T = TypeVar("T")

_CN_DIGIT = "〇零○一二三四五六七八九"
_YEAR = rf"((?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}})"
# what follows the year; the last word may be misread by OCR (报千 for 报告), so it is not required
_TITLE_TAIL = r"年度?的?(?:本?(?:单位|机关))?(?:政府|政务)?信息公开"
_OFFICE_YEAR = re.compile(rf"^(?:关于)?(?P<office>.+?)(?:关于)?{_YEAR}{_TITLE_TAIL}")
_YEAR_OFFICE = re.compile(
    rf"^{_YEAR}年度?(?P<office>.+?)(?:政府|政务)?信息公开[工作的年度情况]{{0,8}}(?:报告|年报)"
)
_DATE = re.compile(rf"{_YEAR}年([0-9一二三四五六七八九十]{{1,3}})月([0-9一二三四五六七八九十]{{1,3}})日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})")
_DATE_KEYS = ("发布日期", "成文日期", "公开日期", "生成日期", "日期")


def _cn_or_int(text: str) -> int | None:
    text = text.replace("○", "〇")
    return int(text) if text.isdigit() else cn_to_int(text)


def title_to_office_year(title: str | None) -> tuple[str | None, int | None]:
    if not title:
        return None, None
    text = squash(title)
    m = _OFFICE_YEAR.search(text)
    office, year_text = (m.group("office"), m.group(2)) if m else (None, None)
    if m is None:
        m = _YEAR_OFFICE.search(text)
        if m:
            office, year_text = m.group("office"), m.group(1)
    year = _cn_or_int(year_text) if year_text else None
    if office:
        office = re.sub(r"^(关于|附件\d*[:：]?)", "", office).strip("：:　")
    if office in ("政府", "政务", "本单位", "本机关", "我单位"):
        office = None  # "2019年政府信息公开工作年度报告" names no office
    return (office or None), (year if year and 1990 < year < 2100 else None)


_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?至(?:\1年)?12月31日")


def signature_office(closing: Sequence[str]) -> str | None:
    """The office that signs the report: the line above the closing date."""
    lines = [squash(line) for line in closing]
    for i in range(len(lines) - 1, 0, -1):
        if closing_date([lines[i]]) and len(lines[i - 1]) <= 30 and office_problem(lines[i - 1]) is None:
            return lines[i - 1]
    return None


def preamble_office(lines: Sequence[str]) -> str | None:
    for line in lines:
        m = re.search(
            r"(?:发布机构|发文机关)[:：](\S+?)(?:(?:发布日期|成文日期|主题分类|索引号|文号)[:：]|$)",
            squash(line),
        )
        if m:
            return m.group(1)
    return None


def period_year(paragraphs: Sequence[str]) -> int | None:
    """The year of the statistics period the introduction states (1月1日至12月31日)."""
    for text in paragraphs[:5]:
        m = _PERIOD.search(squash(text))
        if m:
            return int(m.group(1))
    return None


def _parse_date(text: str) -> date | None:
    s = squash(text)
    m = _DATE.search(s) or _DATE_ISO.search(s)
    if not m:
        return None
    y, mo, d = (_cn_or_int(g) for g in m.groups())
    if y is None or mo is None or d is None:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def closing_date(lines: Sequence[str]) -> date | None:
    """The date line that closes the report (under the signature), if printed."""
    for line in reversed(lines):
        s = squash(line)
        if len(s) <= 14 and (_DATE.fullmatch(s) or _DATE_ISO.fullmatch(s)):
            return _parse_date(s)
    return None


CLOSING_LINES = 8  # the signature block: the date line and the lines above it


def closing_block(lines: Sequence[str]) -> tuple[str, ...]:
    """The lines that close the report: up to its last line that is a date alone (a 统计表 printed
    after the signature without rules reads as lines below it), else the last lines."""
    end = next((i + 1 for i in range(len(lines) - 1, -1, -1) if closing_date([lines[i]])), len(lines))
    return tuple(lines[max(0, end - CLOSING_LINES) : end])


def preamble_date(lines: Sequence[str]) -> date | None:
    """发布日期 / 成文日期 in a metadata block printed above the title."""
    for line in lines:
        s = squash(line)
        for key in _DATE_KEYS:
            if key in s:
                found = _parse_date(s.split(key, 1)[1])
                if found:
                    return found
    return None


def office_problem(name: str) -> str | None:
    """Why `name` cannot be an issuing office's name (offices.toml), or None if it can."""
    rules = knowledge().offices
    text = squash(name)
    if not rules.min_chars <= len(text) <= rules.max_chars:
        return f"{len(text)} characters long"
    odd = next((w for w in rules.not_in_name if w in text), None)
    if odd:
        return f"it contains {odd!r}"
    if not text.endswith(rules.endings):
        return "it does not end in an office or area word"
    return None


def outline_to_meta(outline: Outline, fmt: str, today: date) -> tuple[ReportMeta, list[PipelineError]]:
    """The report's fields, each from the first source that gives a plausible value; a field no
    source gives is null with a `doc_field_missing` error, one only implausible values were read
    for is null with a `doc_field_implausible` error."""
    errors: list[PipelineError] = []
    title_office, title_year = title_to_office_year(outline.title)
    # a title without the office or the year: the signature, the metadata block, the period
    offices = [title_office, signature_office(outline.closing_lines), preamble_office(outline.preamble_lines)]
    office = _first_plausible("office", [o for o in offices if o], office_problem, errors)
    published = closing_date(outline.closing_lines) or preamble_date(outline.preamble_lines)
    if published is not None and not date(knowledge().offices.first_year, 1, 1) <= published <= today:
        errors.append(
            _implausible("published", str(published), "outside the disclosure era or in the future")
        )
        published = None
    years = [y for y in (title_year, period_year([p.text for p in outline.paragraphs])) if y]
    year = _first_plausible("year", years, lambda y: _year_problem(y, published, today), errors)
    if fmt == "unknown":
        errors.append(
            PipelineError("fields", "doc_field_missing", "format: no table or text told the format")
        )
    return ReportMeta(outline.title, office, year, published, fmt), errors


def _year_problem(year: int, published: date | None, today: date) -> str | None:
    first = knowledge().offices.first_year
    latest = published.year if published else today.year
    if not first <= year <= latest:
        after = f"published {published}" if published else "this year"
        return f"not between {first} and {latest} ({after})"
    return None


def _first_plausible(
    field: str, candidates: list[T], problem: Callable[[T], str | None], errors: list[PipelineError]
) -> T | None:
    for candidate in candidates:
        if problem(candidate) is None:
            return candidate
    if candidates:
        errors.append(_implausible(field, str(candidates[0]), problem(candidates[0]) or ""))
    else:
        errors.append(
            PipelineError("fields", "doc_field_missing", f"{field}: found in no title, signature or metadata")
        )
    return None


def _implausible(field: str, value: str, why: str) -> PipelineError:
    return PipelineError("fields", "doc_field_implausible", f"{field} {value!r} refused: {why}")
